//! Solution of exercise 01-echo.

use std::io::{self, Read, Write};
use std::net::TcpStream;

// ANCHOR: solution
/// Echo what the client sends until it closes; return how many bytes that was.
pub fn echo(conn: &mut TcpStream) -> io::Result<usize> {
    let mut buf = [0; 1024];
    let mut total = 0;
    loop {
        let n = conn.read(&mut buf)?;
        if n == 0 {
            // End of stream: the client closed its side.
            return Ok(total);
        }
        conn.write_all(&buf[..n])?;
        total += n;
    }
}
// ANCHOR_END: solution
