//! `hello`: the smallest conversation. The client sends `hello!`, the server
//! prints it and answers `hi` (document 000, port 8898).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::tcp::{RECV_SIZE, until_closed};
use classroom::{Side, Traced, narrate, runner};

use crate::chat::{EMPTY_LINE, QUIT};

/// The document's port for this step.
pub const PORT: u16 = 8898;

/// What the document's client sends.
pub const GREETING: &str = "hello!";

// ANCHOR: server
/// The server's half, for one client: receive, answer `hi`, let it close.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sk.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    let mut buf = [0u8; RECV_SIZE];
    let n = conn.read(&mut buf)?; // Python: ret = conn.recv(1024)
    if n == 0 {
        return Ok(()); // the client left without a word
    }
    conn.write_all(b"hi")?; // Python: conn.send(b'hi')
    until_closed(&mut conn)?; // let the client close first (lesson 02)
    Ok(())
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: connect, send the message, read the answer, close.
pub fn client(addr: SocketAddr, message: &[u8]) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: sk.connect(('127.0.0.1', 8898))
    let mut stream = Traced::connected(stream)?;
    stream.write_all(message)?; // Python: sk.send(b'hello!')
    let mut buf = [0u8; RECV_SIZE];
    let _answer = stream.read(&mut buf)?; // Python: ret = sk.recv(1024)
    Ok(()) // dropping `stream` closes the connection
}
// ANCHOR_END: client

/// `client hello`: one connection per message, as document 000's client
/// makes one for its one message; stops at `q` or the end of the messages.
pub fn client_each(addr: SocketAddr, messages: impl Iterator<Item = String>) -> io::Result<()> {
    for message in messages.take_while(|m| m != QUIT) {
        if message.is_empty() {
            Side::client().say(EMPTY_LINE);
            continue;
        }
        client(addr, message.as_bytes())?;
    }
    Ok(())
}

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    runner::pair(server, |addr| client(addr, GREETING.as_bytes()))?;
    narrate("one send, one recv on each side: the bytes arrived as they were sent, in order");
    narrate("next: `demo server-first`, where the server speaks first");
    Ok(())
}
