//! Three ways to get a listening socket, which this lesson compares: socket2
//! with SO_REUSEADDR off, socket2 with it on, and std's `TcpListener::bind`,
//! which decides for you.

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener};

use socket2::{Domain, Protocol, Socket, Type};

/// The listen backlog: how many finished handshakes may wait for `accept`.
pub const BACKLOG: i32 = 128;

// ANCHOR: bind_without_reuse
/// Bind and listen with SO_REUSEADDR off, as document 000's first server
/// does: Python's `socket.socket()`, like C's `socket()`, leaves it off.
pub fn bind_without_reuse(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // BUG: with the option off, any connection still in TIME_WAIT on `addr`
    // (left behind by our own last run) makes this bind fail.
    socket.set_reuse_address(false)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}
// ANCHOR_END: bind_without_reuse

// ANCHOR: bind_with_reuse
/// Bind and listen with SO_REUSEADDR on: document 000's fix,
/// `sk.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)` before `sk.bind(...)`.
pub fn bind_with_reuse(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // FIX: set before bind, the option lets this listener share `addr` with
    // connections in TIME_WAIT (never with another live listener).
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}
// ANCHOR_END: bind_with_reuse

/// How a server gets its listener, every time it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bind {
    /// [`bind_without_reuse`]: document 000's first server.
    WithoutReuse,
    /// [`bind_with_reuse`]: document 000's fix.
    WithReuse,
    /// `std::net::TcpListener::bind`, which sets SO_REUSEADDR on Unix.
    Std,
}

impl Bind {
    /// Bind a listener on `addr` this way.
    pub fn bind(self, addr: SocketAddr) -> io::Result<TcpListener> {
        match self {
            Bind::WithoutReuse => bind_without_reuse(addr),
            Bind::WithReuse => bind_with_reuse(addr),
            Bind::Std => TcpListener::bind(addr),
        }
    }
}

impl fmt::Display for Bind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bind::WithoutReuse => "SO_REUSEADDR off",
            Bind::WithReuse => "SO_REUSEADDR on",
            Bind::Std => "std::net::TcpListener::bind",
        })
    }
}
