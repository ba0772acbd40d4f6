//! The event loop of the `select`, `poll` and `epoll` servers (document 002 §5),
//! in rounds: steps 1 to 3 (say what to watch, sleep until some of it is ready,
//! find out which) are each call's own, [`Readiness`]; step 4 is [`Server`]'s.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use classroom::errors::{explain, out_of_descriptors};
use classroom::runner::{BACK_OFF, ending};
use classroom::tcp::{RECV_SIZE, patience, seconds};
use classroom::traced::deadline_passed;
use classroom::{Side, Traced, narrate};

use crate::os::{AsFd, BorrowedFd, FD_SETSIZE, POLL};
use crate::{ROUND_MS, bind_listener, read_echo};

/// What macOS and Windows have instead of Linux's epoll.
pub const NO_EPOLL: &str = "epoll needs Linux; macOS has kqueue, and Windows IOCP, which reports completed reads, not readiness: run `demo poll`";
/// The listener's token; connections get 1, 2, 3, …
pub const LISTENER: u64 = 0;

/// Which system call the event loop waits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Kind {
    Select,
    Poll,
    Epoll,
}

impl Kind {
    /// The call, as the lanes print it.
    pub fn call(self) -> &'static str {
        ["select()", POLL, "epoll_wait()"][self as usize]
    }

    /// Steps 1 to 3 with this call; epoll off Linux is `Unsupported`.
    pub fn readiness(self) -> io::Result<Box<dyn Readiness>> {
        Ok(match self {
            Kind::Select => Box::<crate::select::Select>::default(),
            Kind::Poll => Box::new(crate::poll::Poll),
            #[cfg(target_os = "linux")]
            Kind::Epoll => Box::new(crate::epoll::EpollWait::new()?),
            #[cfg(not(target_os = "linux"))]
            Kind::Epoll => Err(io::Error::other(NO_EPOLL))?,
        })
    }
}

/// A descriptor to watch: token, descriptor, writable (else readable).
pub type Watched<'a> = (u64, BorrowedFd<'a>, bool);
/// Everything to watch this round.
pub type Watching<'w, 'a> = &'w mut dyn Iterator<Item = Watched<'a>>;

/// Steps 1 to 3 of a round, where `select`, `poll` and `epoll` differ.
pub trait Readiness {
    /// Sleep until some of `watched` is ready, or `timeout_ms` passes.
    fn wait(&mut self, watched: Watching<'_, '_>, timeout_ms: Option<u16>) -> io::Result<Vec<u64>>;
    /// `fd` is watched from now on, as `token`; an error refuses it.
    fn watch(&mut self, _token: u64, _fd: BorrowedFd<'_>, _write: bool) -> io::Result<()> {
        Ok(())
    }
    /// `fd` now waits the other way ([`Conn::wants_write`]).
    fn rewatch(&mut self, _token: u64, _fd: BorrowedFd<'_>, _write: bool) -> io::Result<()> {
        Ok(())
    }
    /// `fd` is watched no more.
    fn unwatch(&mut self, _fd: BorrowedFd<'_>) {}
}

/// The echo server of `kind` on `listener`, round after round, until `stop`.
pub fn serve(kind: Kind, listener: TcpListener, stop: &AtomicBool, quiet: bool) -> io::Result<()> {
    let lane = if quiet { Side::quiet } else { Side::server };
    let mut server = Server::new(kind, &listener, lane)?;
    while !stop.load(Ordering::Relaxed) {
        match server.round() {
            Err(e) if e.kind() == ErrorKind::Interrupted => {} // a signal: ask again
            other => drop(other?),
        }
        // Other work goes here, between rounds (the document's 干点其他事).
    }
    server.say("asked to stop: leaving the loop");
    Ok(())
}

/// An event-loop echo server between two rounds.
pub struct Server<'l> {
    listener: &'l TcpListener,
    readiness: Box<dyn Readiness>,
    conns: BTreeMap<u64, Conn>,
    /// Listener watched; since when `accept` found no free descriptor; said so.
    state: (bool, Option<Instant>, bool),
    kind: Kind,
    /// `Side::server`, or `Side::quiet` (tests with hundreds of clients, the bench).
    lane: fn() -> Side,
    /// How many connections it has closed so far.
    pub closed: usize,
}

impl<'l> Server<'l> {
    /// The `kind` server on `listener`.
    pub fn new(kind: Kind, listener: &'l TcpListener, lane: fn() -> Side) -> io::Result<Self> {
        listener.set_nonblocking(true)?; // Python: server.setblocking(False)
        let readiness = kind.readiness()?;
        // Python: inputs = [server, ] (the first round watches the listener)
        let (conns, state) = (BTreeMap::new(), (false, None, false));
        Ok(Server {
            listener,
            readiness,
            conns,
            state,
            kind,
            lane,
            closed: 0,
        })
    }

