//! `leftover`: document 001's remote-command server (§粘包问题, port 9999).
//! The client sends a command and reads the answer with one `recv(1024)`.
//! When an answer is longer than 1024 bytes, the rest stays in the client's
//! receive buffer, and the *next* command's answer starts with it.
//!
//! The document runs each command through a shell. Never do that on a
//! network server: anyone who can connect could run anything. Here the
//! commands are [`crate::commands`]' short allowlist (`ls`, `cat NAME`,
//! `help`), run in Rust inside a private folder of sample files, and the
//! server binds 127.0.0.1 unless told otherwise.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::bytes::{PREVIEW, show};
use classroom::tcp::{DRAIN_LIMIT, RECV_SIZE};
use classroom::{Traced, narrate, runner};

use crate::commands::{self, sample_folder};
use crate::wait::{bytes_waiting, wait_until_buffered};

/// Document 001's port.
pub const PORT: u16 = 9999;

/// How many bytes of a long answer's end the client shows.
pub const TAIL: usize = 36;

/// What the client says when the server has closed instead of answering.
pub const SERVER_CLOSED: &str =
    "the server has closed the connection (it gives each client limited time: --patience)";

/// The words that end a conversation: the document's `exit`, and `q`.
pub const GOODBYE: [&str; 2] = ["exit", "q"];

// ANCHOR: server
/// The server's half, for one client: like the document's, one
/// `recv(1024)` is one command (which also caps a command at 1024 bytes),
/// and the answer goes back as it is, with nothing to say how long it is.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = s.accept()
    // Every read and write below waits at most until this client's time
    // is up (30 s in all, or `server --patience`), so a client that goes quiet, or never reads its
    // answers, cannot keep the next one waiting.
    let mut conn = Traced::accepted(conn, peer)?;
    // A new folder for each client, made once it has connected and removed
    // when it leaves.
    let folder = sample_folder()?;
    let mut buf = [0u8; RECV_SIZE];
    let mut taken = 0;
    loop {
        let n = conn.read(&mut buf)?; // Python: recv_data = conn.recv(1024)
        if n == 0 {
            return Ok(()); // the client closed
        }
        taken += n;
        if taken > DRAIN_LIMIT {
            return Err(io::Error::other(format!(
                "the client sent more than {DRAIN_LIMIT} bytes of commands; closing its connection"
            )));
        }
        let answer = match std::str::from_utf8(&buf[..n]) {
            Ok(line) if GOODBYE.contains(&line.trim()) => return Ok(()),
            Ok(line) => commands::run(line.trim(), folder.path())?, // never a shell
            Err(_) => b"error: a command is UTF-8 text; see `help`\n".to_vec(),
        };
        // BUG: nothing tells the client how long the answer is; it reads
        // 1024 bytes and leaves the rest for the next command to find.
        conn.write_all(&answer)?; // Python: conn.send(ret)
    }
}
// ANCHOR_END: server

// ANCHOR: read_answer
/// The client's read: wait until `wait_for` bytes are in the receive buffer
/// (a client that got to its `recv` a little late), then read the answer
/// with one `recv(1024)`, as the document's client does.
pub fn read_answer(stream: &mut Traced<TcpStream>, wait_for: usize) -> io::Result<usize> {
    wait_until_buffered(stream, wait_for)?;
    let mut answer = [0u8; RECV_SIZE];
    // BUG: one recv(1024) is taken to be the whole answer, and the answer
    // to the command just sent.
    let n = stream.read(&mut answer)?; // Python: s.recv(1024)
    if n > PREVIEW {
        stream.say(format!("  … ending {}", show(tail(&answer[..n], TAIL))));
    }
    let left = bytes_waiting(stream)?;
    if left > 0 {
        stream.say(format!(
            "{left} more bytes are still waiting in the receive buffer"
        ));
    }
    Ok(n)
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

/// Two commands in one process: `ls` (longer than one recv) and `help`.
pub fn demo() -> io::Result<()> {
    // The client knows how long each answer is (the sample files are the
    // same in every folder), so it can wait until all of it is in before
    // reading: the same cut every run.
    let listing = commands::run("ls", sample_folder()?.path())?.len();
    let help = commands::HELP.len();
    runner::pair(server, |addr| {
        let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
        let mut unread = 0;
        for (command, answer) in [("ls", listing), ("help", help)] {
            stream.write_all(command.as_bytes())?;
            unread += answer;
            unread -= read_answer(&mut stream, unread)?;
        }
        Ok(())
    })?;
    let left = listing.saturating_sub(RECV_SIZE);
    narrate(format!(
        "`ls` answered {listing} bytes but the client read {RECV_SIZE}; the other {left} waited in its buffer"
    ));
    narrate(format!(
        "so the answer to `help` was {} bytes: the last {left} bytes of `ls`, then the {help} bytes of `help`",
        left + help
    ));
    narrate(
        "one recv(1024) is not one answer: lesson 05 sends its length first (document 001's ready|size)",
    );
    Ok(())
}

// ANCHOR: client
/// The two-terminal client: send each command (arguments, or lines typed
/// at a `>>> ` prompt until `exit`, `q` or end of input) and read each
/// answer with one `recv(1024)`, as document 001's client does.
pub fn client(addr: SocketAddr, commands: &[String]) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: s.connect(ip_port)
    let mut stream = Traced::connected(stream)?;
    for command in classroom::cli::input_lines(commands) {
        let command = command.trim();
        if command.is_empty() {
            continue; // TCP cannot send an empty message (see `demo udp`)
        }
        // Read once the answer has begun to arrive: whatever was already
        // waiting, plus at least one byte of the new answer.
        let before = bytes_waiting(&stream)?;
        stream.write_all(command.as_bytes())?; // Python: s.send(bytes(send_data, ...))
        if GOODBYE.contains(&command) {
            break;
        }
        if read_answer(&mut stream, before + 1)? == 0 {
            stream.say(SERVER_CLOSED); // no answer: the end of the stream
            break;
        }
    }
    Ok(())
}
// ANCHOR_END: client
