//! `client-closes-first`: the same story as `broken`, SO_REUSEADDR still off,
//! but the client closes first. TIME_WAIT lands on the client's side, on
//! the client's own port, and the server starts again without trouble: who
//! closes first decides (document 004 §2.3.1 四次挥手, document 001; port 8898).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use classroom::tcp::{RECV_SIZE, until_closed};
use classroom::{Traced, narrate};
use socket2::SockRef;

use crate::{ANSWER, Bind, GREETING, Restart, demo_restart, show_state};

/// How long the server's `close` may wait for the client to acknowledge our
/// FIN (see [`server_wait_for_client`]). On loopback it takes microseconds.
pub const LINGER: Duration = Duration::from_secs(10);

// ANCHOR: server
/// The server's half when the client closes first: answer, wait for the
/// client's FIN, then close. The server is the passive closer (被动关闭).
pub fn server_wait_for_client(listener: &TcpListener) -> io::Result<SocketAddr> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    if conn.read(&mut [0u8; RECV_SIZE])? > 0 {
        conn.write_all(ANSWER)?;
        until_closed(&mut conn)?; // the client's FIN: it closed first
    }
    conn.say("closing: my FIN answers the client's");
    // With SO_LINGER set, `close` waits until the client has acknowledged
    // our FIN, the last step of the close. When it returns, this end of the
    // connection is gone for good: LAST_ACK leads straight to CLOSED.
    SockRef::from(&*conn).set_linger(Some(LINGER))?;
    Ok(peer) // dropping `conn` closes it
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: send, read the answer, and close first. Returns once
/// the server's FIN has arrived, when this side is in TIME_WAIT.
pub fn client_close_first(addr: SocketAddr, message: &[u8]) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
    stream.write_all(message)?;
    let _answer = stream.read(&mut [0u8; RECV_SIZE])?;
    stream.say("shutdown(Write): my FIN goes out first, so I am the active closer (主动关闭)");
    stream.shutdown(Shutdown::Write)?;
    until_closed(&mut stream)?; // the server's FIN: we are in TIME_WAIT now
    show_state(stream.side(), local, peer);
    Ok(())
}
// ANCHOR_END: client

/// Both halves in one process; the server restarts with SO_REUSEADDR off.
pub fn demo() -> io::Result<()> {
    let restart = demo_restart(Bind::WithoutReuse, server_wait_for_client, |addr| {
        client_close_first(addr, GREETING)
    })?;
    match restart {
        Restart::Listening(_) => {
            narrate(
                "the client closed first: the TIME_WAIT holds the client's port, not the server's",
            );
            narrate(
                "who closes first decides where TIME_WAIT lands; servers set SO_REUSEADDR anyway",
            );
        }
        Restart::Failed(e) => narrate(format!("the restart failed: {e}")),
    }
    Ok(())
}