    // ANCHOR: round
    /// One round; whether anything was ready.
    pub fn round(&mut self) -> io::Result<bool> {
        // Out of descriptors, accept() fails and the client stays queued: the listener
        // stays readable and would wake us again and again. So it sits out a while.
        let (was_listening, out_of_fds, said) = self.state;
        let listening = out_of_fds.is_none_or(|since| since.elapsed() >= BACK_OFF);
        let fd = self.listener.as_fd();
        match (was_listening, listening) {
            (false, true) => self.readiness.watch(LISTENER, fd, false)?,
            (true, false) => self.readiness.unwatch(fd),
            _ => {}
        }
        // Steps 1 to 3, the call's own: say what to watch, wait, find out.
        let listener = listening.then_some((LISTENER, fd, false));
        let conns = self.conns.iter().map(|(&t, c)| c.watched(t));
        let ready = self
            .readiness
            .wait(&mut listener.into_iter().chain(conns), Some(ROUND_MS))?;
        // Nobody waiting at the listener we watch: a burst is over.
        let said = said && (!listening || ready.contains(&LISTENER));
        self.state = (listening, out_of_fds, said);
        // 4. Do what is ready: nothing here can block.
        for &token in &ready {
            if token != LISTENER {
                self.serve_ready(token);
                continue;
            }
            match self.listener.accept() {
                // Python: conn, addr = sock.accept()
                Ok((stream, peer)) => self.accepted(stream, peer),
                Err(e) if out_of_descriptors(&e) => {
                    if !self.state.2 {
                        let (e, wait) = (explain(&e), BACK_OFF);
                        self.say(format!("accept() failed: {e}\n  not watching the listener until a connection closes or {wait:?} pass (said once per burst)"));
                    }
                    self.state = (listening, Some(Instant::now()), true);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {} // the client gave up
                Err(e) => self.say(format!("accept() failed: {}", explain(&e))),
            }
        }
        // Each connection has `patience` in all; the oldest come first.
        while let Some((&token, oldest)) = self.conns.first_key_value()
            && oldest.deadline <= Instant::now()
        {
            self.close(token, Some(deadline_passed(patience())));
        }
        Ok(!ready.is_empty())
    }

    /// Watch a new connection, unless `watch` refuses it (then it closes).
    fn accepted(&mut self, stream: TcpStream, peer: SocketAddr) {
        // Tokens grow: the map keeps the oldest first.
        let token = self.conns.last_key_value().map_or(LISTENER, |(&t, _)| t) + 1;
        let conn = Conn::new(stream, peer, (self.lane)());
        match conn.and_then(|c| self.readiness.watch(token, c.as_fd(), false).map(|()| c)) {
            Ok(conn) => drop(self.conns.insert(token, conn)), // Python: inputs.append(conn)
            Err(e) => return self.say(format!("{peer}: {}", ending(&e))),
        }
        let call = self.kind.call();
        let line = format!("{call} reported the listener readable: accepted {peer}");
        match self.kind {
            Kind::Epoll => self.say(format!("{line}, epoll_ctl(ADD) as token {token}")),
            _ => self.say(line),
        }
        self.watching();
    }

    fn serve_ready(&mut self, token: u64) {
        let Some(conn) = self.conns.get_mut(&token) else {
            return; // closed earlier in this round
        };
        let wanted = conn.wants_write();
        let served = conn.on_ready().and_then(|open| {
            if open && conn.wants_write() != wanted {
                self.readiness.rewatch(token, conn.as_fd(), !wanted)?;
            }
            Ok(open)
        });
        match served {
            Ok(true) => {}
            Ok(false) => self.close(token, None),
            Err(e) => self.close(token, Some(e)),
        }
    }

    fn close(&mut self, token: u64, error: Option<io::Error>) {
        if let Some(conn) = self.conns.remove(&token) {
            self.readiness.unwatch(conn.as_fd());
            let peer = conn.peer;
            drop(conn); // closes the socket, and frees its descriptor
            (self.state.1, self.closed) = (None, self.closed + 1);
            if let Some(e) = error {
                self.say(format!("{peer}: {}", ending(&e)));
            }
            let left = format!("{peer} left: its socket is closed and no longer watched");
            self.say(left);
            self.watching(); // Python: inputs.remove(sock)
        }
    }
    // ANCHOR_END: round

    /// A line in the `[server]` lane.
    pub fn say(&self, text: impl Display) {
        (self.lane)().say(text);
    }

    /// The document's `inputs`: the listener, and the connections.
    fn watching(&self) {
        let n = self.conns.len();
        let s = if n == 1 { "" } else { "s" };
        self.say(format!("watching the listener + {n} connection{s}"));
    }

    /// Rounds until one finds something ready: a demo's client has moved.
    fn turn(&mut self) -> io::Result<()> {
        let started = Instant::now();
        while !self.round()? {
            if started.elapsed() > Duration::from_secs(10) {
                return Err(io::Error::other("the server saw nothing within 10 s"));
            }
        }
        Ok(())
    }
}

/// One connection of an echo loop, never blocking: one read when ready (水平触发), the echo
/// written as far as the kernel takes it, the rest watched for writable (`unsent`).
#[derive(Debug)]
pub struct Conn {
    stream: Traced<TcpStream>,
    #[allow(missing_docs)]
    pub peer: SocketAddr,
    unsent: Vec<u8>,
    /// [`patience`] after the accept.
    deadline: Instant,
}

impl Conn {
    /// A non-blocking connection (Linux does not pass the listener's flag on).
    pub fn new(stream: TcpStream, peer: SocketAddr, lane: Side) -> io::Result<Conn> {
        stream.set_nonblocking(true)?;
        let (stream, unsent) = (Traced::new(stream, lane), Vec::new());
        Ok(Conn {
            stream,
            peer,
            unsent,
            deadline: Instant::now() + patience(),
        })
    }

