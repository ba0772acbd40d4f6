//! Solution of exercise 06-timeout.

use std::io::{self, ErrorKind, Read};
use std::net::TcpStream;
use std::time::Duration;

// ANCHOR: solution
/// Wait up to `limit` for bytes from `conn`: `None` if none came in time.
pub fn recv_within(conn: &mut TcpStream, limit: Duration) -> io::Result<Option<Vec<u8>>> {
    conn.set_read_timeout(Some(limit))?;
    let mut buf = [0; 1024];
    match conn.read(&mut buf) {
        Ok(n) => Ok(Some(buf[..n].to_vec())),
        // The timeout, in each system's words: EAGAIN on Unix, 10060 on Windows.
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(None),
        Err(e) => Err(e),
    }
}
// ANCHOR_END: solution
