//! Exercise 05-exact — lesson 05, Step 5 "length: a 4-byte length, then the data".
//!
//! Once a header has said "the next message is n bytes", the receiver must
//! read exactly n: one `read` may return fewer, and the bytes after the n
//! belong to the next message.
//!
//! Task: `recv_exact` returns exactly `n` bytes, and fails with
//! `ErrorKind::UnexpectedEof` if the peer closes before sending them all.
//!
//! Check: `cargo run -q -p exercises -- check 05-exact`

use std::io::{self, Read};
use std::net::TcpStream;

// ANCHOR: task
/// Read exactly `n` bytes from `conn`: no fewer, and none of what follows.
pub fn recv_exact(conn: &mut TcpStream, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; n];
    // TODO: one read may return fewer than `n` bytes: read again until you
    // have them all. A read that returns 0 means the peer closed.
    let got = conn.read(&mut buf)?;
    buf.truncate(got);
    Ok(buf)
}
// ANCHOR_END: task
