//! Exercise 06-timeout — lesson 06, Step 5 "timeout: the middle ground".
//!
//! A read timeout (Python's `settimeout(0.1)`) lets a read wait, but only so
//! long. The error it then fails with differs by system: `WouldBlock`
//! (EAGAIN, "Resource temporarily unavailable") on Linux and macOS,
//! `TimedOut` (WSAETIMEDOUT, 10060) on Windows.
//!
//! Task: `recv_within` returns `Ok(None)` when nothing came in time, on
//! every system, and the bytes when some came (none at all, `Some` of an
//! empty vector, when the peer has closed).
//!
//! Check: `cargo run -q -p exercises -- check 06-timeout`

use std::io::{self, ErrorKind, Read};
use std::net::TcpStream;
use std::time::Duration;

// ANCHOR: task
/// Wait up to `limit` for bytes from `conn`: `None` if none came in time.
pub fn recv_within(conn: &mut TcpStream, limit: Duration) -> io::Result<Option<Vec<u8>>> {
    conn.set_read_timeout(Some(limit))?;
    let mut buf = [0; 1024];
    match conn.read(&mut buf) {
        Ok(n) => Ok(Some(buf[..n].to_vec())),
        // TODO: this is Windows' timeout only.
        Err(e) if e.kind() == ErrorKind::TimedOut => Ok(None),
        Err(e) => Err(e),
    }
}
// ANCHOR_END: task
