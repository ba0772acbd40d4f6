//! Lesson 03: UDP sockets, the way the documents build them, one step per
//! module. No `listen`, no `accept`, no `connect`: a server binds and calls
//! `recv_from`, which returns a datagram *and its sender's address*. Each
//! step calls `recv_from` and `send_to` itself on a [`Traced`] socket, in
//! `demo STEP` (one process) and in `server STEP` / `client STEP`.
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
//! | `broadcast`, `multicast` | [`broadcast`] | 000 (一对多), 004 §2.2 (广播, 组播) |
#![warn(missing_docs)]

pub mod boundaries;
pub mod broadcast;
pub mod chat;
pub mod hello;
pub mod limits;
pub mod lost_reply;
pub mod many;
pub mod same_port;
pub mod truncate;

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use classroom::cli::{announce_bound, ephemeral};
use classroom::errors::{bind_failed, explain};
use classroom::{Traced, run_roles};

/// Where a client binds before its first `send_to`, on a port the OS picks.
/// A Python client never binds: at its first `sendto` the kernel binds it to
/// `0.0.0.0` (an implicit bind). Ours binds loopback for a server on
/// loopback, so nothing from another machine can reach the socket.
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
    let socket = UdpSocket::bind(addr).map_err(|e| bind_failed(e, addr, "UDP"))?;
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
    mut serve_one: impl FnMut(&Traced<UdpSocket>, &mut Budget) -> io::Result<()>,
) -> io::Result<()> {
    let socket = Traced::server(socket);
    let mut budget = Budget::default();
    socket.say("waiting for datagrams (Ctrl-C to stop)");
    loop {
        if let Err(e) = serve_one(&socket, &mut budget) {
            socket.say(format!("error: {}", explain(&e)));
        }
    }
}
// ANCHOR_END: serve_datagrams

// ANCHOR: budget
/// How many answers one address gets from a server in one second, at most.
pub const ANSWERS_PER_SECOND: u32 = 10;

/// A server's guard against answering in a loop. Anyone may write any
/// source address on a datagram: "from" the server's own address, it
/// answers itself; "from" another server, the two answer each other, for
/// ever. So a server never answers its own address, and answers one
/// address at most [`ANSWERS_PER_SECOND`] times a second: a loop goes
/// faster than that, and one dropped answer ends it.
#[derive(Debug, Default)]
pub struct Budget {
    /// When this second began, and the answers given in it (to at most 1024 addresses).
    since: Option<Instant>,
    answers: HashMap<SocketAddr, u32>,
}

impl Budget {
    /// Whether the server may answer `to`; if not, it says why.
    pub fn may_answer(&mut self, socket: &Traced<UdpSocket>, to: SocketAddr) -> io::Result<bool> {
        if to == socket.local_addr()? {
            socket.say("not answered: that datagram claims to come from this very socket");
            return Ok(false);
        }
        let second = self.since.get_or_insert_with(Instant::now);
        if second.elapsed() >= Duration::from_secs(1) || self.answers.len() >= 1024 {
            *second = Instant::now();
            self.answers.clear();
        }
        let answers = self.answers.entry(to).or_default();
        *answers = answers.saturating_add(1);
        if *answers == ANSWERS_PER_SECOND + 1 {
            socket.say(format!(
                "not answered: {to} has had {ANSWERS_PER_SECOND} answers this second; a loop ends here"
            ));
        }
        Ok(*answers <= ANSWERS_PER_SECOND)
    }
}
// ANCHOR_END: budget

/// A demo of one step: `server` on its own thread with a socket bound to a
/// free loopback port, `client` here with its address. The datagrams order
/// their lines: a `recv_from` cannot return before its `send_to`.
pub fn pair<T>(
    server: impl FnOnce(Traced<UdpSocket>) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let socket = Traced::server(UdpSocket::bind(ephemeral())?);
    let addr = socket.local_addr()?;
    socket.say(format!("bound to {addr}"));
    run_roles(move || server(socket), || client(addr))
}

/// (server, client) for a demo that sends everything before it reads: each
/// datagram waits whole in the server's queue.
pub fn unread_pair() -> io::Result<(Traced<UdpSocket>, Traced<UdpSocket>)> {
    let server = Traced::server(UdpSocket::bind(ephemeral())?);
    server.say(format!(
        "bound to {}; not reading yet",
        server.local_addr()?
    ));
    Ok((server, Traced::client(UdpSocket::bind(ephemeral())?)))
}

/// The lines a client sends, up to `q` or `Q` (not sent: there is no
/// connection to close) as in document 002; then the client says why it stopped.
pub fn until_quit<'a>(
    socket: &'a Traced<UdpSocket>,
    mut lines: impl Iterator<Item = String> + 'a,
) -> impl Iterator<Item = String> + 'a {
    std::iter::from_fn(move || {
        let ending = match lines.next() {
            Some(line) if !line.eq_ignore_ascii_case("q") => return Some(line),
            Some(_) => "q",
            None => "no more messages",
        };
        socket.say(format!("{ending}: done; UDP has no connection to close"));
        None
    })
}
