//! Lesson 03: UDP sockets, the way the documents build them, one idea per
//! module.
//!
//! UDP has no connection: no `listen`, no `accept`, no `connect`. A server
//! binds a port and calls `recv_from`, which returns one datagram *and the
//! address it came from*; it answers with `send_to` that address. Every
//! module below is one step of the lesson, and calls `recv_from` and
//! `send_to` itself on a [`Traced`] socket, which prints each call. The same
//! functions run in the narrated `demo STEP` (both roles in one process,
//! ordered so the output reads the same every run) and in two terminals
//! (`server STEP` / `client STEP`).
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

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use classroom::cli::{announce_bound, ephemeral};
use classroom::errors::{context, explain};
use classroom::{Traced, run_roles};

/// Where a client binds before its first `send_to`, on a port the OS picks.
/// Python's first `sendto` binds every address (`0.0.0.0`); ours binds the
/// loopback address when the server is on loopback: its answer comes there,
/// and nothing from another machine can reach the socket.
pub fn client_addr_for(server: SocketAddr) -> SocketAddr {
    match server {
        SocketAddr::V4(s) if s.ip().is_loopback() => (Ipv4Addr::LOCALHOST, 0).into(),
        SocketAddr::V6(s) if s.ip().is_loopback() => (Ipv6Addr::LOCALHOST, 0).into(),
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    }
}

/// A client's socket for `server`, bound (see [`client_addr_for`]) and
/// announced in the client's lane.
pub fn client_socket(server: SocketAddr) -> io::Result<Traced<UdpSocket>> {
    let socket = Traced::client(UdpSocket::bind(client_addr_for(server))?);
    socket.say(format!("bound to {}", socket.local_addr()?));
    Ok(socket)
}

/// `server STEP`'s socket: bind `addr` and print `bound to HOST:PORT`, the
/// line scripts and tests read to find the port.
pub fn bind_server(addr: SocketAddr) -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind(addr).map_err(|e| context(e, format!("binding {addr}")))?;
    announce_bound(&socket)?;
    Ok(socket)
}

// ANCHOR: serve_datagrams
/// The documents' `while True:` around `recvfrom`: call `serve_one` (one
/// datagram's worth: it calls `recv_from` itself) again and again, until
/// the process is stopped (Ctrl-C).
///
/// There is no `accept`: one socket hears every client, and `recv_from`
/// says which one spoke. A datagram that makes `serve_one` fail costs only
/// itself: the error is printed and the loop goes on.
pub fn serve_datagrams(
    socket: UdpSocket,
    mut serve_one: impl FnMut(&Traced<UdpSocket>) -> io::Result<()>,
) -> io::Result<()> {
    let socket = Traced::server(socket);
    socket.say("waiting for datagrams (Ctrl-C to stop)");
    loop {
        if let Err(e) = serve_one(&socket) {
            socket.say(format!("error: {}", explain(&e)));
        }
    }
}
// ANCHOR_END: serve_datagrams

/// A demo of one step: bind a server socket on a free loopback port, print
/// `bound to HOST:PORT`, run `server` with it on its own thread and `client`
/// with its address on this one. Returns the client's value once both are
/// done. The order of their lines comes from the datagrams themselves: a
/// `recv_from` cannot return before the `send_to` it waits for.
pub fn pair<T>(
    server: impl FnOnce(Traced<UdpSocket>) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let socket = Traced::server(UdpSocket::bind(ephemeral())?);
    let addr = socket.local_addr()?;
    socket.say(format!("bound to {addr}"));
    run_roles(move || server(socket), || client(addr))
}

/// Two sockets for a demo that sends everything before it reads, in one
/// thread: a server that is bound but not reading yet, so each datagram
/// waits whole in its queue, and a client. Returns (server, client).
pub fn unread_pair() -> io::Result<(Traced<UdpSocket>, Traced<UdpSocket>)> {
    let server = Traced::server(UdpSocket::bind(ephemeral())?);
    server.say(format!(
        "bound to {}; not reading yet",
        server.local_addr()?
    ));
    Ok((server, Traced::client(UdpSocket::bind(ephemeral())?)))
}

/// The lines a client sends, stopping at `q` or `Q` the way document 002's
/// input loop does: the `q` itself is not sent, because there is no
/// connection to close and nobody to tell.
pub fn until_quit(lines: impl Iterator<Item = String>) -> impl Iterator<Item = String> {
    lines.take_while(|line| !line.eq_ignore_ascii_case("q"))
}
