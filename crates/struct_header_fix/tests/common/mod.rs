//! A `struct_header_fix server STEP` started on a free port with its own
//! folder, for tests that play the client themselves, and small helpers.

#![allow(dead_code)] // each test file uses a different part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_struct_header_fix");

/// How long a test waits for anything before it fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A server process with a scratch folder; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    lines: Receiver<String>,
    /// The scratch folder; the server's `--dir` is `files/` inside it.
    pub root: tempfile::TempDir,
}

impl Server {
    /// Start `struct_header_fix server STEP --port 0 --dir ROOT/files`.
    pub fn start(step: &str) -> Server {
        let root = tempfile::tempdir().expect("a scratch folder");
        let mut child = Command::new(BIN)
            .args(["server", step, "--port", "0", "--dir"])
            .arg(root.path().join("files"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let lines = read_lines(child.stdout.take().expect("piped stdout"));
        let first = lines
            .recv_timeout(PATIENCE)
            .expect("the server prints its address");
        let addr = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .parse()
            .expect("an address");
        Server {
            child,
            addr,
            lines,
            root,
        }
    }

    /// The folder the server saves into and serves from.
    pub fn files(&self) -> PathBuf {
        self.root.path().join("files")
    }

    /// A connection with a read timeout, so a test never hangs.
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// Wait (bounded) for a line containing `text`; return every line read.
    pub fn wait_for(&self, text: &str) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(PATIENCE) {
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

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running (it never exits on its own).
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
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

/// `struct.pack('i', len) + data`.
pub fn frame(data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as i32).to_le_bytes().to_vec();
    out.extend_from_slice(data);
    out
}

/// Read one frame the way the documents do; `None` at EOF.
pub fn read_frame(stream: &mut impl Read) -> Option<Vec<u8>> {
    let mut header = [0u8; 4];
    if stream.read_exact(&mut header).is_err() {
        return None;
    }
    let len = i32::from_le_bytes(header);
    assert!(
        (0..1 << 20).contains(&len),
        "a sane reply length, got {len}"
    );
    let mut data = vec![0u8; len as usize];
    stream.read_exact(&mut data).expect("the whole reply");
    Some(data)
}

/// The `error` of an `{"error": …}` reply frame, or a panic saying what
/// came instead.
pub fn error_reply(stream: &mut TcpStream) -> String {
    let reply = read_frame(stream).expect("an error reply before the server closed");
    let value: serde_json::Value = serde_json::from_slice(&reply).expect("a JSON reply");
    value["error"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error reply: {value}"))
        .to_owned()
}

/// Send `bytes`, half-close, and return the server's error reply.
pub fn send_and_read_error(server: &Server, bytes: &[u8]) -> String {
    let mut stream = server.connect();
    stream.write_all(bytes).expect("send");
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    error_reply(&mut stream)
}

/// Every file and folder under `root`, as relative paths, sorted.
pub fn tree(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            found.push(
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

/// python3, or `None` with the reason printed.
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

/// Some bytes that are not text, `len` of them, the same every time.
pub fn binary(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}
