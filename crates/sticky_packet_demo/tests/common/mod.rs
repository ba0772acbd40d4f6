//! A `sticky_packet_demo server STEP` on a port the OS picks, with its own
//! temporary folder, for tests that play the client themselves.

#![allow(dead_code)] // each test file uses a different part

use std::ops::Deref;
use std::path::Path;
use std::process::Command;

use classroom::testing::ServerProcess;

pub const BIN: &str = env!("CARGO_BIN_EXE_sticky_packet_demo");

/// A server process; killed when dropped.
pub struct Server {
    process: ServerProcess,
    // The server's temporary folder (the leftover server's sample files go
    // there), removed when the test ends, after the process.
    tmp: tempfile::TempDir,
}

impl Server {
    /// Start `sticky_packet_demo server STEP --port 0` (its first line is
    /// `listening on …` or `bound to …`).
    pub fn start(step: &str) -> Server {
        Server::start_with(step, &[])
    }

    /// [`Server::start`] with more options, such as `--patience 1`.
    pub fn start_with(step: &str, options: &[&str]) -> Server {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let mut command = Command::new(BIN);
        command
            .args(["server", step, "--port", "0"])
            .args(options)
            .env("TMPDIR", tmp.path());
        Server {
            process: ServerProcess::spawn(&mut command, ""),
            tmp,
        }
    }

    /// The folder the server takes as its temporary folder.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// Stop the server with SIGTERM, as `kill PID` does, and wait for it to
    /// end; its temporary folder stays until the returned value is dropped.
    #[cfg(unix)]
    pub fn terminate(self) -> (std::process::ExitStatus, tempfile::TempDir) {
        let pid = self.process.pid().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
        (self.process.wait_exit(), self.tmp)
    }
}

impl Deref for Server {
    type Target = ServerProcess;

    fn deref(&self) -> &ServerProcess {
        &self.process
    }
}
