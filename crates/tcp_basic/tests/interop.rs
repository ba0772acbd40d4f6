//! Python programs written the way documents 000 and 004 write them talk to
//! our server and our client. Skipped, with the reason printed, when python3
//! is not installed.

mod common;

use classroom::testing::{DOC000_CLIENT, Python, python3, run_ok, run_python};
use common::{BIN, start_server};

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

#[test]
fn the_documents_python_client_talks_to_our_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server("hello");
    let port = server.addr.port().to_string();
    assert_eq!(run_python(DOC000_CLIENT, &[&port]), "b'hi'\n");
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("6 bytes \"hello!\""),
        "{seen:?}"
    );
    // The document's client closed after its answer: a normal end, not a
    // connection given up on.
    let seen = server.wait_for("waiting for a connection");
    assert!(!seen.iter().any(|l| l.contains("gave up")), "{seen:?}");
}

#[test]
fn the_documents_server_first_client_talks_to_our_server() {
    if python3().is_none() {
        return;
    }
    let server = start_server("server-first");
    let printed = run_python(DOC_SERVER_FIRST_CLIENT, &[&server.addr.port().to_string()]);
    assert_eq!(printed, "hello\n");
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("6 bytes \"你好\""),
        "{seen:?}"
    );
    let seen = server.wait_for("waiting for a connection");
    assert!(!seen.iter().any(|l| l.contains("gave up")), "{seen:?}");
}

#[test]
fn our_client_talks_to_the_documents_python_server() {
    if python3().is_none() {
        return;
    }
    let server = Python::script(DOC_SERVER).serve();
    let port = server.addr.port().to_string();
    let stdout = run_ok(BIN, &["client", "hello", "--port", &port, "hello!"]);
    assert!(
        stdout.contains("[client] recv #1: 2 bytes \"hi\""),
        "{stdout}"
    );
    assert_eq!(server.next_line(), "b'hello!'");
    assert!(server.wait_exit().success());
}
