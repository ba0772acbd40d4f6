//! `hello`: the smallest conversation. The client sends `hello!`, the server
//! prints it and answers `hi` (document 000, port 8898).

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::{Side, narrate};

use classroom::tcp::{demo_pair, recv_once, until_closed};

/// The document's port for this step.
pub const PORT: u16 = 8898;

/// What the document's client sends.
pub const GREETING: &[u8] = b"hello!";

// ANCHOR: serve
/// The server's half: one `recv(1024)`, print it, answer `hi`.
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    let request = recv_once(&mut conn, out)?;
    if request.is_empty() {
        return Ok(()); // the client left without a word
    }
    out.sent(b"hi");
    conn.write_all(b"hi")?;
    // Let the client close first: it has what it came for.
    until_closed(&mut conn, out)
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's half: send the message, read the answer, close.
pub fn client(mut stream: TcpStream, out: &mut Side, message: &[u8]) -> io::Result<()> {
    out.sent(message);
    stream.write_all(message)?;
    recv_once(&mut stream, out)?;
    Ok(()) // dropping `stream` closes the connection
}
// ANCHOR_END: client

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    demo_pair(serve, |stream, out| client(stream, out, GREETING))?;
    narrate("one send, one recv on each side: the bytes arrived as they were sent, in order");
    narrate("next: `demo server-first`, where the server speaks first");
    Ok(())
}

/// Connect to `addr` and run the client once per message.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let default = [String::from_utf8_lossy(GREETING).into_owned()];
    let messages = if messages.is_empty() {
        &default[..]
    } else {
        messages
    };
    for message in messages {
        classroom::tcp::client_session(addr, |stream, out| {
            client(stream, out, message.as_bytes())
        })?;
    }
    Ok(())
}
