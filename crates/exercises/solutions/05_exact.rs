//! Solution of exercise 05-exact.

use std::io::{self, ErrorKind, Read};
use std::net::TcpStream;

// ANCHOR: solution
/// Read exactly `n` bytes from `conn`: no fewer, and none of what follows.
pub fn recv_exact(conn: &mut TcpStream, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; n];
    let mut got = 0;
    while got < n {
        // Ask only for what is missing, so no byte of the next message is taken.
        match conn.read(&mut buf[got..])? {
            0 => {
                let why = format!("the peer closed after {got} of {n} bytes");
                return Err(io::Error::new(ErrorKind::UnexpectedEof, why));
            }
            k => got += k,
        }
    }
    Ok(buf)
}
// ANCHOR_END: solution
