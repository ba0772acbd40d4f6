//! Solution of exercise 03-whole.

use std::io;
use std::net::{SocketAddr, UdpSocket};

// ANCHOR: solution
/// Receive one datagram, whole, and who sent it.
pub fn receive(socket: &UdpSocket) -> io::Result<(Vec<u8>, SocketAddr)> {
    // The largest UDP payload in an IPv4 packet: 65,535 − 20 (IP) − 8 (UDP).
    let mut buf = vec![0; 65_507];
    let (n, from) = socket.recv_from(&mut buf)?;
    buf.truncate(n);
    Ok((buf, from))
}
// ANCHOR_END: solution
