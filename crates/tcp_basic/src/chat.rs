//! `chat`: a conversation that goes on until someone types `q` (document
//! 004 §4.2, the persistent version, port 8080). Each side takes turns:
//! the client sends a line, the server answers one.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::tcp::{RECV_SIZE, TYPING_PATIENCE, seconds};
use classroom::{Traced, narrate, runner};

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// The word that ends the conversation, from either side.
pub const QUIT: &str = "q";

/// What a client says instead of sending an empty line.
pub const EMPTY_LINE: &str = "an empty line is not sent: TCP has no empty messages";

// ANCHOR: server
/// The server's half, for one client: answer each message with the next
/// line of `replies` until either side says `q` or the client leaves.
pub fn server(
    listener: &TcpListener,
    replies: &mut impl Iterator<Item = String>,
) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    // A person types at the other end: wait as long as they think (up to
    // 10 minutes a line), not the 30 s a program gets in all.
    let mut conn = Traced::accepted(conn, peer)?.typed_by_a_person()?;
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let n = conn.read(&mut buf)?; // Python: ret = conn.recv(1024)
        if ended_by_client(&conn, &buf[..n]) {
            return Ok(());
        }
        // An empty line would send nothing (TCP has no empty messages).
        let Some(reply) = replies.find(|reply| !reply.is_empty()) else {
            conn.say("no more replies: this side's input ended, so I close");
            return Ok(());
        };
        if reply == QUIT {
            conn.say("sending q: the conversation ends here");
        }
        conn.write_all(reply.as_bytes())?; // Python: conn.send(info.encode('utf-8'))
        if reply == QUIT {
            return Ok(());
        }
    }
}
// ANCHOR_END: server

// ANCHOR: ended
/// Whether one read's bytes end the conversation, and if so, say why in the
/// server's lane: 0 bytes (the client closed) or `q`.
pub fn ended_by_client(conn: &Traced<TcpStream>, message: &[u8]) -> bool {
    let why = match message {
        [] => "the client closed the connection without q",
        q if q == QUIT.as_bytes() => "the client said q: closing",
        _ => return false,
    };
    conn.say(why);
    true
}
// ANCHOR_END: ended

// ANCHOR: client
/// The client's half: send each line, wait for the answer, stop at `q`.
/// Every way the conversation can end is said in plain words.
pub fn client(addr: SocketAddr, lines: impl Iterator<Item = String>) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    let mut buf = [0u8; RECV_SIZE];
    for line in lines {
        if line.is_empty() {
            // A zero-byte write sends nothing, and the server would wait
            // for ever for a message that never comes.
            stream.say(EMPTY_LINE);
            continue;
        }
        if line == QUIT {
            stream.say("sending q: the conversation ends here");
            return stream.write_all(line.as_bytes()); // dropping `stream` closes
        }
        stream.write_all(line.as_bytes())?; // Python: sk.send(info.encode('utf-8'))
        let n = stream.read(&mut buf)?; // Python: ret = sk.recv(1024)
        if n == 0 {
            stream.say(format!(
                "the server closed the connection (it waits {} for each line you type)",
                seconds(TYPING_PATIENCE)
            ));
            return Ok(());
        }
        if &buf[..n] == QUIT.as_bytes() {
            stream.say("the server said q: closing");
            return Ok(());
        }
    }
    stream.say("nothing more to send: closing the connection");
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
