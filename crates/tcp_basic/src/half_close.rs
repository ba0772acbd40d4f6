//! `half-close`: the four-way close (四次挥手) made visible. The client shuts
//! down only its sending side; the server reads to end-of-stream (`recv`
//! returns 0 bytes), yet still sends its answer, which the client receives
//! (documents 004 §2.3.1 and 001 §四次挥手; port 8001 as in document 002).

use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};

use classroom::tcp::until_closed;
use classroom::{Traced, narrate, runner};

/// The port document 002 uses for its TCP examples.
pub const PORT: u16 = 8001;

/// What the client sends when it is given nothing else.
pub const MESSAGE: &str = "hello";

// ANCHOR: server
/// The server's half: read everything until EOF, then answer and close.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    // Read until a read returns 0 bytes: the client's FIN, "no more data".
    let total = until_closed(&mut conn)?;
    report_state(&conn);
    conn.write_all(format!("got {total} bytes, bye").as_bytes())?;
    Ok(()) // dropping `conn` sends our FIN: the fourth step of the close
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: send each message, shut down the sending side, keep
/// receiving until the server closes too.
pub fn client(addr: SocketAddr, messages: &[impl AsRef<[u8]>]) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    stream.say("after the last message, shutdown(Write): a FIN; this side can still receive");
    for message in messages {
        stream.write_all(message.as_ref())?;
    }
    stream.shutdown(Shutdown::Write)?; // Python: sk.shutdown(socket.SHUT_WR)
    until_closed(&mut stream)?; // the answer, then the server's FIN
    Ok(())
}
// ANCHOR_END: client

/// Print the server socket's TCP state, read from the kernel (Linux).
fn report_state(conn: &Traced<TcpStream>) {
    let (Ok(SocketAddr::V4(local)), Ok(SocketAddr::V4(peer))) =
        (conn.local_addr(), conn.peer_addr())
    else {
        return;
    };
    match classroom::tcp_state::state_of(local, peer) {
        Ok(Some(state)) => conn.say(format!(
            "my socket is now {state}: the client has closed, I may still send"
        )),
        Ok(None) => {}
        Err(e) => conn.say(format!("(TCP state not shown: {e})")),
    }
}

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    runner::pair(server, |addr| client(addr, &[MESSAGE]))?;
    narrate("each direction closed on its own: FIN and ACK one way, then the other: four steps");
    narrate("the side that closed first ends in TIME_WAIT: lesson 02 (reuseaddr) is about that");
    Ok(())
}
