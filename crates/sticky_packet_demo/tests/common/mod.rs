//! A `sticky_packet_demo server STEP` on a port the OS picks, with its own
//! temporary folder, for tests that play the client themselves.

#![allow(dead_code)] // each test file uses a different part

use std::ops::Deref;
use std::process::Command;

use classroom::testing::ServerProcess;

pub const BIN: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

/// A server process; killed when dropped.
pub struct Server {
    process: ServerProcess,
    // The server's temporary folder (the leftover server's sample files go
    // there), removed when the test ends, after the process.
    _tmp: tempfile::TempDir,
}

impl Server {
    /// Start `sticky_packet_demo server STEP --port 0` (its first line is
    /// `listening on …` or `bound to …`).
    pub fn start(step: &str) -> Server {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let mut command = Command::new(BIN);
        command
            .args(["server", step, "--port", "0"])
            .env("TMPDIR", tmp.path());
        Server {
            process: ServerProcess::spawn(&mut command, ""),
            _tmp: tmp,
        }
    }
}

impl Deref for Server {
    type Target = ServerProcess;

    fn deref(&self) -> &ServerProcess {
        &self.process
    }
}
