//! What the kernel does, checked with the library's own pieces: where
//! TIME_WAIT lands and what it blocks. Linux only (it reads /proc/net/tcp).
#![cfg(target_os = "linux")]

use std::io::{ErrorKind, Read};
use std::net::{Shutdown, SocketAddr, TcpStream};

use classroom::Traced;
use reuseaddr::bind::{bind_with_reuse, bind_without_reuse};
use reuseaddr::restart::send_then_fin;
use reuseaddr::{Bind, kernel_state};

fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut data = Vec::new();
    stream.read_to_end(&mut data).unwrap();
    data
}

/// Serve one connection on a listener bound `bind`'s way, the server
/// closing first, then stop. Returns the port's address; the connection is
/// in TIME_WAIT on the server's side.
fn leave_a_time_wait(bind: Bind) -> SocketAddr {
    let listener = bind.bind(classroom::cli::ephemeral()).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = TcpStream::connect(addr).unwrap();
    let (conn, peer) = listener.accept().unwrap();
    let local = conn.local_addr().unwrap();
    let mut conn = Traced::server(conn);
    send_then_fin(&mut conn, b"hi").unwrap(); // the server closes first
    assert_eq!(read_all(&mut client), b"hi");
    drop(client); // the client's FIN answers
    assert_eq!(read_all(conn.get_mut()), b""); // ... and has arrived: TIME_WAIT
    assert_eq!(kernel_state(local, peer).unwrap(), Some("TIME_WAIT"));
    drop((conn, listener)); // the server stops
    addr
}

#[test]
fn time_wait_blocks_a_bind_without_the_option() {
    let addr = leave_a_time_wait(Bind::WithoutReuse);
    let err = bind_without_reuse(addr).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
    assert_eq!(err.raw_os_error(), Some(98));
}

#[test]
fn the_option_lets_a_listener_bind_next_to_time_wait() {
    let addr = leave_a_time_wait(Bind::WithReuse);
    assert!(bind_with_reuse(addr).is_ok());
}

// Linux lets a new socket share the port with a TIME_WAIT only when both
// have SO_REUSEADDR; the TIME_WAIT keeps the option of the listener that
// accepted its connection. So the fix must be on in every run.
#[test]
fn the_option_must_be_on_in_the_run_that_left_the_time_wait_too() {
    let addr = leave_a_time_wait(Bind::WithoutReuse);
    let err = bind_with_reuse(addr).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
    let addr = leave_a_time_wait(Bind::WithReuse);
    let err = bind_without_reuse(addr).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
}

#[test]
fn std_listeners_restart_next_to_their_time_wait() {
    let addr = leave_a_time_wait(Bind::Std);
    assert!(Bind::Std.bind(addr).is_ok());
}

// A client that closes as soon as it has its answer cannot close before the
// server: the answer and the server's FIN arrive in the same segment, so by
// the time the client can read `hi`, its side is already in CLOSE_WAIT.
#[test]
fn the_answer_and_the_fin_arrive_together() {
    let listener = bind_with_reuse(classroom::cli::ephemeral()).unwrap();
    for _ in 0..50 {
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let mut conn = Traced::server(listener.accept().unwrap().0);
        send_then_fin(&mut conn, b"hi").unwrap();
        let mut buf = [0u8; 16];
        let n = client.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"hi");
        let (local, peer) = (client.local_addr().unwrap(), client.peer_addr().unwrap());
        assert_eq!(kernel_state(local, peer).unwrap(), Some("CLOSE_WAIT"));
        client.shutdown(Shutdown::Write).unwrap();
    }
}
