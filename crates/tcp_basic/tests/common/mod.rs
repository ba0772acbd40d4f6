//! A `tcp_basic server STEP` started on a free port, for tests that play the
//! client themselves.

#![allow(dead_code)] // each test file uses a different part

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_tcp_basic");

/// A server process; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    lines: Receiver<String>,
}

impl Server {
    /// Start `tcp_basic server STEP --port 0` and read its first line.
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
            .recv_timeout(Duration::from_secs(20))
            .expect("the server prints its address");
        let addr = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .parse()
            .expect("an address");
        Server { child, addr, lines }
    }

    /// Wait (bounded) for a line containing `text`; return every line read.
    pub fn wait_for(&self, text: &str) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(20)) {
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

/// Read everything until the peer closes, with a bound on time.
pub fn read_to_end(stream: &mut std::net::TcpStream) -> Vec<u8> {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("set a timeout");
    let mut data = Vec::new();
    stream.read_to_end(&mut data).expect("read the reply");
    data
}

/// Read exactly `n` bytes, with a bound on time.
pub fn read_n(stream: &mut std::net::TcpStream, n: usize) -> Vec<u8> {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("set a timeout");
    let mut data = vec![0; n];
    stream.read_exact(&mut data).expect("read the reply");
    data
}
