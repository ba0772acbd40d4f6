//! Document 000's Python server, with its SO_REUSEADDR fix, against our
//! client: the server restarts while the connection our client just closed
//! is in TIME_WAIT on its side. Linux only (it reads /proc/net/tcp).
//! Skipped, with the reason printed, when python3 is not installed.
#![cfg(target_os = "linux")]

mod common;

use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use classroom::testing::{Python, python3, run_ok};
use common::BIN;

/// Document 000's server with its fix: SO_REUSEADDR before bind (on a port
/// the OS picks). It closes first, as the document's does; then, when told
/// on stdin, it starts again on the same port, once without the option and
/// once with it, and prints what each bind did.
const DOC_SERVER: &str = r#"
import socket, sys
from socket import SOL_SOCKET, SO_REUSEADDR
sk = socket.socket()
sk.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
sk.bind(('127.0.0.1', 0))
sk.listen()
port = sk.getsockname()[1]
print(port, flush=True)
conn, addr = sk.accept()
print(addr[1], flush=True)
ret = conn.recv(1024)
print(ret, flush=True)
conn.send(b'hi')
conn.close()
sk.close()
sys.stdin.readline()
for reuse in (0, 1):
    sk = socket.socket()
    sk.setsockopt(SOL_SOCKET, SO_REUSEADDR, reuse)
    try:
        sk.bind(('127.0.0.1', port))
        sk.listen()
        print('reuse', reuse, 'bound', flush=True)
    except OSError as e:
        print('reuse', reuse, 'errno', e.errno, flush=True)
    sk.close()
"#;

/// Wait (bounded, a few seconds at most) until the kernel has the
/// connection in `want`. The close travels through the kernel after our
/// client has exited, so the test checks rather than assumes.
fn wait_for_state(local: SocketAddr, peer: SocketAddr, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = reuseaddr::kernel_state(local, peer).expect("read /proc/net/tcp");
        if state == Some(want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{local} <-> {peer} is {state:?}, not {want}"
        );
        thread::yield_now();
    }
}

#[test]
fn the_documents_fixed_server_restarts_while_our_client_left_it_in_time_wait() {
    if python3().is_none() {
        return;
    }
    let mut server = Python::script(DOC_SERVER).serve_interactive();
    let port = server.addr.port();
    let stdout = run_ok(BIN, &["client", "fixed", "--port", &port.to_string()]);
    assert!(
        stdout.contains("[client] recv #1: 2 bytes \"hi\"\n"),
        "{stdout}"
    );
    // The Python server closed first: our client saw CLOSE_WAIT on its side.
    assert!(stdout.contains(" in CLOSE_WAIT\n"), "{stdout}");
    let client_port: u16 = server.next_line().parse().unwrap();
    assert_eq!(server.next_line(), "b'hello!'");
    let server_end = SocketAddr::from(([127, 0, 0, 1], port));
    let client_end = SocketAddr::from(([127, 0, 0, 1], client_port));
    wait_for_state(server_end, client_end, "TIME_WAIT");
    server.send_input("go\n");
    assert_eq!(server.next_line(), "reuse 0 errno 98");
    assert_eq!(server.next_line(), "reuse 1 bound");
    assert!(server.wait_exit().success());
}
