//! Exercise 04-lines — lesson 04, Step 1 "glue: two sends, one recv" (粘包).
//!
//! The peer sends lines, each ending in `\n`. TCP keeps no boundaries: one
//! `read` may return two lines glued together, or part of one.
//!
//! Task: `read_lines` returns exactly `count` lines, without their `\n`,
//! however the bytes are cut into reads. The peer sends exactly `count`
//! lines, and may stay connected after them.
//!
//! Check: `cargo run -q -p exercises -- check 04-lines`

use std::io::{self, Read};
use std::net::TcpStream;

// ANCHOR: task
/// Read `count` lines from `conn`, each without its `\n`.
pub fn read_lines(conn: &mut TcpStream, count: usize) -> io::Result<Vec<String>> {
    let mut lines = Vec::new();
    for _ in 0..count {
        let mut buf = [0; 1024];
        // TODO: one read is not one line. Keep what you read, and cut it at
        // each `\n` (or let std::io::BufReader and read_line do that).
        let n = conn.read(&mut buf)?;
        lines.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    Ok(lines)
}
// ANCHOR_END: task
