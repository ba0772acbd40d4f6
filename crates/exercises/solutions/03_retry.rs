//! Solution of exercise 03-retry.

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

// ANCHOR: solution
/// Send `request` to `server` and return its answer, trying again if it is lost.
pub fn ask(socket: &UdpSocket, server: SocketAddr, request: &[u8]) -> io::Result<Vec<u8>> {
    const TRIES: usize = 3;
    socket.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut buf = [0; 2048];
    for _ in 0..TRIES {
        socket.send_to(request, server)?;
        match socket.recv_from(&mut buf) {
            // Only the server's answer counts; anyone can send to our port.
            Ok((n, from)) if from == server => return Ok(buf[..n].to_vec()),
            Ok(_) => {}
            // A read timeout: WouldBlock on Linux and macOS, TimedOut on Windows.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        ErrorKind::TimedOut,
        format!("no answer from {server} after {TRIES} tries"),
    ))
}
// ANCHOR_END: solution
