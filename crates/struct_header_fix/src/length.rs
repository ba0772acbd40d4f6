//! `length`: document 002's fix (§如何解决粘包, port 8001). Every message
//! travels as a 4-byte `struct.pack('i', len)` header and then the data;
//! the receiver reads exactly 4 bytes, then exactly `len`.
//!
//! The client sends two messages back to back, `lbw正在吃` and `翔`: the
//! very pair that lesson 04 saw glued together into `lbw正在吃翔`. With a
//! header in front of each, the server takes them apart again however the
//! bytes arrive.

use std::io;
use std::net::SocketAddr;

use classroom::{Side, narrate};

use crate::conn::Conn;
use crate::conn::Turns;
use crate::frame::{MESSAGE_CAP, recv_frame, send_frame};
use crate::transfer::{finish_and_wait_for_close, refuse};
use classroom::tcp::demo_pair;

/// The document's port for this step.
pub const PORT: u16 = 8001;

// ANCHOR: serve
/// The server's half: print each framed message until the client closes.
/// A bad frame gets an `{"error": …}` frame back and ends the connection.
pub fn serve(conn: &mut impl Conn, out: &mut Side) -> io::Result<()> {
    loop {
        match recv_frame(conn, MESSAGE_CAP, out) {
            Ok(Some(message)) => {
                if std::str::from_utf8(&message).is_err() {
                    out.say("not UTF-8 text (Python's decode('utf-8') would raise here)");
                }
            }
            Ok(None) => return Ok(()), // closed between two messages: done
            Err(e) => return refuse(conn, e.into(), out),
        }
    }
}
// ANCHOR_END: serve

/// The client's half: each line becomes one frame. Then the client closes
/// its sending side and waits for the server to close: the server only
/// ever answers to say something was wrong.
pub fn client(
    stream: &mut impl Conn,
    out: &mut Side,
    lines: impl Iterator<Item = String>,
) -> io::Result<()> {
    for line in lines {
        if line == "q" {
            break;
        }
        send_frame(stream, line.as_bytes(), out)?;
    }
    finish_and_wait_for_close(stream, out)
}

/// Connect and send `messages`, or lines from stdin, one frame each.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    classroom::tcp::client_session(addr, |mut stream, out| {
        out.say("one message per line, q to quit");
        client(&mut stream, out, classroom::cli::input_lines(messages))
    })
}

/// The document's two messages, and an empty one, sent back to back.
pub fn demo() -> io::Result<()> {
    let messages = ["lbw正在吃", "翔", ""].map(String::from);
    demo_pair(
        // The client's six writes go out together when it has finished
        // (see `Turns`): they wait in the server's buffer, glued, as in
        // lesson 04.
        |mut conn: Turns, out| serve(&mut conn, out),
        |mut stream: Turns, out| client(&mut stream, out, messages.into_iter()),
    )?;
    narrate(
        "the bytes sat glued in the server's buffer, but each 4-byte header said where its message ended",
    );
    narrate("an empty message is a frame too (00 00 00 00); raw TCP cannot send one");
    Ok(())
}
