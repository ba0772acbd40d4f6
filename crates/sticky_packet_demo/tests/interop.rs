//! Python programs written the way the documents write them, against our
//! servers. Skipped, with the reason printed, when python3 is not installed.

mod common;

use classroom::testing::{python3, run_python};
use common::Server;

/// Document 002's sticky client: two `sendall` calls, then close.
const DOC_002_STICKY_CLIENT: &str = r#"
import socket, sys
client = socket.socket()
client.connect(('127.0.0.1', int(sys.argv[1])))
client.sendall('lbw正在吃'.encode('utf-8'))
client.sendall('翔'.encode('utf-8'))
client.close()
"#;

/// Document 000's UDP client, sending document 002's two messages and then
/// an empty datagram (document 000: UDP can send an empty message).
const DOC_000_UDP_CLIENT: &str = r#"
import socket, sys
ip_port = ('127.0.0.1', int(sys.argv[1]))
udp_sk = socket.socket(type=socket.SOCK_DGRAM)
for msg in ['lbw正在吃', '翔', '']:
    udp_sk.sendto(msg.encode('utf-8'), ip_port)
udp_sk.close()
"#;

/// Document 001's client without its fix: send a command, one recv(1024).
const DOC_001_NAIVE_CLIENT: &str = r#"
import socket, sys
s = socket.socket()
s.connect(('127.0.0.1', int(sys.argv[1])))
s.send(bytes('help', encoding='utf-8'))
print(str(s.recv(1024), encoding='utf-8'), end='')
s.send(bytes('exit', encoding='utf-8'))
s.close()
"#;

#[test]
fn the_documents_sticky_client_is_glued_by_our_server() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("glue");
    for _ in 0..3 {
        run_python(DOC_002_STICKY_CLIENT, &[&server.addr.port().to_string()]);
        let seen = server.wait_for("recv #1");
        assert!(
            seen.last()
                .unwrap()
                .ends_with("recv #1: 15 bytes \"lbw正在吃翔\""),
            "{seen:?}"
        );
        server.wait_for("0 bytes (EOF");
    }
}

#[test]
fn the_documents_udp_client_gets_three_messages_the_empty_one_included() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("udp");
    run_python(DOC_000_UDP_CLIENT, &[&server.addr.port().to_string()]);
    let seen: Vec<String> = server
        .wait_for("recv #3")
        .into_iter()
        .filter(|l| l.contains("recv #"))
        .collect();
    assert_eq!(
        seen,
        [
            "[server] recv #1: 12 bytes \"lbw正在吃\"",
            "[server] recv #2: 3 bytes \"翔\"",
            "[server] recv #3: 0 bytes \"\"",
        ]
    );
}

#[test]
fn the_documents_command_client_talks_to_our_command_server() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("leftover");
    let printed = run_python(DOC_001_NAIVE_CLIENT, &[&server.addr.port().to_string()]);
    assert_eq!(printed, sticky_packet_demo::commands::HELP);
    server.wait_for("recv #2: 4 bytes \"exit\"");
    server.wait_for("waiting for a connection");
}
