//! Exercise 04-answer — lesson 04, Step 4 "leftover: the last command's
//! output in this command's answer".
//!
//! The server sends its whole answer and then closes the connection. One
//! `read` returns what has arrived so far, at most the buffer's size; what
//! it leaves behind would be read as the start of the next answer.
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
