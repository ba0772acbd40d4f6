//! A `udp_chat server STEP` on a port the OS picks, for tests that play the
//! client themselves, and a UDP socket to play it with.

#![allow(dead_code)] // each test file uses a different part

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

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

/// A client run by a test: its stdout lines arrive as it prints them;
/// killed when dropped.
pub struct Client {
    child: Child,
    lines: Receiver<String>,
}

impl Client {
    /// Start `udp_chat ARGS` with nothing on its stdin.
    pub fn start(args: &[&str]) -> Client {
        let mut child = Command::new(BIN)
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the client");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            stdout
                .lines()
                .map_while(Result::ok)
                .try_for_each(|l| tx.send(l))
        });
        Client { child, lines }
    }

    /// Wait at most `within` for a line containing `text`; every line read
    /// until then, that line last.
    #[track_caller]
    pub fn wait_for(&self, text: &str, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            seen.push(line);
            if seen.last().is_some_and(|l| l.contains(text)) {
                return seen;
            }
        }
        panic!("no line with {text:?} within {within:?}; the client printed {seen:?}");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
