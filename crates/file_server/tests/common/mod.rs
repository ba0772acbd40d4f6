//! A `file_server server` on a free port with its own folder, and the
//! client binary run against it.

#![allow(dead_code)] // each test file uses a different part

use std::path::Path;
use std::process::Command;

use classroom::testing::{ServerProcess, run_command};

pub const BIN: &str = env!("CARGO_BIN_EXE_file_server");

/// `file_server server --port 0 --dir ROOT/files ARGS`, after `prepare`
/// has seen the scratch root (with `files/` in it); and the root.
pub fn server_with(
    args: &[&str],
    prepare: impl FnOnce(&Path),
) -> (ServerProcess, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("files")).unwrap();
    prepare(root.path());
    let mut command = Command::new(BIN);
    command
        .args(["server", "--port", "0", "--dir"])
        .arg(root.path().join("files"))
        .args(args);
    (ServerProcess::spawn(&mut command, ""), root)
}

/// Run the client in `cwd` against `server`: its output (stdout, then
/// stderr), and whether it succeeded.
pub fn client(server: &ServerProcess, cwd: &Path, args: &[&str]) -> (String, bool) {
    let port = server.addr.port().to_string();
    let mut command = Command::new(BIN);
    command
        .arg("client")
        .args(args)
        .args(["--port", &port])
        .current_dir(cwd);
    let output = run_command(&mut command, "");
    let ok = output.status.success();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (text, ok)
}
