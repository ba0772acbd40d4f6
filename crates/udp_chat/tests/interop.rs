//! Python programs written the way documents 000, 002 and 004 write them
//! talk to our servers, and our clients talk to theirs: the same ports
//! (given here as arguments), the same bytes. Skipped, with the reason
//! printed, when python3 is not installed.

mod common;

use classroom::testing::{Python, python3, run_ok};
use common::{BIN, start_server, start_server_with_input};

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

/// Run a Python client against `port` with `input` on its stdin; it must
/// exit 0. Its stdout.
fn run_python(script: &str, port: u16, input: &str) -> String {
    Python::script(script)
        .args([port.to_string()])
        .input(input)
        .run()
}

/// Run one of our clients; its stdout.
fn run_ours(args: &[&str], port: u16) -> String {
    let port = port.to_string();
    run_ok(BIN, &[args, &["--port", &port]].concat())
}

#[test]
fn the_documents_hello_client_talks_to_our_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server("hello");
    let port = server.addr.port();
    let printed = run_python(DOC000_CLIENT, port, "");
    assert_eq!(printed, format!("hi ('127.0.0.1', {port})\n"));
    let seen = server.wait_for("recv #1");
    assert_eq!(seen.last().unwrap(), "[server] recv #1: 5 bytes \"hello\"");
}

#[test]
fn our_hello_client_talks_to_the_documents_server() {
    if python3().is_none() {
        return;
    }
    let python = Python::script(DOC000_SERVER).serve();
    let port = python.addr.port();
    let ours = run_ours(&["client", "hello"], port);
    assert!(
        ours.contains("[client] recv #1: 2 bytes \"hi\"\n"),
        "{ours}"
    );
    assert_eq!(python.next_line(), "b'hello'");
    assert!(python.wait_exit().success());
}

#[test]
fn the_documents_chat_client_talks_to_our_chat_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server_with_input("chat", "好的\n");
    let printed = run_python(DOC000_CHAT_CLIENT, server.addr.port(), "你好\n");
    assert_eq!(printed, "来自server的消息,消息是:好的\n");
    // Python's json.dumps escapes the Chinese as \u4f60\u597d; we read it all the same.
    let seen = server.wait_for("message from");
    assert_eq!(seen.last().unwrap(), "[server] message from clinet1: 你好");
}

#[test]
fn our_chat_client_talks_to_the_documents_chat_server() {
    if python3().is_none() {
        return;
    }
    let python = Python::script(DOC000_CHAT_SERVER).input("好的\n").serve();
    let port = python.addr.port();
    let ours = run_ours(&["client", "chat", "你好"], port);
    assert!(
        ours.contains("[client] message from server: 好的\n"),
        "{ours}"
    );
    assert_eq!(python.next_line(), "来自client1的消息,消息是:你好");
    assert!(python.wait_exit().success());
}

#[test]
fn the_document_002_client_talks_to_our_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server("many");
    let printed = run_python(DOC002_CLIENT, server.addr.port(), "你好\nworld\nQ\n");
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
    if python3().is_none() {
        return;
    }
    let python = Python::script(DOC004_SERVER).input("收到\n").serve();
    let port = python.addr.port();
    let ours = run_ours(&["client", "many", "你好"], port);
    assert!(
        ours.contains("[client] recv #1: 6 bytes \"收到\"\n"),
        "{ours}"
    );
    assert!(python.next_line().starts_with("('127.0.0.1', "));
    assert_eq!(python.next_line(), "你好");
    assert!(python.wait_exit().success());
}
