//! A `socketserver_like server STEP` on a port the OS picks, for tests that
//! play the client themselves.

#![allow(dead_code)] // each test file uses a different part

use classroom::testing::ServerProcess;

pub const BIN: &str = env!("CARGO_BIN_EXE_socketserver_like");

/// Start `socketserver_like server STEP --port 0`.
pub fn start_server(step: &str) -> ServerProcess {
    ServerProcess::start(BIN, &["server", step, "--port", "0"])
}
