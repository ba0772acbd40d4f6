//! Exercise 00-port — lesson 00, §4 "Ports: which program on the machine" (端口).
//!
//! A server binds to port 0 when any free port will do: the kernel picks one.
//! Its clients still need to know which.
//!
//! Task: `listen_anywhere` returns the listener and the port it really
//! listens on, so that a client can connect to it.
//!
//! Check: `cargo run -q -p exercises -- check 00-port`

use std::io;
use std::net::{Ipv4Addr, TcpListener};

// ANCHOR: task
/// Listen on loopback, on a port the kernel picks; return it with its port.
pub fn listen_anywhere() -> io::Result<(TcpListener, u16)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    // TODO: 0 is what we asked for, not what the kernel gave. Ask the socket.
    let port = 0;
    Ok((listener, port))
}
// ANCHOR_END: task
