//! Lesson 04: reading a stream that glues and splits.

use std::io::Write;
use std::net::Shutdown;
use std::thread;
use std::time::Duration;

use crate::net::{pair, wait_buffered};
use crate::{Stuck, Version, pick, start, within};

const SECOND: Duration = Duration::from_secs(1);

/// What went wrong with the lines `read_lines` returned.
fn wrong_lines(got: &[String], expected: &[String]) -> String {
    if let Some(glued) = got.iter().find(|line| line.contains('\n')) {
        let sends = glued.matches('\n').count() + usize::from(!glued.ends_with('\n'));
        return format!(
            "{sends} sends arrived in 1 recv: your reader still treats one recv as one message (read_lines returned {got:?})"
        );
    }
    if let Some((cut, whole)) = got
        .iter()
        .zip(expected)
        .find(|(g, e)| g != e && e.starts_with(g.as_str()))
    {
        return format!(
            "a line came back cut, as {} of its {} bytes: one recv ended inside it (拆包), and the rest came in the next",
            cut.len(),
            whole.len()
        );
    }
    format!("read_lines returned {got:?}, not {expected:?}")
}

/// Send `pieces` in one go and close; once every byte is in the receiver's
/// buffer (so that one read returns them together), read `expected.len()` lines.
fn lines_after_close(
    version: Version,
    pieces: &[&[u8]],
    expected: &[String],
) -> Result<(), String> {
    let read_lines = pick!(version, lines::read_lines);
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
    let count = expected.len();
    let got = within(SECOND, move || {
        let mut server = server;
        read_lines(&mut server, count)
    })
    .map_err(|stuck| format!("read_lines() {stuck}"))?
    .map_err(|e| format!("read_lines() failed: {e}"))?;
    if got == expected {
        Ok(())
    } else {
        Err(wrong_lines(&got, expected))
    }
}

pub fn glued(version: Version) -> Result<(), String> {
    lines_after_close(
        version,
        &[b"hello\n", b"world\n"],
        &["hello".into(), "world".into()],
    )
}

pub fn long(version: Version) -> Result<(), String> {
    let long = "x".repeat(5000);
    let message = format!("{long}\nend\n");
    lines_after_close(version, &[message.as_bytes()], &[long, "end".into()])
}

/// A line cut in two sends, the second sent only once the reader has read
/// the first and waits; the peer stays connected after its lines.
pub fn cut(version: Version) -> Result<(), String> {
    let read_lines = pick!(version, lines::read_lines);
    let (mut client, mut server) = pair().map_err(|e| e.to_string())?;
    client.set_nodelay(true).map_err(|e| e.to_string())?;
    client.write_all(b"hello\nwor").map_err(|e| e.to_string())?;
    let reader = start("read_lines", move || read_lines(&mut server, 2))
        .map_err(|stuck| stuck.to_string())?;
    reader.until_waiting(SECOND);
    if !reader.finished() {
        client.write_all(b"ld\n").map_err(|e| e.to_string())?;
    }
    let expected = ["hello".to_string(), "world".to_string()];
    let got = match reader.result(SECOND) {
        Ok(got) => got.map_err(|e| format!("read_lines() failed: {e}"))?,
        Err(Stuck::Running(_)) => {
            return Err("read_lines was still waiting 1 s after both lines had arrived: it waits for the end of the stream, but this peer stays connected after its lines".into());
        }
        Err(stuck) => return Err(format!("read_lines() {stuck}")),
    };
    drop(client);
    if got == expected {
        Ok(())
    } else {
        Err(wrong_lines(&got, &expected))
    }
}

pub fn whole_answer(version: Version) -> Result<(), String> {
    let read_answer = pick!(version, answer::read_answer);
    const FIRST: usize = 3000;
    const LEN: usize = 100_000;
    let (mut client, mut server) = pair().map_err(|e| e.to_string())?;
    let answer: Vec<u8> = (0..LEN).map(|i| b'a' + (i % 26) as u8).collect();
    // The answer's first part, all of it there before the first read.
    client
        .write_all(&answer[..FIRST])
        .map_err(|e| e.to_string())?;
    wait_buffered(&server, FIRST, SECOND).map_err(|e| e.to_string())?;
    let reader = start("read_answer", move || read_answer(&mut server))
        .map_err(|stuck| stuck.to_string())?;
    // The rest comes once the reader has taken the first part and waits for
    // more (a reader that stops at a short read stops before it).
    reader.until_waiting(SECOND);
    let rest = answer[FIRST..].to_vec();
    thread::spawn(move || {
        let _ = client.write_all(&rest);
        // Dropping `client` closes it: the end of the answer.
    });
    let got = reader
        .result(SECOND)
        .map_err(|stuck| format!("read_answer() {stuck}"))?
        .map_err(|e| format!("read_answer() failed: {e}"))?;
    if got.len() < LEN {
        return Err(format!(
            "read_answer returned {} of the {LEN} bytes: one recv returns what has arrived, at most its buffer; the answer ends only where the server closes",
            got.len()
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
