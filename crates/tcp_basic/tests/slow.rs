//! Slow clients and slow people. A server gives a program's connection a
//! deadline (`server --patience`), so a client that trickles or says
//! nothing loses its connection in time and the next client is served; a
//! server that a person types to (`chat`, `one-at-a-time`) waits as long as
//! the person thinks; and every ending is said in plain words.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use classroom::testing::{ServerProcess, read_n, read_to_end, run_command, succeeded};
use common::{BIN, hello};

/// A test's patience: short, so the tests are quick.
const PATIENCE: &str = "0.5";

/// How long a server may take past its patience to give up: generous, for
/// a busy machine; a server without a deadline would go on far longer.
const BOUND: Duration = Duration::from_secs(10);

fn start(step: &str, patience: &str) -> ServerProcess {
    ServerProcess::start(
        BIN,
        &["server", step, "--port", "0", "--patience", patience],
    )
}

/// Write one byte, then another each time the server has read the last:
/// the connection is never idle long enough for a timeout on one call, so
/// only a deadline for the whole connection ends it. (Past half the
/// server's size cap, a fast machine's trickle just waits: the deadline
/// still comes first.) Returns the server's ending line and how long it took.
fn trickle(server: &ServerProcess) -> (String, Duration) {
    let mut slow = TcpStream::connect(server.addr).unwrap();
    let started = Instant::now();
    slow.write_all(b"G").unwrap();
    let mut bytes = 1;
    loop {
        let line = server.next_line();
        if line.contains("gave up") {
            return (line, started.elapsed());
        }
        assert!(started.elapsed() < BOUND, "still served: {line}");
        let room = bytes < classroom::tcp::DRAIN_LIMIT / 2;
        if room && line.contains("] recv #") && slow.write_all(b"x").is_ok() {
            bytes += 1;
        }
    }
}

fn assert_deadline(step: &str, (line, took): (String, Duration)) {
    assert!(
        line.contains("the connection's 0.5 s are up"),
        "{step}: {line}"
    );
    assert!(took < BOUND, "{step}: {took:?}");
}

#[test]
fn a_trickling_client_loses_the_hello_server_in_time_and_the_next_is_served() {
    let server = start("hello", PATIENCE);
    server.wait_for("waiting for a connection");
    assert_deadline("hello", trickle(&server));
    assert_eq!(hello(&server), b"hi");
}

#[test]
fn a_trickling_request_loses_the_http_server_in_time_and_the_next_is_served() {
    let server = start("http", PATIENCE);
    server.wait_for("waiting for a connection");
    assert_deadline("http", trickle(&server));
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .write_all(tcp_basic::http::request().as_bytes())
        .unwrap();
    assert!(read_to_end(&mut stream).starts_with(b"HTTP/1.1 200 OK\r\n"));
}

#[test]
fn half_close_reads_within_a_deadline_and_a_size_cap() {
    let server = start("half-close", PATIENCE);
    server.wait_for("waiting for a connection");
    assert_deadline("half-close", trickle(&server));
    // More than the cap, and never a FIN.
    let mut flood = TcpStream::connect(server.addr).unwrap();
    let _ = flood.write_all(&vec![b'a'; classroom::tcp::DRAIN_LIMIT + 4096]);
    let seen = server.wait_for("gave up");
    assert!(
        seen.last().unwrap().contains("more than 65536 bytes"),
        "{seen:?}"
    );
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all(b"all done").unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(read_to_end(&mut stream), b"got 8 bytes, bye");
}

#[test]
fn a_client_that_never_sends_loses_the_server_in_time() {
    let server = start("hello", PATIENCE);
    let started = Instant::now();
    let _silent = TcpStream::connect(server.addr).unwrap();
    let seen = server.wait_for("gave up");
    assert!(
        seen.last()
            .unwrap()
            .contains("the connection's 0.5 s are up"),
        "{seen:?}"
    );
    assert!(started.elapsed() < BOUND);
    assert_eq!(hello(&server), b"hi");
}

/// A person typing to `server chat` or `server one-at-a-time` may think
/// longer than a program's patience: the server keeps the connection.
#[test]
fn a_person_may_think_longer_than_a_programs_patience() {
    for (step, input, answer) in [
        ("chat", "hi there\n", "hi there"),
        ("one-at-a-time", "", "ok: hello"),
    ] {
        let server = ServerProcess::spawn(
            Command::new(BIN).args(["server", step, "--port", "0", "--patience", "0.2"]),
            input,
        );
        let mut person = TcpStream::connect(server.addr).unwrap();
        person.write_all(b"hello").unwrap();
        assert_eq!(read_n(&mut person, answer.len()), answer.as_bytes());
        // Five times the patience a program gets: the server must neither
        // close (a read of 0 bytes) nor say anything.
        person
            .set_read_timeout(Some(Duration::from_secs(1)))
            .unwrap();
        let quiet = person.read(&mut [0u8; 64]);
        assert!(
            matches!(&quiet, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
            "{step}: {quiet:?}"
        );
        person.write_all(b"q").unwrap();
        let seen = server.wait_for("the client said q: closing");
        assert!(
            !seen.iter().any(|l| l.contains("gave up")),
            "{step}: {seen:?}"
        );
    }
}

/// Run `client chat` with `typed` on stdin against a `server chat` whose
/// own terminal typed `replies`; return what the client and the server
/// printed.
fn chat(replies: &str, typed: &str) -> (String, Vec<String>) {
    let server = ServerProcess::spawn(
        Command::new(BIN).args(["server", "chat", "--port", "0"]),
        replies,
    );
    server.wait_for("waiting for a connection");
    let port = server.addr.port().to_string();
    let client = succeeded(run_command(
        Command::new(BIN).args(["client", "chat", "--port", &port]),
        typed,
    ));
    (client, server.wait_for("waiting for a connection"))
}

#[test]
fn the_chat_client_says_when_the_server_closed() {
    // The server's own input has ended: it closes at the first message.
    let (client, server) = chat("", "hello\nagain\n");
    assert!(
        client.contains("[client] recv #1: 0 bytes (EOF: the peer closed its side)\n[client] the server closed the connection ("),
        "{client}"
    );
    assert!(!client.contains("again"), "{client}");
    assert!(
        server.iter().any(|l| l.contains("no more replies")),
        "{server:?}"
    );
}

#[test]
fn the_chat_client_says_when_its_input_ended_and_so_does_the_server() {
    let (client, server) = chat("hi\n", "hello\n");
    assert!(
        client.ends_with("[client] recv #1: 2 bytes \"hi\"\n[client] nothing more to send: closing the connection\n"),
        "{client}"
    );
    assert!(
        server
            .iter()
            .any(|l| l.ends_with("the client closed the connection without q")),
        "{server:?}"
    );
}

#[test]
fn the_chat_client_says_when_the_server_said_q() {
    let (client, _) = chat("q\n", "hello\nmore\n");
    assert!(
        client.ends_with("[client] recv #1: 1 byte \"q\"\n[client] the server said q: closing\n"),
        "{client}"
    );
}
