//! A `udp_chat server STEP` on a port the OS picks, for tests that play the
//! client themselves, and a UDP socket to play it with.

#![allow(dead_code)] // each test file uses a different part

use std::net::{SocketAddr, UdpSocket};
use std::process::Command;

use classroom::testing::{PATIENCE, ServerProcess};

pub const BIN: &str = env!("CARGO_BIN_EXE_udp_chat");

/// Start `udp_chat server STEP --port 0` with nothing on its stdin.
pub fn start_server(step: &str) -> ServerProcess {
    start_server_with_input(step, "")
}

/// Start `udp_chat server STEP --port 0`, typing `input` on its stdin
/// (then end of input); its first line is `bound to HOST:PORT`.
pub fn start_server_with_input(step: &str, input: &str) -> ServerProcess {
    ServerProcess::spawn(
        Command::new(BIN).args(["server", step, "--port", "0"]),
        input,
    )
}

/// A UDP socket on loopback that waits at most [`PATIENCE`] for anything.
pub fn socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a socket");
    socket
        .set_read_timeout(Some(PATIENCE))
        .expect("set a timeout");
    socket
}

/// Receive one datagram (bounded in time) and say where it came from.
pub fn recv(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = vec![0; 65536];
    let (n, from) = socket.recv_from(&mut buf).expect("a datagram");
    buf.truncate(n);
    (buf, from)
}
