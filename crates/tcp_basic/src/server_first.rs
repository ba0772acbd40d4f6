//! `server-first`: the server speaks first, so the client must start by
//! receiving. If both sides started with `recv`, both would wait for ever
//! (document 004 §4.2, port 8080).

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::{Side, narrate};

use classroom::tcp::{demo_pair, recv_once, until_closed};

/// The document's port for this step.
pub const PORT: u16 = 8080;

// ANCHOR: serve
/// The server's half: greet first, then listen.
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    out.sent(b"hello");
    conn.write_all(b"hello")?;
    recv_once(&mut conn, out)?;
    until_closed(&mut conn, out)
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's half: receive first, then answer.
pub fn client(mut stream: TcpStream, out: &mut Side, answer: &str) -> io::Result<()> {
    recv_once(&mut stream, out)?;
    out.sent(answer.as_bytes());
    stream.write_all(answer.as_bytes())
}
// ANCHOR_END: client

/// What the document's client answers.
pub const ANSWER: &str = "你好";

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    demo_pair(serve, |stream, out| client(stream, out, ANSWER))?;
    narrate("the protocol decides who speaks first; the other side must start with recv");
    narrate("\"你好\" is 2 characters but 6 bytes: TCP carries bytes, UTF-8 turns text into them");
    Ok(())
}

/// Connect and run the client, answering with the messages (joined by
/// spaces) or the document's `你好`.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let answer = if messages.is_empty() {
        ANSWER.to_owned()
    } else {
        messages.join(" ")
    };
    classroom::tcp::client_session(addr, |stream, out| client(stream, out, &answer))
}
