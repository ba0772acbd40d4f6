//! Clients that misbehave never stall or crash an event loop: the other
//! clients are served all the while.
#![cfg(unix)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::time::Duration;

use common::{Server, echo, kinds};
use socket2::SockRef;

#[test]
fn a_client_that_resets_is_dropped_and_the_others_are_served() {
    for kind in kinds() {
        let server = Server::start(kind);
        let mut polite = server.client();
        let mut rude = server.client();
        echo(&mut rude, b"hi");
        // SO_LINGER 0: close() sends RST instead of FIN.
        SockRef::from(&rude)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(rude);
        server.wait_left(1);
        assert_eq!(
            echo(&mut polite, b"still served"),
            b"still served",
            "{kind:?}"
        );
        server.stop();
    }
}

#[test]
fn a_half_closed_client_gets_its_echo_then_eof() {
    for kind in kinds() {
        let server = Server::start(kind);
        let mut client = server.client();
        client.write_all(b"abc").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let mut back = Vec::new();
        client.read_to_end(&mut back).unwrap();
        assert_eq!(back, b"abc", "{kind:?}");
        server.wait_left(1);
        let mut next = server.client();
        assert_eq!(echo(&mut next, b"next"), b"next", "{kind:?}");
        server.stop();
    }
}

#[test]
fn one_byte_at_a_time_interleaves_with_other_clients() {
    for kind in kinds() {
        let server = Server::start(kind);
        let mut slow = server.client();
        let mut other = server.client();
        for &byte in b"hello" {
            assert_eq!(echo(&mut slow, &[byte]), [byte], "{kind:?}");
            assert_eq!(echo(&mut other, b"between"), b"between", "{kind:?}");
        }
        server.stop();
    }
}

#[test]
fn a_client_that_never_reads_slows_down_only_itself() {
    for kind in kinds() {
        let server = Server::start(kind);
        let flood = server.client();
        // Send until the kernel refuses more: the server echoes until its
        // send buffer to us is full, then stops reading from us.
        flood.set_nonblocking(true).unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        loop {
            match (&flood).write(&chunk) {
                Ok(n) => sent += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => panic!("{kind:?}: {e}"),
            }
            assert!(
                sent < 256 * 1024 * 1024,
                "{kind:?}: the buffers never filled"
            );
        }
        let mut other = server.client();
        assert_eq!(echo(&mut other, b"not stuck"), b"not stuck", "{kind:?}");
        drop(flood);
        server.wait_left(1);
        server.stop();
    }
}

/// The same as a real program: `server STEP` as its own process (which
/// restores SIGPIPE's default action, so a write to a reset connection that
/// raised it would end the process) survives a client that resets while its
/// echo is still being written.
#[test]
fn the_server_program_survives_a_reset_in_the_middle_of_an_echo() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    for kind in ["select", "poll", "epoll"] {
        if kind == "epoll" && !cfg!(target_os = "linux") {
            continue;
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_select_multiplex"))
            .args(["server", kind, "--port", "0"])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let addr: std::net::SocketAddr = first
            .strip_prefix("listening on ")
            .unwrap()
            .parse()
            .unwrap();
        // Drain the server's output so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));

        let flood = std::net::TcpStream::connect(addr).unwrap();
        flood.set_nonblocking(true).unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        while (&flood).write(&chunk).is_ok() {}
        SockRef::from(&flood)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(flood);

        let mut next = std::net::TcpStream::connect(addr).unwrap();
        next.set_read_timeout(Some(common::PATIENCE)).unwrap();
        assert_eq!(echo(&mut next, b"alive"), b"alive", "{kind}");
        assert!(
            child.try_wait().unwrap().is_none(),
            "{kind}: the server ended"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
