//! Clients that send nothing, or a byte at a time, against the servers in
//! their own processes, started with a short `--patience`: every server
//! lets them go at their deadline, and the next client is served. Slow
//! clients pace themselves on bounded reads, never on sleeps.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use classroom::testing::ServerProcess;
use common::BIN;

/// Far more than the deadlines here (1 s, 3 s), far less than the 30 s default.
const BOUND: Duration = Duration::from_secs(10);
/// How often a trickling client sends its next byte.
const TICK: Duration = Duration::from_millis(100);

/// `server STEP` with `--patience SECS`.
fn start(step: &str, patience: &str) -> ServerProcess {
    ServerProcess::start(
        BIN,
        &["server", step, "--port", "0", "--patience", patience],
    )
}

fn connect(server: &ServerProcess) -> TcpStream {
    let stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(TICK)).unwrap();
    stream
}

/// Send `line` on a new connection: `answer` must come back within [`BOUND`].
fn asks(server: &ServerProcess, line: &[u8], answer: &[u8]) {
    let mut client = connect(server);
    client.write_all(line).unwrap();
    client.set_read_timeout(Some(BOUND)).unwrap();
    let mut got = vec![0u8; answer.len()];
    client.read_exact(&mut got).unwrap();
    assert_eq!(got, answer);
}

/// Read from `waiting` until `want` bytes came, while `trickler` sends a
/// byte every [`TICK`]; how long it took. Panics after [`BOUND`].
fn read_while_trickling(
    waiting: &mut TcpStream,
    want: usize,
    trickler: &mut TcpStream,
) -> Duration {
    let started = Instant::now();
    let mut got = Vec::new();
    while got.len() < want {
        assert!(
            started.elapsed() < BOUND,
            "still waiting after {BOUND:?}: {got:?}"
        );
        let _ = trickler.write_all(b"a"); // it fails once the server let go
        let mut buf = [0u8; 64];
        match waiting.read(&mut buf) {
            Ok(0) => panic!("closed after {got:?}"),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("{e}"),
        }
    }
    started.elapsed()
}

/// Whether the server closed `stream` (EOF or reset) within [`BOUND`],
/// while it sent a byte every [`TICK`] without ever ending a line.
fn is_let_go_while_trickling(stream: &mut TcpStream) -> bool {
    let started = Instant::now();
    while started.elapsed() < BOUND {
        if stream.write_all(b"a").is_err() {
            return true;
        }
        match stream.read(&mut [0u8; 64]) {
            Ok(0) => return true,
            Ok(_) => {} // a welcome
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn a_trickling_client_cannot_hold_the_sequential_server() {
    let server = start("sequential", "1");
    let mut trickler = connect(&server);
    trickler.read_exact(&mut [0u8; 9]).unwrap(); // its welcome: it holds the server now
    let mut next = connect(&server);
    read_while_trickling(&mut next, b"Welcome!\n".len(), &mut trickler);
    server.wait_for("the connection's 1 s are up");
}

#[test]
fn a_silent_client_cannot_hold_the_upper_server() {
    let server = start("upper", "1");
    let _silent = connect(&server);
    asks(&server, b"hello\n", b"HELLO");
}

#[test]
fn the_threading_server_lets_a_trickling_client_go_at_its_deadline() {
    let server = start("threading", "1");
    let mut trickler = connect(&server);
    assert!(is_let_go_while_trickling(&mut trickler));
}

#[test]
fn slow_clients_that_outnumber_the_pools_workers_do_not_delay_the_next_one() {
    // 3 s: long enough that an answer within 1.5 s cannot be the deadline's doing.
    let server = start("pool", "3");
    let mut silent: Vec<_> = (0..20).map(|_| connect(&server)).collect();
    let mut trickling: Vec<_> = (0..4).map(|_| connect(&server)).collect();
    trickling
        .iter_mut()
        .for_each(|t| t.write_all(b"hel").unwrap());
    let mut next = connect(&server);
    next.write_all(b"hello\n").unwrap();
    let waited = read_while_trickling(&mut next, b"HELLO\n".len(), &mut trickling[0]);
    assert!(
        waited < Duration::from_millis(1500),
        "answered after {waited:?}"
    );
    // The slow ones are let go at their deadline, a trickler too.
    assert!(is_let_go_while_trickling(&mut trickling[1]));
    silent[0].set_read_timeout(Some(BOUND)).unwrap();
    match silent[0].read(&mut [0u8; 8]) {
        Ok(0) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        other => panic!("a silent client still connected: {other:?}"),
    }
    asks(&server, b"bye\n", b"BYE\n"); // and the pool still serves
}
