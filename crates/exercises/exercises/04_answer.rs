//! Exercise 04-answer — lesson 04, Step 4 "leftover: the last command's
//! output in this command's answer".
//!
//! This server marks the end of its answer by closing the connection (one
//! answer per connection, like HTTP/1.0). One `read` returns what has
//! arrived so far, at most the buffer's size: it may stop anywhere in the
//! answer, and a short read is not the end either.
//!
//! Task: `read_answer` returns the whole answer, however long.
//!
//! Check: `cargo run -q -p exercises -- check 04-answer`

use std::io::{self, Read};
use std::net::TcpStream;

// ANCHOR: task
/// Read the server's whole answer: everything until it closes.
pub fn read_answer(conn: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut buf = [0; 1024];
    // TODO: one read returns at most 1024 bytes. The answer ends where the
    // server closes: where read returns 0.
    let n = conn.read(&mut buf)?;
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: task
