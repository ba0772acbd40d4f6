//! Python programs written as documents 000 and 003 describe them talk to
//! our servers, and our clients talk to Python's own `socketserver`.
//! Skipped, with the reason printed, when python3 is not installed.

mod common;

use std::io::{BufRead, BufReader, Lines};
use std::process::{Child, ChildStdout, Command, Stdio};

use common::{BIN, Server, python};

/// Document 000's socketserver client, the port from argv.
const DOC_CLIENT: &str = r#"
import socket, sys
HOST, PORT = "127.0.0.1", int(sys.argv[1])
data = "hello"
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.connect((HOST, PORT))
    sock.sendall(bytes(data + "\n", "utf-8"))
    received = str(sock.recv(1024), "utf-8")
print("Sent: {}".format(data))
print("Received: {}".format(received))
"#;

/// Document 000's socketserver server, on a port the OS picks (printed
/// first), serving one request.
const DOC_SERVER: &str = r#"
import socketserver
class MyServer(socketserver.BaseRequestHandler):
    def handle(self):
        self.data = self.request.recv(1024).strip()
        print("{} wrote:".format(self.client_address[0]), flush=True)
        print(self.data, flush=True)
        self.request.sendall(self.data.upper())
socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(("127.0.0.1", 0), MyServer) as server:
    print(server.server_address[1], flush=True)
    server.handle_request()
"#;

/// A client for document 003's server: read the welcome, send names one
/// line at a time, print each answer, then `exit` and wait for the close.
const WELCOME_CLIENT: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
f = s.makefile("rb")
print(f.readline().decode("utf-8"), end="")
for name in [b"Ada", b"Linus"]:
    s.send(name + b"\n")
    print(f.readline().decode("utf-8"), end="")
s.send(b"exit\n")
print("closed" if f.readline() == b"" else "still open")
s.close()
"#;

/// The UDP twin of the document's client.
const UDP_CLIENT: &str = r#"
import socket, sys
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(10)
sock.sendto(b"hello\n", ("127.0.0.1", int(sys.argv[1])))
print(str(sock.recv(1024), "utf-8"))
"#;

/// Python's UDPServer with a DatagramRequestHandler that upper-cases.
const UDP_SERVER: &str = r#"
import socketserver
class Upper(socketserver.DatagramRequestHandler):
    def handle(self):
        self.wfile.write(self.rfile.read().strip().upper())
with socketserver.UDPServer(("127.0.0.1", 0), Upper) as server:
    print(server.server_address[1], flush=True)
    server.handle_request()
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

/// Start a Python server script; its first line is its port.
fn python_server(python: &str, script: &str) -> (Child, Lines<BufReader<ChildStdout>>, String) {
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start python3");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = lines.next().unwrap().unwrap();
    (child, lines, port)
}

fn our_client(step: &str, port: &str) -> String {
    let ours = Command::new(BIN)
        .args(["client", step, "--port", port])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    String::from_utf8(ours.stdout).unwrap()
}

#[test]
fn the_documents_python_client_talks_to_our_upper_server() {
    let Some(python) = python() else { return };
    let server = Server::start("upper");
    assert_eq!(
        run_python(python, DOC_CLIENT, server.addr.port()),
        "Sent: hello\nReceived: HELLO\n"
    );
    let seen = server.wait_for("send #1");
    assert!(
        seen.iter()
            .any(|l| l == "[server] 127.0.0.1 wrote: \"hello\""),
        "{seen:?}"
    );
}

#[test]
fn our_upper_client_talks_to_pythons_socketserver() {
    let Some(python) = python() else { return };
    let (mut server, mut lines, port) = python_server(python, DOC_SERVER);
    let stdout = our_client("upper", &port);
    assert!(
        stdout.ends_with("[client] recv #1: 5 bytes \"HELLO\"\nSent: hello\nReceived: HELLO\n"),
        "{stdout}"
    );
    assert_eq!(lines.next().unwrap().unwrap(), "127.0.0.1 wrote:");
    assert_eq!(lines.next().unwrap().unwrap(), "b'hello'");
    assert!(server.wait().unwrap().success());
}

#[test]
fn a_python_client_talks_to_our_welcome_server() {
    let Some(python) = python() else { return };
    let server = Server::start("welcome");
    assert_eq!(
        run_python(python, WELCOME_CLIENT, server.addr.port()),
        "Welcome!\nhello, Ada\nhello, Linus\nclosed\n"
    );
    server.wait_for("exit: closing the connection");
}

#[test]
fn a_python_udp_client_talks_to_our_udp_server() {
    let Some(python) = python() else { return };
    let server = Server::start("udp");
    assert_eq!(
        run_python(python, UDP_CLIENT, server.addr.port()),
        "HELLO\n"
    );
}

#[test]
fn our_udp_client_talks_to_pythons_udp_server() {
    let Some(python) = python() else { return };
    let (mut server, _lines, port) = python_server(python, UDP_SERVER);
    let stdout = our_client("udp", &port);
    assert!(
        stdout.ends_with("Sent: hello\nReceived: HELLO\n"),
        "{stdout}"
    );
    assert!(server.wait().unwrap().success());
}
