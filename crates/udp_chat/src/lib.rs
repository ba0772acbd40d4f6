//! Lesson 03: UDP sockets, the way the documents build them, one idea per
//! module.
//!
//! UDP has no connection: no `listen`, no `accept`, no `connect`. A server
//! binds a port and calls `recv_from`, which returns one datagram *and the
//! address it came from*; it answers with `send_to` that address. Every
//! module below is one step of the lesson; the same functions run in the
//! narrated `demo STEP` (both roles in one process, ordered so the output
//! reads the same every run) and in two terminals (`server STEP` /
//! `client STEP`).
//!
//! | step | module | documents |
//! |---|---|---|
//! | `hello` | [`hello`] | 000 §基于UDP协议的socket (9000); 002 §2.1 (8002), 004 §基于UDP的套接字编程 (8080) |
//! | `chat` | [`chat`] | 000 §基于UDP协议的socket, 聊天工具 (8000) |
//! | `many` | [`many`] | 000 (udp是可以并发的), 004 §4.3 (8080) |
//! | `boundaries` | [`boundaries`] | 000 §黏包 (面向消息, 空消息) |
//! | `truncate` | [`truncate`] | 000 §黏包 (recvfrom(x) 对 sendto(y)) |
//! | `limits` | [`limits`] | 000 §黏包 (65507), 004 §粘包问题 (1472) |
//! | `same-port` | [`same_port`] | 003 (UDP 9999 and TCP 9999) |
//! | `lost-reply-broken`, `lost-reply` | [`lost_reply`] | 002 §2 (UDP不提供可靠性) |
#![warn(missing_docs)]

pub mod boundaries;
pub mod chat;
pub mod hello;
pub mod limits;
pub mod lost_reply;
pub mod many;
pub mod same_port;
pub mod truncate;

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use classroom::Side;
use classroom::cli::announce_bound;
use classroom::errors::{context, explain};

/// How many bytes one `recv_from` takes: the documents' `recvfrom(1024)`.
pub const RECV_SIZE: usize = 1024;

// ANCHOR: recv_from
/// One `recvfrom`: wait for a datagram, print it and the address it came
/// from. The datagram is returned as the part of `buf` it filled; a
/// datagram longer than `buf` is cut to fit (the `truncate` step).
pub fn recv_from<'b>(
    socket: &UdpSocket,
    buf: &'b mut [u8],
    out: &mut Side,
) -> io::Result<(&'b [u8], SocketAddr)> {
    let (n, from) = socket.recv_from(buf)?;
    out.received(&buf[..n]);
    out.say(format!("  from {from}"));
    Ok((&buf[..n], from))
}
// ANCHOR_END: recv_from

// ANCHOR: send_to
/// One `sendto`: print the datagram and where it goes, then send it. A
/// datagram leaves whole or not at all, so there is no partial send to loop
/// over (compare TCP's `sendall`).
pub fn send_to(socket: &UdpSocket, data: &[u8], to: SocketAddr, out: &mut Side) -> io::Result<()> {
    out.sent(data);
    out.say(format!("  to {to}"));
    socket.send_to(data, to)?;
    Ok(())
}
// ANCHOR_END: send_to

/// A client's socket, announced in its lane. Python's first `sendto` binds
/// the socket for you, to every local address and a free port; Rust makes
/// that step visible: bind the unspecified address of the server's family,
/// port 0.
pub fn client_socket(server: SocketAddr, out: &Side) -> io::Result<UdpSocket> {
    let any: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(any)?;
    out.say(format!("bound to {}", socket.local_addr()?));
    Ok(socket)
}

/// A socket on loopback with a port the OS picks: what demos bind, for
/// both roles, so every address they print is `127.0.0.1:PORT`.
pub fn demo_socket() -> io::Result<UdpSocket> {
    UdpSocket::bind(classroom::cli::ephemeral())
}

/// The two sockets of a demo that sends everything before it reads, in one
/// thread: a server that is bound but not reading yet, so each datagram
/// waits whole in its queue, and a client that sends to it.
pub struct UnreadPair {
    /// The server's socket, bound on loopback.
    pub server: UdpSocket,
    /// The server's address, where the client sends.
    pub addr: SocketAddr,
    /// The server's lane.
    pub server_out: Side,
    /// The client's socket, bound on loopback.
    pub client: UdpSocket,
    /// The client's lane.
    pub out: Side,
}

