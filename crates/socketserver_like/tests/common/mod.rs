//! A `socketserver_like server STEP` started on a free port, for tests that
//! play the client themselves, and the python3 check for interop tests.

#![allow(dead_code)] // each test file uses a different part

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_socketserver_like");

/// Generous: a bound on a hang, not a measurement.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A server process; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    lines: Receiver<String>,
}

impl Server {
    /// Start `socketserver_like server STEP --port 0` and read its first
    /// line, `listening on HOST:PORT` or `bound to HOST:PORT`.
    pub fn start(step: &str) -> Server {
        let mut child = Command::new(BIN)
            .args(["server", step, "--port", "0"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let lines = read_lines(child.stdout.take().expect("piped stdout"));
        let first = lines
            .recv_timeout(DEADLINE)
            .expect("the server prints its address");
        let addr = first
            .strip_prefix("listening on ")
            .or_else(|| first.strip_prefix("bound to "))
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .parse()
            .expect("an address");
        Server { child, addr, lines }
    }

    /// Wait (bounded) for a line containing `text`; return every line read.
    pub fn wait_for(&self, text: &str) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(DEADLINE) {
            let found = line.contains(text);
            seen.push(line);
            if found {
                return seen;
            }
        }
        panic!(
            "the server never printed {text:?}; it printed:\n{}",
            seen.join("\n")
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_lines(stdout: ChildStdout) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// `python3`, or `None` (with the reason printed) when it is not installed.
pub fn python() -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: python3 is not installed, so the interop test cannot run");
    }
    found.then_some("python3")
}
