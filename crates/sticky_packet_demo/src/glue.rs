//! `glue` (the headline): the client sends `lbw正在吃` and then `翔` with two
//! separate writes; the server's one `recv(1024)` returns both, glued
//! (document 002 §3 粘包, port 8001; document 004 §粘包问题 shows the same
//! with `hello` + `world`, then an empty read).
//!
//! TCP delivers bytes in order and loses none, but it keeps no record of
//! where one write ended and the next began. Both writes land in the
//! server's receive buffer (接收缓冲区), and `recv` hands over whatever is
//! there, up to the size asked for.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;

use classroom::{Side, narrate};

use crate::wait::wait_until_buffered;
use crate::{DRAIN_LIMIT, RECV_SIZE, recv_up_to, show_hex, until_closed};

/// Document 002's port for its sticky-packet example.
pub const PORT: u16 = 8001;

/// What document 002's client sends, one `sendall` each.
pub const MESSAGES: [&str; 2] = ["lbw正在吃", "翔"];

// ANCHOR: send_each
/// The client's half: every message is its own write, like the document's
/// two `sendall` calls. Nothing marks where one ends.
pub fn send_each(stream: &mut TcpStream, out: &mut Side, messages: &[&[u8]]) -> io::Result<()> {
    for message in messages {
        out.sent(message);
        show_hex(out, message);
        stream.write_all(message)?;
    }
    Ok(())
}
// ANCHOR_END: send_each

// ANCHOR: recv_naive
/// The server's half, as the document writes it: one `recv(1024)`, taken
/// to be one message. First it waits until `wait_for` bytes are in its
/// receive buffer, as a server busy elsewhere would have by the time it
/// called `recv`. Returns every read, the final 0-byte one included.
pub fn recv_naive(
    conn: &mut TcpStream,
    out: &mut Side,
    wait_for: usize,
) -> io::Result<Vec<Vec<u8>>> {
    let waiting = wait_until_buffered(conn, wait_for)?;
    out.say(format!(
        "{waiting} bytes are waiting in the receive buffer; now one recv({RECV_SIZE})"
    ));
    // BUG: one recv is not one message: it returns whatever the buffer
    // holds, up to 1024 bytes, however many sends put it there.
    let message = recv_up_to(conn, out, RECV_SIZE)?;
    if message.is_empty() {
        return Ok(vec![message]); // the client left without a word
    }
    show_hex(out, &message);
    // The document's server would close here; reading on until the client
    // closes shows the other half of document 004's example: the next recv
    // returns 0 bytes, which is the peer closing, not an empty message.
    let mut reads = vec![message];
    reads.extend(until_closed(conn, out, DRAIN_LIMIT)?);
    Ok(reads)
}
// ANCHOR_END: recv_naive

/// Run both halves in one process and return what the server's reads got.
///
/// The server waits until every byte of every message is in its buffer
/// before its `recv`, so the glue shows on every run (the test runs this a
/// hundred times).
pub fn exchange(messages: &[&[u8]]) -> io::Result<Vec<Vec<u8>>> {
    let total = messages.iter().map(|m| m.len()).sum();
    let (reads_tx, reads) = mpsc::channel();
    classroom::tcp::demo_pair(
        move |mut conn, out| {
            let got = recv_naive(&mut conn, out, total)?;
            let _ = reads_tx.send(got);
            Ok(())
        },
        // The client sends, and closes when `stream` is dropped.
        |mut stream, out| send_each(&mut stream, out, messages),
    )?;
    reads
        .recv()
        .map_err(|_| io::Error::other("the server role ended without reporting its reads"))
}

/// One line: how many sends came out of how many reads.
pub fn verdict(sends: usize, reads: &[Vec<u8>]) -> String {
    let with_data = reads.iter().filter(|r| !r.is_empty()).count();
    let recvs = if with_data == 1 { "recv" } else { "recvs" };
    if with_data < sends {
        format!(
            "{sends} sends arrived in {with_data} {recvs} — TCP kept the bytes and their order, not the boundaries"
        )
    } else {
        format!("{sends} sends arrived in {with_data} {recvs}")
    }
}

/// The headline: two sends, one recv, then the 0-byte read of the close.
pub fn demo() -> io::Result<()> {
    let messages: Vec<&[u8]> = MESSAGES.iter().map(|m| m.as_bytes()).collect();
    let reads = exchange(&messages)?;
    narrate(verdict(messages.len(), &reads));
    narrate("the second recv returned 0 bytes: that is the client closing, not a message");
    narrate(
        "the server waited until all the bytes were in its buffer before reading, so this shows every run; a busy server that reads late gets the same",
    );
    narrate(
        "the fix is to say where each message ends (a length before it): lesson 05, struct_header_fix",
    );
    Ok(())
}

/// The two-terminal server's conversation: read late (until the client has
/// closed, or a full `recv(1024)` is waiting), then one `recv(1024)`.
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    out.say(format!(
        "reading late: waiting until the client has closed or {RECV_SIZE} bytes are in"
    ));
    recv_naive(&mut conn, out, RECV_SIZE).map(drop)
}

/// The two-terminal client: connect, send each message as its own write (the
/// document's two messages when none are given), close.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let messages: Vec<&[u8]> = if messages.is_empty() {
        MESSAGES.iter().map(|m| m.as_bytes()).collect()
    } else {
        messages.iter().map(|m| m.as_bytes()).collect()
    };
    let mut out = Side::client();
    let mut stream = classroom::tcp::connect(addr)?;
    out.say(format!("connected to {addr}"));
    send_each(&mut stream, &mut out, &messages)?;
    out.say("closing");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_counts_only_reads_with_data() {
        let glued = [b"ab".to_vec(), Vec::new()];
        assert!(verdict(2, &glued).starts_with("2 sends arrived in 1 recv — "));
        let apart = [b"a".to_vec(), b"b".to_vec(), Vec::new()];
        assert_eq!(verdict(2, &apart), "2 sends arrived in 2 recvs");
    }
}