impl UnreadPair {
    /// Bind both sockets and say that the server is not reading yet.
    pub fn bind() -> io::Result<UnreadPair> {
        let server = demo_socket()?;
        let addr = server.local_addr()?;
        let server_out = Side::server();
        server_out.say(format!("bound to {addr}; not reading yet"));
        Ok(UnreadPair {
            server,
            addr,
            server_out,
            client: demo_socket()?,
            out: Side::client(),
        })
    }
}

/// An address on loopback where no UDP socket is bound: bind a free port,
/// then let it go. Use it at once: once let go, any program may be given
/// that port next.
pub fn closed_port() -> io::Result<SocketAddr> {
    demo_socket()?.local_addr()
}

/// A socket that never reads: to a client, a server that is down or hung
/// looks just like it. Unlike a port let go, it keeps its port for as long
/// as it lives, so no other program can be given it mid-demo and answer.
pub fn silent_server() -> io::Result<UdpSocket> {
    demo_socket()
}

/// Whether `error` is a read timeout running out. Unix reports `EAGAIN`
/// ("would block"), Windows `WSAETIMEDOUT`: check for both.
pub fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

// ANCHOR: serve_forever
/// Bind `addr`, print `bound to HOST:PORT`, then hand every datagram (up to
/// `buffer` bytes of it) to `handle` with the address it came from, until
/// the process is stopped (Ctrl-C).
///
/// There is no `accept`: one socket hears every client, and `recv_from`
/// says which one spoke. A datagram that makes `handle` fail costs only
/// itself: the error is printed and the loop goes on.
pub fn serve_forever(
    addr: SocketAddr,
    buffer: usize,
    mut handle: impl FnMut(&UdpSocket, &[u8], SocketAddr, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let socket = UdpSocket::bind(addr).map_err(|e| context(e, format!("binding {addr}")))?;
    announce_bound(&socket)?;
    let mut out = Side::server();
    out.say("waiting for datagrams (Ctrl-C to stop)");
    let mut buf = vec![0u8; buffer];
    loop {
        let outcome = recv_from(&socket, &mut buf, &mut out)
            .and_then(|(datagram, from)| handle(&socket, datagram, from, &mut out));
        if let Err(e) = outcome {
            out.say(format!("error: {}", explain(&e)));
        }
    }
}
// ANCHOR_END: serve_forever

/// The lines a client sends, stopping at `q` or `Q` the way document 002's
/// input loop does: the `q` itself is not sent, because there is no
/// connection to close and nobody to tell.
pub fn until_quit(lines: impl Iterator<Item = String>) -> impl Iterator<Item = String> {
    lines.take_while(|line| !line.eq_ignore_ascii_case("q"))
}

/// The MESSAGE arguments, or `default` alone when there are none.
pub fn messages_or(messages: &[String], default: &str) -> Vec<String> {
    if messages.is_empty() {
        vec![default.to_owned()]
    } else {
        messages.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_datagram_arrives_with_its_senders_address() {
        let (a, b) = (demo_socket().unwrap(), demo_socket().unwrap());
        let mut out = Side::client();
        send_to(&a, b"hello", b.local_addr().unwrap(), &mut out).unwrap();
        let mut buf = [0u8; RECV_SIZE];
        let (datagram, from) = recv_from(&b, &mut buf, &mut out).unwrap();
        assert_eq!(datagram, b"hello");
        assert_eq!(from, a.local_addr().unwrap());
    }

    #[test]
    fn a_client_socket_binds_every_address_of_the_servers_family() {
        let server: SocketAddr = "127.0.0.1:9000".parse().unwrap();
        let socket = client_socket(server, &Side::client()).unwrap();
        let addr = socket.local_addr().unwrap();
        assert!(addr.ip().is_unspecified() && addr.is_ipv4(), "{addr}");
        assert_ne!(addr.port(), 0);
    }

    #[test]
    fn q_ends_the_input_and_is_not_sent() {
        let lines = ["a", "", "Q", "b"].map(String::from);
        let sent: Vec<String> = until_quit(lines.into_iter()).collect();
        assert_eq!(sent, ["a", ""]);
    }
}
