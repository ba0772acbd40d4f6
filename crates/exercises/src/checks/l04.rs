//! Lesson 04: reading a stream that glues and splits.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::thread;
use std::time::Duration;

use crate::net::{pair, shown, wait_buffered};
use crate::{Version, pick, within};

const SECOND: Duration = Duration::from_secs(1);

/// Send `bytes` in `pieces` writes and close the client's side; return the
/// server's end once every byte is in its receive buffer, so that the next
/// read there returns them together.
fn sent(pieces: &[&[u8]]) -> Result<TcpStream, String> {
    let (mut client, server) = pair().map_err(|e| e.to_string())?;
    client.set_nodelay(true).map_err(|e| e.to_string())?;
    for piece in pieces {
        client.write_all(piece).map_err(|e| e.to_string())?;
    }
    client
        .shutdown(Shutdown::Write)
        .map_err(|e| e.to_string())?;
    let total = pieces.iter().map(|p| p.len()).sum();
    wait_buffered(&server, total, SECOND).map_err(|e| e.to_string())?;
    Ok(server)
}

fn lines(version: Version, pieces: &[&[u8]], expected: &[String]) -> Result<Vec<String>, String> {
    let read_lines = pick!(version, lines::read_lines);
    let mut server = sent(pieces)?;
    let count = expected.len();
    within(SECOND, move || read_lines(&mut server, count))
        .map_err(|stuck| format!("read_lines() {stuck}"))?
        .map_err(|e| format!("read_lines() failed: {e}"))
}

pub fn glued(version: Version) -> Result<(), String> {
    let expected = ["hello".to_string(), "world".to_string()];
    let got = lines(version, &[b"hello\n", b"world\n"], &expected)?;
    if got == expected {
        return Ok(());
    }
    if got.first().is_some_and(|line| line.contains("world")) {
        return Err(format!(
            "2 sends arrived in 1 recv: your reader still treats one recv as one message (read_lines returned {got:?})"
        ));
    }
    Err(format!("read_lines returned {got:?}, not {expected:?}"))
}

pub fn split(version: Version) -> Result<(), String> {
    let long = "x".repeat(5000);
    let message = format!("{long}\nend\n");
    let expected = [long.clone(), "end".to_string()];
    let got = lines(version, &[message.as_bytes()], &expected)?;
    if got == expected {
        return Ok(());
    }
    match got.first() {
        Some(first) if first.len() < 5000 && !first.contains('\n') => Err(format!(
            "the first line came back as {} of its 5000 bytes: one recv returned part of it (拆包), and the rest was taken for the next line",
            first.len()
        )),
        _ => Err(format!(
            "read_lines returned {} lines of {:?}…",
            got.len(),
            got.iter().map(|l| shown(l.as_bytes())).collect::<Vec<_>>()
        )),
    }
}

pub fn whole_answer(version: Version) -> Result<(), String> {
    let read_answer = pick!(version, answer::read_answer);
    const LEN: usize = 100_000;
    let (mut client, mut server) = pair().map_err(|e| e.to_string())?;
    let answer: Vec<u8> = (0..LEN).map(|i| b'a' + (i % 26) as u8).collect();
    let sent = answer.clone();
    thread::spawn(move || {
        let _ = client.write_all(&sent);
        // Dropping `client` closes it: the end of the answer.
    });
    // Enough arrived that one read fills its buffer.
    wait_buffered(&server, 4096, SECOND).map_err(|e| e.to_string())?;
    let got = within(SECOND, move || read_answer(&mut server))
        .map_err(|stuck| format!("read_answer() {stuck}"))?
        .map_err(|e| format!("read_answer() failed: {e}"))?;
    if got.len() < LEN {
        return Err(format!(
            "read_answer returned {} of the {LEN} bytes: one recv returns at most its buffer, and the other {} would be read as the next command's answer",
            got.len(),
            LEN - got.len()
        ));
    }
    if got == answer {
        Ok(())
    } else {
        Err(format!(
            "read_answer returned {} bytes, not the {LEN} sent",
            got.len()
        ))
    }
}
