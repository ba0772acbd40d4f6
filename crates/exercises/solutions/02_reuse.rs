//! Solution of exercise 02-reuse.

use std::io;
use std::net::{SocketAddr, TcpListener};

use socket2::{Domain, Protocol, Socket, Type};

// ANCHOR: solution
/// A listener on `addr`, even while the last server's connections wait in TIME_WAIT.
pub fn listen_again(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) first: bind looks at it.
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}
// ANCHOR_END: solution
