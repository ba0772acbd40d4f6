//! Python programs written the way documents 000, 002 and 004 write them
//! talk to our servers, and our clients talk to theirs: the same ports
//! (given here as arguments), the same bytes. Skipped, with the reason
//! printed, when python3 is not installed.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};

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

/// Document 000's UDP client: sendto b'hello', print the answer and its address.
const DOC000_CLIENT: &str = r#"
import socket, sys
ip_port = ('127.0.0.1', int(sys.argv[1]))
udp_sk = socket.socket(type=socket.SOCK_DGRAM)
udp_sk.sendto(b'hello', ip_port)
back_msg, addr = udp_sk.recvfrom(1024)
print(back_msg.decode('utf-8'), addr)
"#;

/// Document 000's UDP server, on a port the OS picks (printed first).
const DOC000_SERVER: &str = r#"
import socket
udp_sk = socket.socket(type=socket.SOCK_DGRAM)
udp_sk.bind(('127.0.0.1', 0))
print(udp_sk.getsockname()[1], flush=True)
msg, addr = udp_sk.recvfrom(1024)
print(msg)
udp_sk.sendto(b'hi', addr)
udp_sk.close()
"#;

/// Document 000's chat client, its input loop ending with its input.
const DOC000_CHAT_CLIENT: &str = r#"
import socket, json, sys
server_addr = ("127.0.0.1", int(sys.argv[1]))
ck = socket.socket(type=socket.SOCK_DGRAM)
for msg in sys.stdin.read().splitlines():
    k = {"name": "clinet1", "msg": msg}
    ck.sendto(json.dumps(k).encode("utf-8"), server_addr)
    qq_msg, addr = ck.recvfrom(1024)
    qq_msg = json.loads(qq_msg.decode("utf-8"))
    print("来自{name}的消息,消息是:{msg}".format(name=qq_msg["name"], msg=qq_msg["msg"]))
"#;

/// Document 000's chat server: one message, one answer typed on its stdin.
const DOC000_CHAT_SERVER: &str = r#"
import socket, json
sk = socket.socket(type=socket.SOCK_DGRAM)
sk.bind(("127.0.0.1", 0))
print(sk.getsockname()[1], flush=True)
qq_msg, addr = sk.recvfrom(1024)
qq_msg = json.loads(qq_msg.decode("utf-8"))
print("来自{name}的消息,消息是:{msg}".format(name=qq_msg["name"], msg=qq_msg["msg"]), flush=True)
info = input()
data = {"name": "server", "msg": info}
sk.sendto(json.dumps(data).encode("utf-8"), addr)
"#;

/// Document 002's client: lines until Q, each answered.
const DOC002_CLIENT: &str = r#"
import socket, sys
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while True:
    text = input()
    if text.upper() == 'Q':
        break
    client.sendto(text.encode('utf-8'), ('127.0.0.1', int(sys.argv[1])))
    data, (host, port) = client.recvfrom(1024)
    print(data.decode('utf-8'))
client.close()
"#;

/// Document 004's server: prints the address and the message, answers
/// with a line typed on its stdin.
const DOC004_SERVER: &str = r#"
import socket
sk = socket.socket(type=socket.SOCK_DGRAM)
sk.bind(("127.0.0.1", 0))
print(sk.getsockname()[1], flush=True)
msg_r, addr = sk.recvfrom(1024)
print(addr)
print(msg_r.decode("utf-8"), flush=True)
msg_s = input()
sk.sendto(msg_s.encode("utf-8"), addr)
sk.close()
"#;

/// Run a Python client against `port` with `input` on its stdin; its stdout.
fn run_python(python: &str, script: &str, port: u16, input: &str) -> String {
    let mut child = Command::new(python)
        .args(["-c", script, &port.to_string()])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Start a Python server with `input` on its stdin; it prints its port first.
fn start_python(
    python: &str,
    script: &str,
    input: &str,
) -> (Child, u16, std::io::Lines<BufReader<ChildStdout>>) {
    let mut child = Command::new(python)
        .args(["-c", script])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = lines.next().unwrap().unwrap().parse().unwrap();
    (child, port, lines)
}

/// Run one of our clients; its stdout.
fn run_ours(args: &[&str], port: u16) -> String {
    let output = Command::new(BIN)
        .args(args)
        .args(["--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_documents_hello_client_talks_to_our_server() {
    let Some(python) = python() else { return };
    let server = Server::start("hello");
    let port = server.addr.port();
    let printed = run_python(python, DOC000_CLIENT, port, "");
    assert_eq!(printed, format!("hi ('127.0.0.1', {port})\n"));
    let seen = server.wait_for("recv #1");
    assert_eq!(seen.last().unwrap(), "[server] recv #1: 5 bytes \"hello\"");
}

#[test]
fn our_hello_client_talks_to_the_documents_server() {
    let Some(python) = python() else { return };
    let (mut server, port, mut lines) = start_python(python, DOC000_SERVER, "");
    let ours = run_ours(&["client", "hello"], port);
    assert!(
        ours.contains("[client] recv #1: 2 bytes \"hi\"\n"),
        "{ours}"
    );
    assert_eq!(lines.next().unwrap().unwrap(), "b'hello'");
    assert!(server.wait().unwrap().success());
}

#[test]
fn the_documents_chat_client_talks_to_our_chat_server() {
    let Some(python) = python() else { return };
    let server = Server::with_input("chat", "好的\n");
    let printed = run_python(python, DOC000_CHAT_CLIENT, server.addr.port(), "你好\n");
    assert_eq!(printed, "来自server的消息,消息是:好的\n");
    // Python's json.dumps escapes the Chinese as \u4f60\u597d; we read it all the same.
    let seen = server.wait_for("message from");
    assert_eq!(seen.last().unwrap(), "[server] message from clinet1: 你好");
}

#[test]
fn our_chat_client_talks_to_the_documents_chat_server() {
    let Some(python) = python() else { return };
    let (mut server, port, mut lines) = start_python(python, DOC000_CHAT_SERVER, "好的\n");
    let ours = run_ours(&["client", "chat", "你好"], port);
    assert!(
        ours.contains("[client] message from server: 好的\n"),
        "{ours}"
    );
    assert_eq!(
        lines.next().unwrap().unwrap(),
        "来自client1的消息,消息是:你好"
    );
    assert!(server.wait().unwrap().success());
}

#[test]
fn the_document_002_client_talks_to_our_server() {
    let Some(python) = python() else { return };
    let server = Server::start("many");
    let printed = run_python(
        python,
        DOC002_CLIENT,
        server.addr.port(),
        "你好\nworld\nQ\n",
    );
    let mut answers = printed.lines();
    let first = answers.next().unwrap();
    assert!(first.starts_with("hi 127.0.0.1:"), "{printed}");
    // Both lines came from the same client socket: the same address twice.
    assert_eq!(answers.next(), Some(first));
    assert_eq!(answers.next(), None);
    server.wait_for("recv #2");
}

#[test]
fn our_many_client_talks_to_the_document_004_server() {
    let Some(python) = python() else { return };
    let (mut server, port, mut lines) = start_python(python, DOC004_SERVER, "收到\n");
    let ours = run_ours(&["client", "many", "你好"], port);
    assert!(
        ours.contains("[client] recv #1: 6 bytes \"收到\"\n"),
        "{ours}"
    );
    assert!(lines.next().unwrap().unwrap().starts_with("('127.0.0.1', "));
    assert_eq!(lines.next().unwrap().unwrap(), "你好");
    assert!(server.wait().unwrap().success());
}
