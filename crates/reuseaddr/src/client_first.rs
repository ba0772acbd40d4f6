//! `client-closes-first`: the same story as `broken`, SO_REUSEADDR still off,
//! but the client closes first. TIME_WAIT lands on the client's side, on
//! the client's own port, and the server starts again without trouble: who
//! closes first decides (document 004 §2.3.1 四次挥手, document 001; port 8898).

use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use classroom::{Side, narrate};
use socket2::SockRef;

use crate::{ANSWER, Bind, GREETING, Restart, demo_restart, recv_once, show_state, until_closed};

/// How long the server's `close` may wait for the client to acknowledge our
/// FIN (see [`serve_wait_for_client`]). On loopback it takes microseconds.
pub const LINGER: Duration = Duration::from_secs(10);

// ANCHOR: serve
/// The server's half when the client closes first: answer, wait for the
/// client's FIN, then close. The server is the passive closer (被动关闭).
pub fn serve_wait_for_client(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    if !recv_once(&mut conn, out)?.is_empty() {
        out.sent(ANSWER);
        conn.write_all(ANSWER)?;
        until_closed(&mut conn, out)?; // the client's FIN: it closed first
    }
    out.say("closing: my FIN answers the client's");
    // With SO_LINGER set, `close` waits until the client has acknowledged
    // our FIN, the last step of the close. When it returns, this end of the
    // connection is gone for good: LAST_ACK leads straight to CLOSED.
    SockRef::from(&conn).set_linger(Some(LINGER))?;
    Ok(()) // dropping `conn` closes it
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's half: send, read the answer, and close first. Returns once
/// the server's FIN has arrived, when this side is in TIME_WAIT.
pub fn client_close_first(mut stream: TcpStream, out: &mut Side, message: &[u8]) -> io::Result<()> {
    let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
    out.sent(message);
    stream.write_all(message)?;
    recv_once(&mut stream, out)?; // the answer
    out.say("shutdown(Write): my FIN goes out first, so I am the active closer (主动关闭)");
    stream.shutdown(Shutdown::Write)?;
    until_closed(&mut stream, out)?; // the server's FIN: we are in TIME_WAIT now
    show_state(out, local, peer);
    Ok(())
}
// ANCHOR_END: client

/// Both halves in one process; the server restarts with SO_REUSEADDR off.
pub fn demo() -> io::Result<()> {
    let outcome = demo_restart(Bind::WithoutReuse, serve_wait_for_client, |stream, out| {
        client_close_first(stream, out, GREETING)
    })?;
    match outcome {
        Restart::Listening(_) => {
            narrate(
                "the client closed first, so the TIME_WAIT is on the client's port; the server's port is free",
            );
            narrate(
                "who closes first decides where TIME_WAIT lands: let clients close first, or set SO_REUSEADDR",
            );
        }
        Restart::Failed(e) => narrate(format!("the restart failed: {e}")),
    }
    Ok(())
}

/// `client client-closes-first` in two terminals.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let message = crate::one_message(messages)?;
    crate::client_session(addr, |stream, out| {
        client_close_first(stream, out, &message)
    })
}
