//! Exercise 02-reuse — lesson 02, Step 2 "fixed: `SO_REUSEADDR` before `bind`".
//!
//! The last server on this port closed its connections first, so they wait
//! in TIME_WAIT (60 s on Linux, about 30 s on macOS), and on Linux and macOS
//! a plain `bind` to the port fails with "Address already in use".
//! SO_REUSEADDR lets a new listener share the port with them (never with a
//! live listener), if it is set before `bind`. On Linux the old connections
//! must have had it too: the last server here was a std listener, which
//! sets it. (Windows behaves otherwise: the exercise is not checked there.)
//!
//! Task: `listen_again` listens on `addr` although old connections there are
//! still in TIME_WAIT.
//!
//! Check: `cargo run -q -p exercises -- check 02-reuse`

use std::io;
use std::net::{SocketAddr, TcpListener};

use socket2::{Domain, Protocol, Socket, Type};

// ANCHOR: task
/// A listener on `addr`, even while the last server's connections wait in TIME_WAIT.
pub fn listen_again(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.bind(&addr.into())?;
    // TODO: bind has already failed by the time this line runs.
    socket.set_reuse_address(true)?;
    socket.listen(128)?;
    Ok(socket.into())
}
// ANCHOR_END: task
