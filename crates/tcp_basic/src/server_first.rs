//! `server-first`: the server speaks first, so the client must start by
//! receiving. If both sides started with `recv`, both would wait for ever
//! (document 004 §4.2, port 8080).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::tcp::{RECV_SIZE, until_closed};
use classroom::{Traced, narrate, runner};

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// What the document's client answers.
pub const ANSWER: &str = "你好";

// ANCHOR: server
/// The server's half: greet first, then listen.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    conn.write_all(b"hello")?; // Python: conn.send(b'hello')
    until_closed(&mut conn)?; // Python: conn.recv(1024), then on until the client closes
    Ok(())
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: receive first, then answer.
pub fn client(addr: SocketAddr, answer: &str) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    let mut buf = [0u8; RECV_SIZE];
    let _greeting = stream.read(&mut buf)?; // Python: info = sk.recv(1024).decode('utf-8')
    stream.write_all(answer.as_bytes()) // Python: sk.send('你好'.encode('utf-8'))
}
// ANCHOR_END: client

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    runner::pair(server, |addr| client(addr, ANSWER))?;
    narrate("the protocol decides who speaks first; the other side must start with recv");
    narrate("\"你好\" is 2 characters but 6 bytes: TCP carries bytes, UTF-8 turns text into them");
    Ok(())
}
