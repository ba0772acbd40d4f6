//! A `reuseaddr server STEP` on a port the OS picks, for tests that play
//! the client themselves, and the binary run to the end.

#![allow(dead_code)] // each test file uses a different part

use classroom::testing::{self, ServerProcess};

pub const BIN: &str = env!("CARGO_BIN_EXE_reuseaddr");

/// Start `reuseaddr server STEP --port 0`.
pub fn start_server(step: &str) -> ServerProcess {
    ServerProcess::start(BIN, &["server", step, "--port", "0"])
}

/// Run the binary with `args`; return (exit code, stdout + stderr).
pub fn run(args: &[&str]) -> (i32, String) {
    let output = testing::run(BIN, args);
    let mut text = String::from_utf8(output.stdout).expect("UTF-8");
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}
