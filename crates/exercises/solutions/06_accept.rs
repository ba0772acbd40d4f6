//! Solution of exercise 06-accept.

use std::io::{self, ErrorKind};
use std::net::{TcpListener, TcpStream};

// ANCHOR: solution
/// The next waiting client of the non-blocking `listener`, or `None` yet.
pub fn try_accept(listener: &TcpListener) -> io::Result<Option<TcpStream>> {
    match listener.accept() {
        Ok((conn, _peer)) => Ok(Some(conn)),
        // "Would block": no client in the queue yet. Not an error.
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(None),
        Err(e) => Err(e),
    }
}
// ANCHOR_END: solution
