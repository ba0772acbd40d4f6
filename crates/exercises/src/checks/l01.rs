//! Lesson 01: the end of a stream, seen and sent.

use std::io::{Read, Write};
use std::net::Shutdown;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::net::{listener, pair, shown};
use crate::{Version, pick, within};

const SECOND: Duration = Duration::from_secs(1);

pub fn echo(version: Version) -> Result<(), String> {
    let echo = pick!(version, echo::echo);
    let (mut client, mut server) = pair().map_err(|e| e.to_string())?;
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(echo(&mut server)));
    client.write_all(b"hello").map_err(|e| e.to_string())?;
    client
        .set_read_timeout(Some(SECOND))
        .map_err(|e| e.to_string())?;
    let mut back = [0; 5];
    if let Err(e) = client.read_exact(&mut back) {
        return Err(format!(
            "the client sent \"hello\" and got no echo of it: {e}"
        ));
    }
    client
        .shutdown(Shutdown::Write)
        .map_err(|e| e.to_string())?;
    match result.recv_timeout(SECOND) {
        Ok(Ok(5)) => Ok(()),
        Ok(Ok(n)) => Err(format!("echo() returned {n}; the client sent 5 bytes")),
        Ok(Err(e)) => Err(format!("echo() failed: {e}")),
        Err(_) => Err("the client sent \"hello\", got it back and closed its side; 1 s later echo() has not returned: after the peer closes, read() returns 0 at once, every time, and your loop goes round for ever".into()),
    }
}

pub fn ask(version: Version) -> Result<(), String> {
    let ask = pick!(version, ask::ask);
    const QUESTION: &str = "how far is the moon?";
    let (listener, addr) = listener().map_err(|e| e.to_string())?;
    let (heard, what_was_heard) = mpsc::channel();
    thread::spawn(move || {
        let Ok((mut conn, _)) = listener.accept() else {
            return;
        };
        let _ = conn.set_read_timeout(Some(SECOND));
        let mut question = Vec::new();
        // The server answers only once it has read to the end of the stream.
        let ended = conn.read_to_end(&mut question).is_ok();
        if ended {
            let _ = conn
                .write_all(format!("you asked: {}", String::from_utf8_lossy(&question)).as_bytes());
        }
        let _ = heard.send((ended, question));
    });
    let answer = within(Duration::from_secs(2), move || ask(addr, QUESTION))
        .map_err(|stuck| format!("ask() {stuck}"))?;
    let (ended, question) = what_was_heard.recv().map_err(|e| e.to_string())?;
    if !ended {
        return Err(format!(
            "the server read {} and then waited 1 s for the end of your stream; it answers only after that, and ask() never said it had finished sending",
            shown(&question)
        ));
    }
    match answer {
        Ok(answer) if answer == format!("you asked: {QUESTION}") => Ok(()),
        Ok(answer) => Err(format!(
            "ask() returned {}, not the server's answer",
            shown(answer.as_bytes())
        )),
        Err(e) => Err(format!("ask() failed: {e}")),
    }
}
