//! `connect`: a connection and nothing else. Both ends print the
//! connection's four numbers, the 4-tuple (local IP and port, peer IP and
//! port), the way the document prints `conn` and `addr` (document 004 §4.1,
//! port 8080).

use std::io;
use std::net::{SocketAddr, TcpStream};

use classroom::{Side, narrate};

use classroom::tcp::{demo_pair, until_closed};

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

/// The server's half: wait for the client to leave, then print the
/// 4-tuple (the connection keeps its addresses until this side closes too).
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    until_closed(&mut conn, out)?;
    out.say(four_tuple(&conn)?);
    Ok(())
}

/// The client's half: print the 4-tuple and close.
pub fn client(stream: TcpStream, out: &mut Side) -> io::Result<()> {
    out.say(four_tuple(&stream)?);
    out.say("closing");
    Ok(())
}

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    demo_pair(serve, client)?;
    narrate("the two views mirror each other: the client's local address is the server's peer");
    narrate("the server's side uses the listening port; the client's port was picked by the OS");
    Ok(())
}

/// Connect, print the 4-tuple, close.
pub fn run_client(addr: SocketAddr) -> io::Result<()> {
    classroom::tcp::client_session(addr, client)
}
