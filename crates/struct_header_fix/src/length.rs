//! `length`: document 002's fix (§如何解决粘包, port 8001). Every message
//! travels as a 4-byte `struct.pack('i', len)`, then the data; the receiver
//! reads exactly 4 bytes, then exactly `len`. The demo sends lesson 04's
//! glued pair, `lbw正在吃` and `翔`, and an empty message.

use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};

use classroom::{Traced, narrate, runner};
use serde::de::IgnoredAny;

use crate::frame::{MESSAGE_CAP, recv_framed, recv_reply, refuse, send_framed, send_held};

/// The document's port for this step.
pub const PORT: u16 = 8001;

// ANCHOR: server
/// The server's half, for one client: read frames until the client closes.
/// A bad frame gets an `{"error": …}` frame back and ends the connection.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sock.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    loop {
        // Python: header1 = conn.recv(4)
        //         data_length1 = struct.unpack('i', header1)[0]
        //         then conn.recv(...) until has_recv_len == data_length1
        let message = match recv_framed(&mut conn, MESSAGE_CAP) {
            Ok(Some(message)) => message,
            Ok(None) => return Ok(()), // the client closed between two messages
            Err(e) => return refuse(&mut conn, e), // tell the client what was wrong
        };
        if message.is_empty() {
            conn.say("an empty message: its frame is the 4-byte length alone");
        } else if std::str::from_utf8(&message).is_err() {
            conn.say("not UTF-8 text (Python's decode('utf-8') would raise here)");
        }
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: one frame per line until `q`, then close the sending
/// side. With `hold` the writes leave together, glued, in one send.
pub fn client(
    addr: SocketAddr,
    lines: impl IntoIterator<Item = String>,
    hold: bool,
) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: client.connect(('127.0.0.1', 8001))
    let mut stream = Traced::connected(stream)?;
    send_held(&mut stream, hold, |out| {
        for message in lines.into_iter().take_while(|line| line != "q") {
            send_framed(out, message.as_bytes())?; // one frame per message
        }
        Ok(())
    })?;
    stream.shutdown(Shutdown::Write)?; // Python: client.close(), but we still listen
    // The server answers only to say what was wrong: that becomes an error.
    recv_reply::<IgnoredAny>(&mut stream).map(drop)
}
// ANCHOR_END: client

/// The document's two messages and an empty one, glued into one send.
pub fn demo() -> io::Result<()> {
    let messages = ["lbw正在吃", "翔", ""].map(String::from);
    runner::pair(server, |addr| client(addr, messages, true))?;
    narrate("one send carried three messages glued together (粘包), as lesson 04's did");
    narrate("the server still took them apart: each 4-byte length said where its message ended");
    narrate("an empty message is a frame too (00 00 00 00); raw TCP cannot send one");
    Ok(())
}
