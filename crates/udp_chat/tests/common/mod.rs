//! A `udp_chat server STEP` started on a free port, for tests that play the
//! client themselves, and a UDP socket to play it with.

#![allow(dead_code)] // each test file uses a different part

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_udp_chat");

/// How long a test waits for anything before it fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A server process; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    lines: Receiver<String>,
}

impl Server {
    /// Start `udp_chat server STEP --port 0` with nothing on its stdin.
    pub fn start(step: &str) -> Server {
        Server::with_input(step, "")
    }

    /// Start `udp_chat server STEP --port 0`, typing `input` on its stdin,
    /// and read its first line, `bound to HOST:PORT`.
    pub fn with_input(step: &str, input: &str) -> Server {
        let mut child = Command::new(BIN)
            .args(["server", step, "--port", "0"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin.write_all(input.as_bytes()).expect("type the input");
        drop(stdin); // end of input
        let lines = read_lines(child.stdout.take().expect("piped stdout"));
        let first = lines
            .recv_timeout(DEADLINE)
            .expect("the server prints its address");
        let addr = first
            .strip_prefix("bound to ")
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

/// A UDP socket on loopback that waits at most [`DEADLINE`] for anything.
pub fn socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a socket");
    socket
        .set_read_timeout(Some(DEADLINE))
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
