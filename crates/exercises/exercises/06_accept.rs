//! Exercise 06-accept — lesson 06, Step 3 "fixed: \"would block\" means \"not yet\"".
//!
//! A non-blocking `accept` never waits: with no client in the queue it fails
//! at once with "would block" (EAGAIN, WSAEWOULDBLOCK). That is not an error
//! of the server; it means "no client yet, ask again later".
//!
//! Task: `try_accept` returns `Ok(Some(client))` when a client is waiting
//! and `Ok(None)` when none is, and passes on real errors.
//!
//! Check: `cargo run -q -p exercises -- check 06-accept`

use std::io;
use std::net::{TcpListener, TcpStream};

// ANCHOR: task
/// The next waiting client of the non-blocking `listener`, or `None` yet.
pub fn try_accept(listener: &TcpListener) -> io::Result<Option<TcpStream>> {
    // TODO: with nobody waiting, accept() fails with ErrorKind::WouldBlock,
    // and `?` passes that on as if the server had failed.
    let (conn, _peer) = listener.accept()?;
    Ok(Some(conn))
}
// ANCHOR_END: task
