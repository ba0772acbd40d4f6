//! `leftover`: document 001's remote-command server (§粘包问题, port 9999).
//! The client sends a command and reads the answer with one `recv(1024)`.
//! When an answer is longer than 1024 bytes, the rest stays in the client's
//! receive buffer, and the *next* command's answer starts with it.
//!
//! The document runs each command through a shell. Never do that on a
//! network server: anyone who can connect could run anything. Here the
//! commands are [`crate::commands`]' short allowlist (`ls`, `cat NAME`,
//! `help`), run in Rust inside a private folder of sample files
//! ([`crate::samples`]), and the server binds 127.0.0.1 unless told
//! otherwise.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use classroom::bytes::{PREVIEW, show};
use classroom::{Side, narrate};

use crate::commands;
use crate::samples::SampleFolder;
use crate::wait::{bytes_waiting, wait_until_buffered};
use crate::{DRAIN_LIMIT, RECV_SIZE, recv_up_to};

/// Document 001's port.
pub const PORT: u16 = 9999;

/// How long the server waits for a client to make room for an answer.
pub const WRITE_PATIENCE: Duration = Duration::from_secs(5);

/// How many bytes of a long answer's end the client shows.
pub const TAIL: usize = 36;

/// The words that end a conversation: the document's `exit`, and `q`.
pub const GOODBYE: [&str; 2] = ["exit", "q"];

/// The server's half: like the document's, one `recv(1024)` is one command
/// (which also caps a command at 1024 bytes), and the answer goes back as
/// it is, with nothing to say how long it is.
pub fn serve(mut conn: TcpStream, out: &mut Side, folder: &Path) -> io::Result<()> {
    serve_reporting(&mut conn, out, folder, |_| ())
}

// ANCHOR: serve
/// The command server's loop: one `recv(1024)` is one command, and its
/// answer goes back bare. `answered` is told each answer's length (the demo
/// uses it to know when an answer has fully arrived; [`serve`] ignores it).
pub fn serve_reporting(
    conn: &mut TcpStream,
    out: &mut Side,
    folder: &Path,
    mut answered: impl FnMut(usize),
) -> io::Result<()> {
    // A client that sends commands but never reads the answers would
    // otherwise block our writes for ever once its buffer is full.
    conn.set_write_timeout(Some(WRITE_PATIENCE))?;
    let mut taken = 0;
    loop {
        let request = recv_up_to(conn, out, RECV_SIZE)?;
        if request.is_empty() {
            return Ok(()); // the client closed
        }
        taken += request.len();
        if taken > DRAIN_LIMIT {
            return Err(io::Error::other(format!(
                "the client sent more than {DRAIN_LIMIT} bytes of commands; closing its connection"
            )));
        }
        let answer = match std::str::from_utf8(&request) {
            Ok(line) if GOODBYE.contains(&line.trim()) => return Ok(()),
            Ok(line) => commands::run(line.trim(), folder)?,
            Err(_) => b"error: a command is UTF-8 text; see `help`\n".to_vec(),
        };
        out.sent(&answer);
        // BUG: nothing tells the client how long the answer is; it reads
        // 1024 bytes and leaves the rest for the next command to find.
        conn.write_all(&answer)?;
        answered(answer.len());
    }
}
// ANCHOR_END: serve

// ANCHOR: read_answer
/// The client's read: wait until `wait_for` bytes are in the receive buffer
/// (a client that got to its `recv` a little late), then read the answer
/// with one `recv(1024)`, as the document's client does.
pub fn read_answer(stream: &mut TcpStream, out: &mut Side, wait_for: usize) -> io::Result<Vec<u8>> {
    wait_until_buffered(stream, wait_for)?;
    // BUG: one recv(1024) is taken to be the whole answer, and the answer
    // to the command just sent.
    let answer = recv_up_to(stream, out, RECV_SIZE)?;
    if answer.len() > PREVIEW {
        out.say(format!("  … ending {}", show(tail(&answer, TAIL))));
    }
    let left = bytes_waiting(stream)?;
    if left > 0 {
        out.say(format!(
            "{left} more bytes are still waiting in the receive buffer"
        ));
    }
    Ok(answer)
}
// ANCHOR_END: read_answer

/// The last `n` bytes of `text` or a few more, starting on a character
/// boundary, to show how a long answer ends.
pub fn tail(text: &[u8], n: usize) -> &[u8] {
    let mut start = text.len().saturating_sub(n);
    // UTF-8 continuation bytes look like 0b10xx_xxxx: step back to the
    // character's first byte.
    while start > 0 && text[start] & 0b1100_0000 == 0b1000_0000 {
        start -= 1;
    }
    &text[start..]
}

/// Send one command as the document's client does: the bare text.
pub fn send_command(stream: &mut TcpStream, out: &mut Side, command: &str) -> io::Result<()> {
    out.sent(command.as_bytes());
    stream.write_all(command.as_bytes())
}

/// Two commands in one process: `ls` (longer than one recv) and `help`.
pub fn demo() -> io::Result<()> {
    let folder = SampleFolder::create()?;
    let listing = commands::run("ls", folder.path())?.len();
    let help = commands::HELP.len();
    let (answers_tx, answers) = mpsc::channel();
    let served = folder.path().to_owned();
    classroom::tcp::demo_pair(
        move |mut conn, out| {
            serve_reporting(&mut conn, out, &served, |n| {
                let _ = answers_tx.send(n);
            })
        },
        |mut stream, out| {
            // The server reports each answer's length, so the client can
            // wait until all of it is in before reading: the same cut every
            // run.
            let mut unread = 0;
            for command in ["ls", "help"] {
                send_command(&mut stream, out, command)?;
                unread += answers
                    .recv()
                    .map_err(|_| io::Error::other("the server stopped answering"))?;
                unread -= read_answer(&mut stream, out, unread)?.len();
            }
            Ok(())
        },
    )?;
    let left = listing.saturating_sub(RECV_SIZE);
    narrate(format!(
        "`ls` answered {listing} bytes but the client read {RECV_SIZE}; the other {left} waited in its buffer"
    ));
    narrate(format!(
        "so the answer to `help` was {} bytes: the last {left} bytes of `ls`, then the {help} bytes of `help`",
        left + help
    ));
    narrate(
        "one recv(1024) is not one answer: lesson 05 sends the answer's length first (document 001's ready|size)",
    );
    Ok(())
}

/// The two-terminal client: send each command (arguments, or lines typed
/// at a `>>> ` prompt until `exit`, `q` or end of input) and read each
/// answer with one `recv(1024)`, as document 001's client does.
pub fn run_client(addr: SocketAddr, commands: &[String]) -> io::Result<()> {
    let mut out = Side::client();
    let mut stream = classroom::tcp::connect(addr)?;
    out.say(format!("connected to {addr}"));
    for command in classroom::cli::input_lines(commands) {
        let command = command.trim();
        if command.is_empty() {
            continue; // TCP cannot send an empty message (see `demo udp`)
        }
        // Read once the answer has begun to arrive: whatever was already
        // waiting, plus at least one byte of the new answer.
        let before = bytes_waiting(&stream)?;
        send_command(&mut stream, &mut out, command)?;
        if GOODBYE.contains(&command) {
            break;
        }
        read_answer(&mut stream, &mut out, before + 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tail_starts_on_a_character() {
        assert_eq!(tail(b"abcdef", 2), b"ef");
        assert_eq!(tail(b"ab", 5), b"ab");
        assert_eq!(tail("a翔".as_bytes(), 2), "翔".as_bytes());
    }
}
