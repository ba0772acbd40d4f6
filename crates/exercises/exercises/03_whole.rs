//! Exercise 03-whole — lesson 03, Step 5 "truncate: a datagram bigger than the buffer".
//!
//! One `recv_from` returns one datagram. If the buffer is smaller than the
//! datagram, the rest of it is thrown away and no later call returns it (on
//! Windows the call itself fails, WSAEMSGSIZE, 10040).
//!
//! Task: `receive` returns each datagram whole, up to the largest a UDP
//! datagram over IPv4 can be (65,507 bytes).
//!
//! Check: `cargo run -q -p exercises -- check 03-whole`

use std::io;
use std::net::{SocketAddr, UdpSocket};

// ANCHOR: task
/// Receive one datagram, whole, and who sent it.
pub fn receive(socket: &UdpSocket) -> io::Result<(Vec<u8>, SocketAddr)> {
    // TODO: a datagram longer than this buffer is cut, and the rest is lost.
    let mut buf = [0; 512];
    let (n, from) = socket.recv_from(&mut buf)?;
    Ok((buf[..n].to_vec(), from))
}
// ANCHOR_END: task
