//! `broken` and `fixed`: the server closes first, stops, and starts again on
//! the same port (documents 000 §3 and 004 §4.1, port 8898; document 003
//! explains the cause).
//!
//! Because the server closed first, its end of the connection waits in
//! TIME_WAIT, and that still holds the port after the program has closed
//! every socket it had. `broken` binds with SO_REUSEADDR off and its restart
//! fails with `Address already in use`; `fixed` sets the option before bind
//! and its restart succeeds, next to the TIME_WAIT.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};

use classroom::tcp::{RECV_SIZE, until_closed};
use classroom::{Traced, narrate};

use crate::{ANSWER, Bind, GREETING, Restart, demo_restart, show_state};

// ANCHOR: server
/// The server's half, as document 000 writes it: one `recv(1024)`, answer
/// `hi`, and close first. Returns the client's address once its FIN has
/// arrived: from that moment this end of the connection is in TIME_WAIT.
pub fn server_close_first(listener: &TcpListener) -> io::Result<SocketAddr> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sk.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    if conn.read(&mut [0u8; RECV_SIZE])? == 0 {
        return Ok(peer); // the client left first, without a word
    }
    conn.say("answering, then shutdown(Write): my FIN goes first (主动关闭, active close)");
    send_then_fin(&mut conn, ANSWER)?; // Python: conn.send(b'hi'); conn.close()
    // The read that returns 0 bytes is the client's FIN arriving: at that
    // moment our side went from FIN_WAIT2 to TIME_WAIT, where the kernel
    // keeps it for 2MSL, whatever this program does next.
    until_closed(&mut conn)?;
    Ok(peer)
}
// ANCHOR_END: server

// ANCHOR: send_then_fin
/// Send `answer`, then our FIN, in one segment where the OS lets us.
///
/// A client like document 000's closes the moment it has read its answer.
/// If the answer left alone, such a client could close before our
/// `shutdown` runs, and *it* would be the one to close first. On Linux,
/// TCP_CORK holds the bytes back until the FIN joins them.
pub fn send_then_fin(conn: &mut Traced<TcpStream>, answer: &[u8]) -> io::Result<()> {
    crate::os::cork(conn)?;
    conn.write_all(answer)?;
    conn.shutdown(Shutdown::Write) // the FIN: "I will send no more"
}
// ANCHOR_END: send_then_fin

// ANCHOR: client
/// The client's half: send, then read until the server's FIN, then close.
/// The server closed first, so this side is the passive closer (被动关闭).
pub fn client_wait_for_close(addr: SocketAddr, message: &[u8]) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
    stream.write_all(message)?; // Python: sk.send(b'hello!')
    until_closed(&mut stream)?; // the answer, then 0 bytes: the server's FIN
    show_state(stream.side(), local, peer); // CLOSE_WAIT: their side is closed, ours not yet
    stream.say("closing: my FIN answers the server's");
    Ok(()) // dropping `stream` sends our FIN
}
// ANCHOR_END: client

/// `demo broken`: the restart fails. The demo still exits 0: the failure is
/// what it shows.
pub fn demo_broken() -> io::Result<()> {
    match demo_restart(Bind::WithoutReuse, server_close_first, |addr| {
        client_wait_for_close(addr, GREETING)
    })? {
        Restart::Failed(e) if e.kind() == ErrorKind::AddrInUse => {
            narrate(
                "the server closed first: its end waits in TIME_WAIT for 2MSL (60 s on Linux), holding the port",
            );
            narrate("`demo fixed` sets SO_REUSEADDR before bind, as documents 000 and 004 do");
        }
        Restart::Failed(e) => narrate(format!("the restart failed for another reason: {e}")),
        Restart::Listening(_) => narrate(
            "this system let the new listener in next to the TIME_WAIT, as Windows does; Linux refuses",
        ),
    }
    Ok(())
}

/// `demo fixed`: the same story, with SO_REUSEADDR on every start.
pub fn demo_fixed() -> io::Result<()> {
    match demo_restart(Bind::WithReuse, server_close_first, |addr| {
        client_wait_for_close(addr, GREETING)
    })? {
        Restart::Listening(_) => {
            narrate(
                "with SO_REUSEADDR set before bind, a listener may share its port with a TIME_WAIT",
            );
            narrate(
                "it must be on in every run: a TIME_WAIT left by a run without it still blocks the port",
            );
        }
        Restart::Failed(e) => narrate(format!("the restart failed even so: {e}")),
    }
    Ok(())
}