    /// Whether part of an echo waits to be sent: watch for writable then.
    pub fn wants_write(&self) -> bool {
        !self.unsent.is_empty()
    }

    /// Its socket, as the waiting calls take it.
    pub fn as_fd(&self) -> BorrowedFd<'_> {
        self.stream.as_fd()
    }

    /// What a loop watches for this connection, as `token`.
    pub fn watched(&self, token: u64) -> Watched<'_> {
        (token, self.as_fd(), self.wants_write())
    }

    // ANCHOR: on_ready
    /// The kernel said this connection is ready: read once and echo what
    /// came, or finish the echo in progress. `Ok(false)`: the client left.
    pub fn on_ready(&mut self) -> io::Result<bool> {
        if !self.wants_write() {
            let mut buf = [0u8; RECV_SIZE];
            match self.stream.read(&mut buf) {
                // Python: data = sock.recv(1024)
                Ok(0) => return Ok(false), // the client closed its side: we close ours too
                Ok(n) => self.unsent.extend_from_slice(&buf[..n]),
                // "Ready" was only a hint (or a signal interrupted us): next round.
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
                Err(e) => return Err(e), // reset, …
            }
        }
        // Write as much of the echo as the kernel takes without blocking.
        while !self.unsent.is_empty() {
            match self.stream.write(&self.unsent) {
                Ok(n) => drop(self.unsent.drain(..n)),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break, // its buffer is full
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }
    // ANCHOR_END: on_ready
}

/// `server select|poll|epoll`: bind, announce, serve until Ctrl-C.
pub fn run_server(kind: Kind, addr: SocketAddr) -> io::Result<()> {
    kind.readiness()?; // epoll off Linux: say so before binding
    let listener = bind_listener(addr)?;
    classroom::cli::announce_listening(&listener)?;
    let (call, patience) = (kind.call(), seconds(patience()));
    Side::server().say(format!("one thread; {call} waits at most {ROUND_MS} ms per round; a connection may last {patience} (--patience); Ctrl-C to stop"));
    serve(kind, listener, &AtomicBool::new(false), false)
}

/// Two clients and the `kind` server take turns in one thread: a client's move,
/// then the server's round that sees it. Client 2 speaks first, while client 1 is connected.
pub fn demo(kind: Kind) -> io::Result<()> {
    if let Err(e) = kind.readiness() {
        narrate(e);
        return Ok(());
    }
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let server = &mut Server::new(kind, &listener, Side::server)?;
    let (addr, call) = (listener.local_addr()?, kind.call());
    server.say(format!(
        "listening on {addr}: one thread, {call} at most every {ROUND_MS} ms"
    ));
    let connect = |n, server: &mut Server<'_>| {
        Side::nth_client(n).say("connecting");
        let client = Traced::new(TcpStream::connect(addr)?, Side::nth_client(n));
        client.set_read_timeout(Some(Duration::from_secs(10)))?; // for a broken run
        server.turn().map(|()| client)
    };
    let echo = |client: &mut Traced<TcpStream>, message: &str, server: &mut Server<'_>| {
        client.write_all(message.as_bytes())?;
        server.turn()?;
        read_echo(client, message.len()).map(drop)
    };
    let (mut one, mut two) = (connect(1, server)?, connect(2, server)?);
    echo(&mut two, "hello from client 2", server)?;
    echo(&mut one, "hello from client 1", server)?;
    one.say("closing");
    drop(one);
    server.turn()?;
    echo(&mut two, "still here", server)?;
    two.say("closing");
    drop(two);
    server.turn()?;
    narrate(match kind {
        Kind::Select => "client 2 was served while client 1 sat connected: one thread, one select() watching all".into(),
        Kind::Poll => format!("the same with {POLL}: no FD_SETSIZE ({FD_SETSIZE}) limit, but the whole array goes to the kernel every call"),
        Kind::Epoll => "the same with epoll: registered once with epoll_ctl, epoll_wait returns only the ready ones".to_owned(),
    });
    Ok(())
}
