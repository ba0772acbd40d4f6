//! `broken` and `fixed`: the server closes first, stops, and starts again on
//! the same port (documents 000 §3 and 004 §4.1, port 8898; document 003
//! explains the cause).
//!
//! Because the server closed first, its end of the connection waits in
//! TIME_WAIT, and that still holds the port after the program has closed
//! every socket it had. `broken` binds with SO_REUSEADDR off and its restart
//! fails with `Address already in use`; `fixed` sets the option before bind
//! and its restart succeeds, next to the TIME_WAIT.

use std::io::{self, ErrorKind, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};

use classroom::{Side, narrate};

use crate::{ANSWER, Bind, GREETING, Restart, demo_restart, recv_once, show_state, until_closed};

// ANCHOR: serve
/// The server's half, as document 000 writes it: one `recv(1024)`, answer
/// `hi`, and close first. Returns once the client's FIN has arrived: from
/// that moment this end of the connection is in TIME_WAIT.
pub fn serve_close_first(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    if recv_once(&mut conn, out)?.is_empty() {
        return Ok(()); // the client left first, without a word
    }
    out.sent(ANSWER);
    out.say("shutdown(Write): my FIN goes out first, so I am the active closer (主动关闭)");
    send_then_fin(&mut conn, ANSWER)?;
    // The read that returns 0 bytes is the client's FIN arriving: at that
    // moment our side went from FIN_WAIT2 to TIME_WAIT, where the kernel
    // keeps it for 2MSL, whatever this program does next.
    until_closed(&mut conn, out)
}
// ANCHOR_END: serve

// ANCHOR: send_then_fin
/// Send `answer`, then our FIN, in one segment where the OS lets us.
///
/// A client like document 000's closes the moment it has read its answer.
/// If the answer left alone, such a client could close before our
/// `shutdown` runs, and *it* would be the one to close first. On Linux,
/// TCP_CORK holds the bytes back until the FIN joins them.
pub fn send_then_fin(conn: &mut TcpStream, answer: &[u8]) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    socket2::SockRef::from(&*conn).set_tcp_cork(true)?;
    conn.write_all(answer)?;
    conn.shutdown(Shutdown::Write) // the FIN: "I will send no more"
}
// ANCHOR_END: send_then_fin

// ANCHOR: client
/// The client's half: send, then read until the server's FIN, then close.
/// The server closed first, so this side is the passive closer (被动关闭).
pub fn client_wait_for_close(
    mut stream: TcpStream,
    out: &mut Side,
    message: &[u8],
) -> io::Result<()> {
    let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
    out.sent(message);
    stream.write_all(message)?;
    until_closed(&mut stream, out)?; // the answer, then 0 bytes: the server's FIN
    show_state(out, local, peer); // CLOSE_WAIT: their side is closed, ours not yet
    out.say("closing: my FIN answers the server's");
    Ok(()) // dropping `stream` sends our FIN
}
// ANCHOR_END: client

/// `demo broken`: the restart fails. The demo still exits 0: the failure is
/// what it shows.
pub fn demo_broken() -> io::Result<()> {
    let outcome = demo_restart(Bind::WithoutReuse, serve_close_first, |stream, out| {
        client_wait_for_close(stream, out, GREETING)
    })?;
    match outcome {
        Restart::Failed(e) if e.kind() == ErrorKind::AddrInUse => {
            narrate(
                "the server closed first, so its end waits in TIME_WAIT for 2MSL (60 s on Linux) and still holds the port",
            );
            narrate("`demo fixed` sets SO_REUSEADDR before bind, as documents 000 and 004 do");
        }
        Restart::Failed(e) => narrate(format!("the restart failed for another reason: {e}")),
        Restart::Listening(_) => narrate(
            "this system let the new listener share the port with the TIME_WAIT (Windows does); Linux and macOS refuse",
        ),
    }
    Ok(())
}

/// `demo fixed`: the same story, with SO_REUSEADDR on every start.
pub fn demo_fixed() -> io::Result<()> {
    let outcome = demo_restart(Bind::WithReuse, serve_close_first, |stream, out| {
        client_wait_for_close(stream, out, GREETING)
    })?;
    match outcome {
        Restart::Listening(_) => {
            narrate(
                "with SO_REUSEADDR set before bind, a new listener may share its port with connections in TIME_WAIT",
            );
            narrate(
                "the option must be on in every run: a TIME_WAIT left by a run without it still blocks the port",
            );
        }
        Restart::Failed(e) => narrate(format!("the restart failed even so: {e}")),
    }
    Ok(())
}

/// `client broken` / `client fixed` / `client std` in two terminals.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let message = crate::one_message(messages)?;
    crate::client_session(addr, |stream, out| {
        client_wait_for_close(stream, out, &message)
    })
}
