//! The servers as programs, against clients that push on their bounds: more
//! connections than the process has descriptors for, clients that stay
//! silent or trickle, clients that leave without reading, a busy port, and
//! a server that closes on our client.
#![cfg(unix)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use classroom::testing::{ServerProcess, run_failing, run_ok};
use common::echo;

const BIN: &str = env!("CARGO_BIN_EXE_select_multiplex");

/// The event-loop servers this system has.
fn kinds() -> Vec<&'static str> {
    let mut kinds = vec!["select", "poll"];
    if cfg!(target_os = "linux") {
        kinds.push("epoll");
    }
    kinds
}

/// A silent client and a trickling one lose their connections at their
/// deadline (`--patience 1`), while other clients are served all along.
#[test]
fn silent_and_trickling_clients_are_dropped_at_their_deadline() {
    for kind in kinds() {
        let server = ServerProcess::start(BIN, &["server", kind, "--port", "0", "--patience", "1"]);
        let started = Instant::now();
        let mut silent = server.connect();
        let mut trickler = server.connect();
        // The silent client's read is the clock: each 100 ms without EOF,
        // the trickler sends a byte and a new client is served.
        silent
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        loop {
            match silent.read(&mut [0u8; 8]) {
                Ok(0) => break, // the server closed it
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                other => panic!("{kind}: the silent client got {other:?}"),
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{kind}: the silent client was never dropped"
            );
            match (&trickler).write_all(b".") {
                Ok(()) => {}
                Err(_) => break, // dropped already: the read above will say so
            }
            let mut other = server.connect();
            assert_eq!(echo(&mut other, b"served"), b"served", "{kind}");
        }
        assert!(started.elapsed() >= Duration::from_millis(900), "{kind}");
        // The trickler was dropped too: what it reads ends, soon.
        let mut rest = Vec::new();
        let _ = trickler.read_to_end(&mut rest);
        let seen = server.wait_for("are up");
        assert!(
            seen.last().unwrap().contains("1 s"),
            "{kind}: {:?}",
            seen.last()
        );
        let mut next = server.connect();
        assert_eq!(echo(&mut next, b"next"), b"next", "{kind}");
    }
}

/// A client that leaves without reading its echo resets the connection
/// (document 002's client does): the server says so calmly.
#[test]
fn a_client_that_leaves_without_reading_is_a_calm_ending() {
    for kind in kinds() {
        let server = ServerProcess::start(BIN, &["server", kind, "--port", "0"]);
        let mut client = server.connect();
        client.write_all(b"hello").unwrap();
        // Wait until the echo is here, and leave it unread: close sends RST.
        client.peek(&mut [0u8; 5]).unwrap();
        drop(client);
        let seen = server.wait_for("no longer watched");
        let text = seen.join("\n");
        assert!(
            text.contains("left that connection early"),
            "{kind}: {text}"
        );
        assert!(!text.contains("gave up"), "{kind}: {text}");
    }
}

#[test]
fn a_busy_port_is_named_with_its_protocol_and_port_0_suggested() {
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    for kind in kinds() {
        let stderr = run_failing(BIN, &["server", kind, "--port", &port], 1);
        assert!(
            stderr.contains(&format!("binding TCP 127.0.0.1:{port}")),
            "{stderr}"
        );
        assert!(stderr.contains("--port 0"), "{stderr}");
        assert!(!stderr.contains("TIME_WAIT"), "{stderr}");
    }
}

/// The client says when the server closed the connection, and stops there.
#[test]
fn the_client_says_when_the_server_closed_and_stops() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let _ = conn.read(&mut [0u8; 64]).unwrap(); // the first message, or part of it
        // Close without an echo (as a server does at a connection's deadline).
    });
    let text = run_ok(BIN, &["client", "select", "--port", &port, "one", "two"]);
    server.join().unwrap();
    assert!(text.contains("the server closed the connection"), "{text}");
    assert!(!text.contains("send #2"), "{text}");
    assert!(!text.contains("no echo within"), "{text}");
}

/// The blocking server gives a trickling client its patience in all, then
/// serves the next one.
#[test]
fn the_blocking_server_drops_a_trickling_client_at_its_deadline() {
    let server = ServerProcess::start(
        BIN,
        &["server", "blocking", "--port", "0", "--patience", "1"],
    );
    let started = Instant::now();
    let mut trickler = server.connect();
    let mut n = 0;
    // One byte at a time, each once the server has echoed the one before.
    while trickler.write_all(b".").is_ok() && trickler.read(&mut [0u8; 1]).is_ok_and(|r| r == 1) {
        n += 1;
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the trickler was never dropped ({n} bytes)"
        );
    }
    server.wait_for("are up");
    let mut next = server.connect();
    assert_eq!(echo(&mut next, b"next"), b"next");
}

/// Out of descriptors (`RLIMIT_NOFILE` 64, more clients than that): each
/// event loop says so once, stops watching the listener instead of
/// spinning on it, and serves the waiting clients once connections close.
#[cfg(target_os = "linux")]
#[test]
fn out_of_descriptors_the_loops_back_off_and_say_so_once() {
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    use nix::sys::resource::{Resource, setrlimit};

    const LIMIT: u64 = 64;
    for kind in kinds() {
        let mut command = Command::new(BIN);
        command.args(["server", kind, "--port", "0"]);
        #[allow(unsafe_code)]
        // SAFETY: the closure runs in the child between fork and exec; it
        // only makes the setrlimit system call, which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                setrlimit(Resource::RLIMIT_NOFILE, LIMIT, LIMIT).map_err(std::io::Error::from)
            });
        }
        let server = ServerProcess::spawn(&mut command, "");
        let held: Vec<std::net::TcpStream> = (0..LIMIT + 16).map(|_| server.connect()).collect();
        let mut seen = server.wait_for("Too many open files");

        // A second held, measured: the late client's read waits it out.
        let before = cpu_ticks(server.pid());
        let mut late = server.connect();
        late.write_all(b"late").unwrap();
        late.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
        let err = late.read(&mut [0u8; 4]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WouldBlock, "{kind}: {err}");
        let used = cpu_ticks(server.pid()) - before;
        // Clock ticks are 10 ms: a loop spinning on accept uses most of the
        // 100 ticks of that second; one that backs off, next to none.
        assert!(used < 20, "{kind}: {used} ticks of CPU in 1 s while held");

        drop(held);
        late.set_read_timeout(Some(common::PATIENCE)).unwrap();
        let mut back = [0u8; 4];
        late.read_exact(&mut back).unwrap();
        assert_eq!(&back, b"late", "{kind}");
        seen.extend(server.wait_for("\"late\""));
        let said = seen.iter().filter(|l| l.contains("Too many open files"));
        assert_eq!(said.count(), 1, "{kind}:\n{}", seen.join("\n"));
    }
}

/// The CPU time process `pid` has used, in clock ticks (utime + stime).
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields 14 and 15; the name (field 2) may hold spaces, so count from
    // the `)` that ends it.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}
