//! Solution of exercise 07-edge.

use std::io::{self, ErrorKind, Read};
use std::net::TcpStream;

// ANCHOR: solution
/// Epoll (edge-triggered) said `conn` is readable: read all there is now.
pub fn on_readable(conn: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut got = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => return Ok(got), // the peer closed: nothing more will come
            Ok(n) => got.extend_from_slice(&buf[..n]),
            // Drained: the next report comes with the next new bytes.
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(got),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: solution
