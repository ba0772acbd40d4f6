//! `chat`: a conversation that goes on until someone types `q` (document
//! 004 §4.2, the persistent version, port 8080). Each side takes turns:
//! the client sends a line, the server answers one.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::{Side, narrate};

use classroom::tcp::{demo_pair, recv_once};

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// The word that ends the conversation, from either side.
pub const QUIT: &str = "q";

// ANCHOR: serve
/// The server's half: answer each message with the next line of `replies`
/// until either side says `q` or the client leaves.
pub fn serve(
    mut conn: TcpStream,
    out: &mut Side,
    replies: &mut dyn Iterator<Item = String>,
) -> io::Result<()> {
    loop {
        let message = recv_once(&mut conn, out)?;
        if message.is_empty() {
            return Ok(()); // the client closed without saying q
        }
        if message == QUIT.as_bytes() {
            out.say("the client said q: closing");
            return Ok(());
        }
        let Some(reply) = replies.next() else {
            return Ok(()); // no more input on this side
        };
        out.sent(reply.as_bytes());
        conn.write_all(reply.as_bytes())?;
        if reply == QUIT {
            return Ok(());
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's half: send each line, wait for the answer, stop at `q`.
pub fn client(
    mut stream: TcpStream,
    out: &mut Side,
    lines: impl Iterator<Item = String>,
) -> io::Result<()> {
    for line in lines {
        if line.is_empty() {
            // A zero-byte write sends nothing, and the server would wait
            // for ever for a message that never comes.
            out.say("an empty line is not sent: TCP has no empty messages");
            continue;
        }
        out.sent(line.as_bytes());
        stream.write_all(line.as_bytes())?;
        if line == QUIT {
            return Ok(());
        }
        let reply = recv_once(&mut stream, out)?;
        if reply.is_empty() || reply == QUIT.as_bytes() {
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
    demo_pair(
        move |conn, out| serve(conn, out, &mut replies.into_iter()),
        |stream, out| client(stream, out, lines.into_iter()),
    )?;
    narrate("one connection carried the whole conversation; each side took turns to send");
    narrate("a second client would wait until this one said q: `demo one-at-a-time`");
    Ok(())
}

/// Connect and chat, with lines from `messages` or stdin.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    classroom::tcp::client_session(addr, |stream, out| {
        out.say("type a line and press Enter; q quits");
        client(stream, out, classroom::cli::input_lines(messages))
    })
}
