//! Exercise 01-echo — lesson 01, Step 4 "chat: one connection, many turns".
//!
//! When the peer closes its side, `read` returns 0 bytes: not "nothing yet",
//! but "nothing ever again". Every later `read` returns 0 at once.
//!
//! Task: `echo` sends back every byte the client sends and returns, with the
//! count, once the client has closed its side.
//!
//! Check: `cargo run -q -p exercises -- check 01-echo`

use std::io::{self, Read, Write};
use std::net::TcpStream;

// ANCHOR: task
/// Echo what the client sends until it closes; return how many bytes that was.
pub fn echo(conn: &mut TcpStream) -> io::Result<usize> {
    let mut buf = [0; 1024];
    let mut total = 0;
    while total < usize::MAX {
        let n = conn.read(&mut buf)?;
        // TODO: n == 0 means the client closed: stop here.
        conn.write_all(&buf[..n])?;
        total += n;
    }
    Ok(total)
}
// ANCHOR_END: task
