//! `chat`: a conversation that goes on until someone types `q` (document
//! 004 §4.2, the persistent version, port 8080). Each side takes turns:
//! the client sends a line, the server answers one.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::tcp::RECV_SIZE;
use classroom::{Traced, narrate, runner};

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// The word that ends the conversation, from either side.
pub const QUIT: &str = "q";

// ANCHOR: server
/// The server's half, for one client: answer each message with the next
/// line of `replies` until either side says `q` or the client leaves.
pub fn server(listener: &TcpListener, replies: &mut dyn Iterator<Item = String>) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let n = conn.read(&mut buf)?; // Python: ret = conn.recv(1024)
        if n == 0 {
            return Ok(()); // the client closed without saying q
        }
        if &buf[..n] == QUIT.as_bytes() {
            conn.say("the client said q: closing");
            return Ok(());
        }
        let Some(reply) = replies.next() else {
            return Ok(()); // no more input on this side
        };
        conn.write_all(reply.as_bytes())?; // Python: conn.send(info.encode('utf-8'))
        if reply == QUIT {
            return Ok(());
        }
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: send each line, wait for the answer, stop at `q`.
pub fn client(addr: SocketAddr, lines: impl Iterator<Item = String>) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    let mut buf = [0u8; RECV_SIZE];
    for line in lines {
        if line.is_empty() {
            // A zero-byte write sends nothing, and the server would wait
            // for ever for a message that never comes.
            stream.say("an empty line is not sent: TCP has no empty messages");
            continue;
        }
        stream.write_all(line.as_bytes())?; // Python: sk.send(info.encode('utf-8'))
        if line == QUIT {
            return Ok(());
        }
        let n = stream.read(&mut buf)?; // Python: ret = sk.recv(1024)
        if n == 0 || &buf[..n] == QUIT.as_bytes() {
            return Ok(());
        }
    }
    Ok(())
}
// ANCHOR_END: client

/// Both halves in one process, with a scripted conversation.
pub fn demo() -> io::Result<()> {
    let lines = ["你好", "how is the lesson going?", "", "q"].map(String::from);
    let replies = ["hi!", "fine, thanks"].map(String::from);
    runner::pair(
        move |listener| server(listener, &mut replies.into_iter()),
        |addr| client(addr, lines.into_iter()),
    )?;
    narrate("one connection carried the whole conversation; each side took turns to send");
    narrate("a second client would wait until this one said q: `demo one-at-a-time`");
    Ok(())
}
