//! Document 002's Python programs against ours: its blocking client talks
//! to our servers, and its non-blocking programs fail the way our `broken`
//! step says they do. Skipped, with the reason printed, without python3.

mod common;

use classroom::testing::{Python, python3};
use common::start_server;

/// Document 002's blocking client, on the port given as the argument.
const DOC_CLIENT: &str = r#"
import socket, sys
client = socket.socket()
client.connect(('127.0.0.1', int(sys.argv[1])))
client.sendall('lbw正在吃翔'.encode('utf-8'))
client.close()
"#;

/// Document 002's non-blocking client.
const DOC_NONBLOCKING_CLIENT: &str = r#"
import socket, sys
client = socket.socket()
client.setblocking(False)
client.connect(('127.0.0.1', int(sys.argv[1])))
client.sendall('alex正在吃翔'.encode('utf-8'))
client.close()
"#;

/// Document 002's non-blocking server, on a port the OS picks.
const DOC_NONBLOCKING_SERVER: &str = r#"
import socket
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setblocking(False)
sock.bind(('127.0.0.1', 0))
sock.listen(5)
conn, addr = sock.accept()
"#;

/// Run a Python script with the port as its argument, whatever its exit
/// status.
fn run_python(script: &str, port: u16) -> std::process::Output {
    Python::script(script).args([port.to_string()]).output()
}

#[test]
fn the_documents_client_talks_to_our_servers() {
    if python3().is_none() {
        return;
    }
    for step in ["blocking", "fixed"] {
        let server = start_server(step);
        let output = run_python(DOC_CLIENT, server.addr.port());
        assert!(output.status.success(), "{output:?}");
        let seen = server.wait_for("recv #1");
        assert!(
            seen.last().unwrap().ends_with("15 bytes \"lbw正在吃翔\""),
            "{step}: {seen:?}"
        );
    }
}

#[test]
fn the_documents_non_blocking_programs_raise_blocking_io_error() {
    if python3().is_none() {
        return;
    }
    let server = start_server("fixed");
    let client = run_python(DOC_NONBLOCKING_CLIENT, server.addr.port());
    let server_side = run_python(DOC_NONBLOCKING_SERVER, 0);
    for output in [client, server_side] {
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("BlockingIOError"), "{stderr}");
    }
}
