//! Solution of exercise 00-port.

use std::io;
use std::net::{Ipv4Addr, TcpListener};

// ANCHOR: solution
/// Listen on loopback, on a port the kernel picks; return it with its port.
pub fn listen_anywhere() -> io::Result<(TcpListener, u16)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    // getsockname(): the address the socket is bound to, port included.
    let port = listener.local_addr()?.port();
    Ok((listener, port))
}
// ANCHOR_END: solution
