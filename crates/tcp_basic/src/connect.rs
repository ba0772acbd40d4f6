//! `connect`: a connection and nothing else. Both ends print the
//! connection's four numbers, the 4-tuple (local IP and port, peer IP and
//! port), the way the document prints `conn` and `addr` (document 004 §4.1,
//! port 8080).

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::tcp::until_closed;
use classroom::{Traced, narrate, runner};

/// The document's port for this step.
pub const PORT: u16 = 8080;

// ANCHOR: four_tuple
/// The connection as seen from this end: `local <-> peer`.
pub fn four_tuple(stream: &TcpStream) -> io::Result<String> {
    Ok(format!(
        "local {} <-> peer {}",
        stream.local_addr()?, // Python: getsockname()
        stream.peer_addr()?   // Python: getpeername()
    ))
}
// ANCHOR_END: four_tuple

// ANCHOR: halves
/// The server's half: accept, wait for the client to leave, then print the
/// 4-tuple (the connection keeps its addresses until this side closes too).
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sk.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    until_closed(&mut conn)?;
    conn.say(four_tuple(&conn)?);
    Ok(())
}

/// The client's half: connect, print the 4-tuple, close.
pub fn client(addr: SocketAddr) -> io::Result<()> {
    let stream = Traced::connected(TcpStream::connect(addr)?)?; // Python: sk.connect(addr)
    stream.say(four_tuple(&stream)?);
    stream.say("closing");
    Ok(())
}
// ANCHOR_END: halves

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    runner::pair(server, client)?;
    narrate("the two views mirror each other: the client's local address is the server's peer");
    narrate("the server's side uses the listening port; the client's port was picked by the OS");
    Ok(())
}
