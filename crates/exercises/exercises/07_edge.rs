//! Exercise 07-edge — lesson 07, Step 8 "edge: level-triggered and edge-triggered".
//!
//! With `EPOLLET`, epoll reports a socket once when new bytes arrive, and
//! not again until more arrive. A handler that reads once and returns
//! leaves the rest in the buffer, unreported, for as long as the peer
//! waits for its answer: for ever.
//!
//! Task: `on_readable` is called once per report, on a non-blocking socket.
//! It returns everything that can be read now, and stops when the socket
//! says "would block" or the peer has closed.
//!
//! Check: `cargo run -q -p exercises -- check 07-edge`

use std::io::{self, Read};
use std::net::TcpStream;

// ANCHOR: task
/// Epoll (edge-triggered) said `conn` is readable: read all there is now.
pub fn on_readable(conn: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut buf = [0; 4096];
    // TODO: read until "would block"; no report will come for what is left.
    let n = conn.read(&mut buf)?;
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: task
