//! Python programs written the way documents 000 and 004 write them talk to
//! our server and our client. Skipped, with the reason printed, when python3
//! is not installed.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{BIN, Server};

fn python() -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: python3 is not installed, so the interop test cannot run");
    }
    found.then_some("python3")
}

/// Document 000's client: send b'hello!', print what recv(1024) returns.
const DOC_CLIENT: &str = r#"
import socket, sys
sk = socket.socket()
sk.connect(('127.0.0.1', int(sys.argv[1])))
sk.send(b'hello!')
ret = sk.recv(1024)
print(ret)
sk.close()
"#;

/// Document 000's server, on a port the OS picks (printed first).
const DOC_SERVER: &str = r#"
import socket
sk = socket.socket()
sk.bind(('127.0.0.1', 0))
sk.listen()
print(sk.getsockname()[1], flush=True)
conn, addr = sk.accept()
ret = conn.recv(1024)
print(ret, flush=True)
conn.send(b'hi')
conn.close()
sk.close()
"#;

/// Document 004's client for the server-first step.
const DOC_SERVER_FIRST_CLIENT: &str = r#"
import socket, sys
sk = socket.socket()
sk.connect(("127.0.0.1", int(sys.argv[1])))
info = sk.recv(1024).decode("utf-8")
print(info)
sk.send("你好".encode("utf-8"))
sk.close()
"#;

fn run_python(python: &str, script: &str, port: u16) -> String {
    let output = Command::new(python)
        .args(["-c", script, &port.to_string()])
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_documents_python_client_talks_to_our_server() {
    let Some(python) = python() else { return };
    let server = Server::start("hello");
    assert_eq!(
        run_python(python, DOC_CLIENT, server.addr.port()),
        "b'hi'\n"
    );
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("6 bytes \"hello!\""),
        "{seen:?}"
    );
}

#[test]
fn the_documents_server_first_client_talks_to_our_server() {
    let Some(python) = python() else { return };
    let server = Server::start("server-first");
    let printed = run_python(python, DOC_SERVER_FIRST_CLIENT, server.addr.port());
    assert_eq!(printed, "hello\n");
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("6 bytes \"你好\""),
        "{seen:?}"
    );
}

#[test]
fn our_client_talks_to_the_documents_python_server() {
    let Some(python) = python() else { return };
    let mut server = Command::new(python)
        .args(["-c", DOC_SERVER])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start python3");
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let port = lines.next().unwrap().unwrap();
    let ours = Command::new(BIN)
        .args(["client", "hello", "--port", &port])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    let stdout = String::from_utf8(ours.stdout).unwrap();
    assert!(
        stdout.contains("[client] recv #1: 2 bytes \"hi\""),
        "{stdout}"
    );
    assert_eq!(lines.next().unwrap().unwrap(), "b'hello!'");
    assert!(server.wait().unwrap().success());
}
