//! One forged datagram must not set the UDP server answering in a loop:
//! not with itself, and not with another server that answers whatever it
//! gets (lesson 03's `hello` answers `hi`). In-process, on 127.0.0.1 port 0.
//! No timing: the server handles datagrams in the order they arrive, and on
//! loopback a datagram is queued before `send_to` returns, so once a later
//! client has its answer, every earlier datagram was handled.

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};

use classroom::testing::PATIENCE;
use socketserver_like::{UdpServer, udp};

fn socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket
}

/// Ask `hello` from a fresh client and check the answer.
fn ask(addr: SocketAddr) -> io::Result<()> {
    let client = socket();
    client.send_to(b"hello\n", addr)?;
    let mut buf = [0u8; 64];
    let (n, from) = client.recv_from(&mut buf)?;
    assert_eq!((&buf[..n], from), (&b"HELLO"[..], addr));
    Ok(())
}

fn server() -> (UdpServer, SocketAddr) {
    let server = UdpServer::bind("127.0.0.1:0".parse().unwrap(), udp::UpperDatagram).unwrap();
    let addr = server.server_address().unwrap();
    (server, addr)
}

#[test]
fn a_datagram_from_the_servers_own_address_is_not_answered() {
    let (server, addr) = server();
    server
        .serve_while(|| {
            // What a forged source address makes: the server writing to itself.
            server.socket().send_to(b"hi\n", addr)?;
            ask(addr)?;
            ask(addr) // after any answer the server sent itself
        })
        .unwrap();
    // The forged one and the two clients': nothing the server sent itself.
    assert_eq!(server.handle().stats().requests, 3);
}

#[test]
fn another_servers_answer_is_not_answered() {
    let (server, addr) = server();
    let other = socket(); // plays a server that answers every datagram with `hi`
    server
        .serve_while(|| {
            other.send_to(b"ping\n", addr)?; // as if a forged request had come to us from it
            let mut buf = [0u8; 64];
            let n = other.recv(&mut buf)?;
            assert_eq!(&buf[..n], b"PING");
            other.send_to(b"hi", addr)?; // its answer
            ask(addr)
        })
        .unwrap();
    other.set_nonblocking(true).unwrap();
    let answered = other.recv(&mut [0u8; 64]);
    assert_eq!(
        answered.map_err(|e| e.kind()),
        Err(ErrorKind::WouldBlock),
        "the server answered an answer: the two would go on for ever"
    );
}
