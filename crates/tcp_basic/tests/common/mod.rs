//! A `tcp_basic server STEP` on a port the OS picks, for tests that play
//! the client themselves.

#![allow(dead_code)] // each test file uses a different part

use std::io::Write;
use std::net::TcpStream;

use classroom::testing::{ServerProcess, read_n};

pub const BIN: &str = env!("CARGO_BIN_EXE_tcp_basic");

/// Start `tcp_basic server STEP --port 0`.
pub fn start_server(step: &str) -> ServerProcess {
    ServerProcess::start(BIN, &["server", step, "--port", "0"])
}

/// Talk to a `server hello` as document 000's client does; return the
/// answer. The server waits for us to close first, so read just the answer.
pub fn hello(server: &ServerProcess) -> Vec<u8> {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all(b"hello!").unwrap();
    read_n(&mut stream, 2)
}
