//! The steps' calls on real sockets: the naive ones fail at once with
//! "would block", the fixed ones finish the job, and a timeout is told
//! apart from other errors.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::Traced;
use classroom::tcp::is_timeout;
use nonblocking::broken::{accept_naive, connect_naive, recv_naive};
use nonblocking::{OtherWork, fixed, is_in_progress};

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
    let (conn, _) = listener.accept().unwrap();
    let started = Instant::now();
    let err = recv_naive(&mut Traced::server(conn)).unwrap_err();
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
    let writer = std::thread::spawn(move || {
        for byte in b"slowly" {
            client.write_all(&[*byte]).unwrap();
        }
        client.shutdown(Shutdown::Write).unwrap();
        client
    });
    let mut work = OtherWork::default();
    let total = fixed::server(&listener, &mut work, Duration::from_secs(10)).unwrap();
    assert_eq!(total, 6);
    drop(writer.join().unwrap());
}

#[test]
fn a_silent_client_is_given_up_on_after_the_patience() {
    let listener = listener();
    let _silent = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let started = Instant::now();
    let err = fixed::server(
        &listener,
        &mut OtherWork::default(),
        Duration::from_millis(50),
    )
    .unwrap_err();
    assert!(is_timeout(&err), "{err:?}");
    // Given up when the 50 ms were up, not at once (to within the few
    // milliseconds a deadline allows for reading the clock).
    assert!(started.elapsed() >= Duration::from_millis(40));
    assert!(started.elapsed() < Duration::from_secs(5), "no hang");
}

#[test]
fn a_read_timeout_is_a_would_block_or_timed_out_error() {
    let listener = listener();
    let mut stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let _conn = listener.accept().unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let started = Instant::now();
    let err = stream.read(&mut [0u8; 8]).unwrap_err();
    assert!(is_timeout(&err), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(15));
}

/// Finishing a non-blocking connect: poll (Unix) or WSAPoll (Windows).
mod finishing {
    use super::*;
    use classroom::tcp::closed_port;

    #[test]
    fn a_non_blocking_connect_completes_via_writability_and_so_error() {
        let listener = listener();
        let mut work = OtherWork::default();
        let mut stream = fixed::connect(listener.local_addr().unwrap(), &mut work).unwrap();

        // The connection really works, in both directions.
        let (mut conn, peer) = listener.accept().unwrap();
        assert_eq!(peer, stream.local_addr().unwrap());
        fixed::send_all(&mut stream, b"ping", &mut work).unwrap();
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
        let err = fixed::connect(closed_port().unwrap(), &mut OtherWork::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "no hang");
    }

    #[test]
    fn send_all_waits_out_a_full_buffer_and_sends_every_byte() {
        let listener = listener();
        let mut work = OtherWork::default();
        let mut stream = fixed::connect(listener.local_addr().unwrap(), &mut work)
            .unwrap()
            .into_inner();
        let (conn, _) = listener.accept().unwrap();
        // More than the kernel buffers hold: a write that finds them full
        // says "would block", and send_all tries again.
        let data = vec![7u8; 8 * 1024 * 1024];
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            (&conn).take(8 * 1024 * 1024).read_to_end(&mut got).unwrap();
            got.len()
        });
        fixed::send_all(&mut stream, &data, &mut work).unwrap();
        assert_eq!(reader.join().unwrap(), data.len());
    }
}
