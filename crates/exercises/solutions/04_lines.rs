//! Solution of exercise 04-lines.

use std::io::{self, BufRead, BufReader, ErrorKind};
use std::net::TcpStream;

// ANCHOR: solution
/// Read `count` lines from `conn`, each without its `\n`.
pub fn read_lines(conn: &mut TcpStream, count: usize) -> io::Result<Vec<String>> {
    // BufReader keeps the bytes after a `\n` for the next line: the glue
    // is undone in user space, where the message boundaries are known.
    let mut reader = BufReader::new(conn);
    let mut lines = Vec::new();
    for _ in 0..count {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                ErrorKind::UnexpectedEof,
                "closed before the last line",
            ));
        }
        lines.push(line.trim_end_matches('\n').to_owned());
    }
    Ok(lines)
}
// ANCHOR_END: solution
