//! `half-close`: the four-way close (四次挥手) made visible. The client shuts
//! down only its sending side; the server reads to end-of-stream (`recv`
//! returns 0 bytes), yet still sends its answer, which the client receives
//! (documents 004 §2.3.1 and 001 §四次挥手; port 8001 as in document 002).

use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};

use classroom::{Side, narrate};

use classroom::tcp::{demo_pair, recv_once};

/// The port document 002 uses for its TCP examples.
pub const PORT: u16 = 8001;

// ANCHOR: serve
/// The server's half: read everything until EOF, then answer and close.
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    let mut total = 0;
    loop {
        let got = recv_once(&mut conn, out)?;
        if got.is_empty() {
            break; // FIN received: the client will send no more
        }
        total += got.len();
    }
    report_state(&conn, out);
    let answer = format!("got {total} bytes, bye");
    out.sent(answer.as_bytes());
    conn.write_all(answer.as_bytes())?;
    Ok(()) // dropping `conn` sends our FIN: the fourth step of the close
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's half: send each message, shut down the sending side, keep
/// receiving.
pub fn client(mut stream: TcpStream, out: &mut Side, messages: &[&[u8]]) -> io::Result<()> {
    for message in messages {
        out.sent(message);
    }
    out.say("shutdown(Write): send FIN; this side can still receive");
    for message in messages {
        stream.write_all(message)?;
    }
    stream.shutdown(Shutdown::Write)?;
    while !recv_once(&mut stream, out)?.is_empty() {}
    Ok(())
}
// ANCHOR_END: client

/// Print the server socket's TCP state, read from the kernel (Linux).
fn report_state(conn: &TcpStream, out: &Side) {
    let (Ok(SocketAddr::V4(local)), Ok(SocketAddr::V4(peer))) =
        (conn.local_addr(), conn.peer_addr())
    else {
        return;
    };
    match classroom::tcp_state::state_of(local, peer) {
        Ok(Some(state)) => out.say(format!(
            "my socket is now {state}: the client has closed, I may still send"
        )),
        Ok(None) => {}
        Err(e) => out.say(format!("(TCP state not shown: {e})")),
    }
}

/// What the client sends.
pub const MESSAGE: &[u8] = b"hello";

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    demo_pair(serve, |stream, out| client(stream, out, &[MESSAGE]))?;
    narrate(
        "each direction closed on its own: client FIN -> ACK, then server FIN -> ACK, four steps",
    );
    narrate(
        "the side that closes first ends in TIME_WAIT: lesson 02 (reuseaddr) shows why that matters",
    );
    Ok(())
}

/// Connect and run the client with the messages, or `hello`.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let messages: Vec<&[u8]> = if messages.is_empty() {
        vec![MESSAGE]
    } else {
        messages.iter().map(|m| m.as_bytes()).collect()
    };
    classroom::tcp::client_session(addr, |stream, out| client(stream, out, &messages))
}
