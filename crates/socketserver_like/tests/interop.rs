//! Python programs written as documents 000 and 003 describe them talk to
//! our servers, and our clients talk to Python's own `socketserver`.
//! Skipped, with the reason printed, when python3 is not installed.

mod common;

use classroom::testing::{Python, python3, run_ok, run_python};
use common::{BIN, start_server};

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

fn our_client(step: &str, port: u16) -> String {
    run_ok(BIN, &["client", step, "--port", &port.to_string()])
}

#[test]
fn the_documents_python_client_talks_to_our_upper_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server("upper");
    assert_eq!(
        run_python(DOC_CLIENT, &[&server.addr.port().to_string()]),
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
    if python3().is_none() {
        return;
    }
    let server = Python::script(DOC_SERVER).serve();
    let stdout = our_client("upper", server.addr.port());
    assert!(
        stdout.ends_with(concat!(
            "[client] recv #1: 5 bytes \"HELLO\"\n",
            "[client] recv #2: 0 bytes (EOF: the peer closed its side)\n",
            "Sent: hello\nReceived: HELLO\n"
        )),
        "{stdout}"
    );
    assert_eq!(server.next_line(), "127.0.0.1 wrote:");
    assert_eq!(server.next_line(), "b'hello'");
    assert!(server.wait_exit().success());
}

#[test]
fn a_python_client_talks_to_our_welcome_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server("welcome");
    assert_eq!(
        run_python(WELCOME_CLIENT, &[&server.addr.port().to_string()]),
        "Welcome!\nhello, Ada\nhello, Linus\nclosed\n"
    );
    server.wait_for("exit: closing the connection");
}

#[test]
fn a_python_udp_client_talks_to_our_udp_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server("udp");
    assert_eq!(
        run_python(UDP_CLIENT, &[&server.addr.port().to_string()]),
        "HELLO\n"
    );
}

#[test]
fn our_udp_client_talks_to_pythons_udp_server() {
    if python3().is_none() {
        return;
    }
    let server = Python::script(UDP_SERVER).serve();
    let stdout = our_client("udp", server.addr.port());
    assert!(
        stdout.ends_with("Sent: hello\nReceived: HELLO\n"),
        "{stdout}"
    );
    assert!(server.wait_exit().success());
}
