//! A `struct_header_fix server STEP` started on a free port with its own
//! folder, for tests that play the client themselves, and small helpers.

#![allow(dead_code)] // each test file uses a different part

use std::io::{Read, Write};
use std::net::TcpStream;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::Command;

use classroom::testing::{ServerProcess, run_command, succeeded};

pub const BIN: &str = env!("CARGO_BIN_EXE_struct_header_fix");

/// A server process with a scratch folder; killed when dropped.
pub struct Server {
    process: ServerProcess,
    /// The scratch folder; the server's `--dir` is `files/` inside it.
    /// Removed after the process is gone.
    pub root: tempfile::TempDir,
}

impl Server {
    /// Start `struct_header_fix server STEP --port 0 --dir ROOT/files`.
    pub fn start(step: &str) -> Server {
        Server::start_with(step, &[], |_| {})
    }

    /// [`Server::start`] with more arguments (`--patience 1`), after
    /// `prepare` has seen the scratch folder (with `files/` in it).
    pub fn start_with(step: &str, args: &[&str], prepare: impl FnOnce(&Path)) -> Server {
        let root = tempfile::tempdir().expect("a scratch folder");
        std::fs::create_dir(root.path().join("files")).expect("files/");
        prepare(root.path());
        let mut command = Command::new(BIN);
        command
            .args(["server", step, "--port", "0", "--dir"])
            .arg(root.path().join("files"))
            .args(args);
        Server {
            process: ServerProcess::spawn(&mut command, ""),
            root,
        }
    }

    /// Wait for the server to end by itself (a signal, say): how it
    /// ended, and its scratch folder.
    pub fn wait_exit(self) -> (std::process::ExitStatus, tempfile::TempDir) {
        (self.process.wait_exit(), self.root)
    }

    /// The folder the server saves into and serves from.
    pub fn files(&self) -> PathBuf {
        self.root.path().join("files")
    }
}

impl Deref for Server {
    type Target = ServerProcess;

    fn deref(&self) -> &ServerProcess {
        &self.process
    }
}

impl DerefMut for Server {
    fn deref_mut(&mut self) -> &mut ServerProcess {
        &mut self.process
    }
}

/// Run our binary in `cwd` with `args` and `--port PORT`; it must exit 0.
/// Its stdout.
pub fn run_client_in(cwd: &Path, args: &[&str], port: u16) -> String {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .args(["--port", &port.to_string()])
        .current_dir(cwd);
    succeeded(run_command(&mut command, ""))
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
