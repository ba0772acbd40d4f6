//! The library's pieces on real sockets: the naive calls fail at once with
//! "would block", and the fixed ones finish the job.

use std::io::{ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::Side;
use nonblocking::broken::{accept_naive, connect_naive, recv_naive};
use nonblocking::fixed::serve_one;
use nonblocking::{OtherWork, is_in_progress};

fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").unwrap()
}

#[test]
fn naive_accept_and_recv_fail_at_once_with_would_block() {
    let listener = listener();
    let err = accept_naive(&listener).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock, "{err:?}");

    let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    listener.set_nonblocking(false).unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    let started = Instant::now();
    let err = recv_naive(&mut conn, &mut Side::server()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock, "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "it did not wait"
    );
}

#[test]
fn naive_connect_fails_with_in_progress_even_when_a_server_listens() {
    let listener = listener();
    let err = connect_naive(listener.local_addr().unwrap()).unwrap_err();
    assert!(is_in_progress(&err), "{err:?}");
}

#[test]
fn the_non_blocking_server_reads_every_byte_until_eof() {
    let listener = listener();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (conn, _) = listener.accept().unwrap();
    let writer = std::thread::spawn(move || {
        for byte in b"slowly" {
            client.write_all(&[*byte]).unwrap();
        }
        client.shutdown(std::net::Shutdown::Write).unwrap();
        client
    });
    let mut work = OtherWork::default();
    let total = serve_one(
        conn,
        &mut Side::server(),
        &mut work,
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(total, 6);
    drop(writer.join().unwrap());
}

#[test]
fn a_silent_client_is_given_up_on_after_the_patience() {
    let listener = listener();
    let _silent = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (conn, _) = listener.accept().unwrap();
    let err = serve_one(
        conn,
        &mut Side::server(),
        &mut OtherWork::default(),
        Duration::from_millis(50),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err:?}");
}

/// poll() is Unix-only here, so finishing a non-blocking connect is too.
#[cfg(unix)]
mod unix {
    use super::*;
    use nonblocking::fixed::{closed_port, finish_connect, send_all_when_ready, start_connect};
    use std::io::Read;

    #[test]
    fn a_non_blocking_connect_completes_via_writability_and_so_error() {
        let listener = listener();
        let addr = listener.local_addr().unwrap();
        let (socket, said) = start_connect(addr).unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(
                said.and_then(|e| e.raw_os_error()),
                Some(115),
                "EINPROGRESS"
            );
        }
        let mut work = OtherWork::default();
        finish_connect(&socket, &Side::client(), &mut work).unwrap();
        let mut stream = TcpStream::from(socket);

        // The connection really works, in both directions.
        let (mut conn, peer) = listener.accept().unwrap();
        assert_eq!(peer, stream.local_addr().unwrap());
        send_all_when_ready(&mut stream, b"ping", &mut work).unwrap();
        let mut buf = [0u8; 4];
        conn.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping");
        conn.write_all(b"pong").unwrap();
        stream.set_nonblocking(false).unwrap();
        stream.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"pong");
    }

    #[test]
    fn a_non_blocking_connect_to_a_closed_port_is_refused_at_once() {
        let started = Instant::now();
        let (socket, _) = start_connect(closed_port().unwrap()).unwrap();
        let err = finish_connect(&socket, &Side::client(), &mut OtherWork::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "no hang");
    }
}
