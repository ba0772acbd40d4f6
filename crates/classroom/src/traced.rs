//! A socket that prints every system call it makes.
//!
//! Lesson code reads and writes with plain std calls: `conn.read(&mut buf)`,
//! `conn.write_all(b"hi")`. Wrapped in [`Traced`], each call to `read` or
//! `write` prints one line in its lane, numbered per side:
//!
//! ```text
//! [client] send #1: 6 bytes "hello!"
//! [server] recv #1: 6 bytes "hello!"
//! ```
//!
//! One printed `send #N` is one `write` (on Linux, one `sendto`), and one
//! `recv #N` is one `read` (one `recvfrom`). `write_all` is a loop of
//! `write` calls, so a `write_all` the kernel takes in two pieces prints two
//! sends, as `strace` would show. A call that fails prints nothing: the
//! error is the caller's to handle.
//!
//! A send is printed just *before* its system call, so the receiver's line
//! can never come out first; a receive is printed just after, when its bytes
//! are known. If the kernel takes fewer bytes than were offered, a second
//! line says how many it took.
//!
//! `Traced<S>` dereferences to `S`, so everything else the socket offers
//! (`peer_addr`, `shutdown`, `set_nonblocking`, …) is called on it as usual.
//! A `Traced<UdpSocket>` prints `send_to`, `recv_from`, `send` and `recv`
//! the same way.

use std::cell::RefCell;
use std::fmt::Display;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::ops::Deref;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::Side;
use crate::tcp::{TYPING_PATIENCE, is_timeout, patience, seconds};

/// A socket (anything `Read + Write`, or a `UdpSocket`) that prints each
/// send and receive in its lane.
#[derive(Debug)]
pub struct Traced<S> {
    inner: S,
    side: Side,
    limit: Option<Limit<S>>,
}

/// How long a server lets one connection last.
#[derive(Debug)]
struct Limit<S> {
    /// When the connection's time is up; `None` for a person typing, who
    /// may take as long as they like between lines.
    deadline: Option<Instant>,
    /// The longest one call may wait (with a deadline: the whole time the
    /// connection was given).
    per_call: Duration,
    /// Set the socket's read and write timeouts.
    set_timeouts: fn(&S, Duration) -> io::Result<()>,
}

impl<S> Traced<S> {
    /// Print `inner`'s calls as `side`.
    pub fn new(inner: S, side: Side) -> Self {
        Traced {
            inner,
            side,
            limit: None,
        }
    }

    /// Print `inner`'s calls in the server's lane.
    pub fn server(inner: S) -> Self {
        Traced::new(inner, Side::server())
    }

    /// Print `inner`'s calls in the client's lane.
    pub fn client(inner: S) -> Self {
        Traced::new(inner, Side::client())
    }

    /// Count `inner`'s calls but print nothing (see [`Side::quiet`]).
    pub fn quiet(inner: S) -> Self {
        Traced::new(inner, Side::quiet())
    }

    /// Print a line of free text in this socket's lane.
    pub fn say(&self, text: impl Display) {
        self.side.say(text);
    }

    /// The lane and counters this socket prints with.
    pub fn side(&self) -> &Side {
        &self.side
    }

    /// The socket itself, for a call that must not be printed (a test's
    /// own reads, a `MSG_PEEK`).
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Stop printing; give the socket back.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S> Deref for Traced<S> {
    type Target = S;
    fn deref(&self) -> &S {
        &self.inner
    }
}

impl Traced<TcpStream> {
    /// A connection a server has just accepted from `peer`: prints
    /// `accepted a connection from PEER` in the server's lane.
    ///
    /// The connection gets [`patience`] in all (30 s unless `server
    /// --patience` said otherwise): every read and write waits at most until
    /// then, so a client that goes silent, trickles a byte a second or reads
    /// a download slowly cannot hold the server for ever.
    ///
    /// In a demo run by [`crate::runner::pair`], this line and the client's
    /// `connected to` line take turns, so they come out in the same order
    /// every run.
    pub fn accepted(conn: TcpStream, peer: SocketAddr) -> io::Result<Self> {
        let conn = Traced::server(conn).with_patience(patience())?;
        demo_turn(Turn::Accepted, || {
            conn.say(format!("accepted a connection from {peer}"));
        });
        Ok(conn)
    }

    /// Give this connection `patience` from now on, in all.
    pub fn with_patience(mut self, patience: Duration) -> io::Result<Self> {
        // Also bounds a call made on the bare socket (a `peek`).
        set_tcp_timeouts(&self.inner, patience)?;
        self.limit = Some(Limit {
            deadline: Some(Instant::now() + patience),
            per_call: patience,
            set_timeouts: set_tcp_timeouts,
        });
        Ok(self)
    }

    /// Cut this connection's time left to `wait` at most (a server that
    /// has refused a client and only drains what it still sends, say).
    pub fn at_most(&mut self, wait: Duration) {
        let until = Instant::now() + wait;
        match &mut self.limit {
            Some(Limit {
                deadline: Some(at), ..
            }) => *at = (*at).min(until),
            Some(limit) => limit.deadline = Some(until),
            None => {
                self.limit = Some(Limit {
                    deadline: Some(until),
                    per_call: wait,
                    set_timeouts: set_tcp_timeouts,
                })
            }
        }
    }

    /// A connection where a person types at the other end (`client chat`):
    /// no deadline, but each wait ends after [`TYPING_PATIENCE`] (10 min),
    /// and the error then says why the server closed.
    pub fn typed_by_a_person(mut self) -> io::Result<Self> {
        set_tcp_timeouts(&self.inner, TYPING_PATIENCE)?;
        self.limit = Some(Limit {
            deadline: None,
            per_call: TYPING_PATIENCE,
            set_timeouts: set_tcp_timeouts,
        });
        Ok(self)
    }

    /// A connection a client has just made: prints `connected to ADDR` in
    /// the client's lane. It waits for the server as long as the server
    /// takes (the other side may be a person typing).
    pub fn connected(stream: TcpStream) -> io::Result<Self> {
        Traced::connected_as(stream, Side::client())
    }

    /// [`Traced::connected`] in another lane, such as `[client 2]`.
    pub fn connected_as(stream: TcpStream, side: Side) -> io::Result<Self> {
        let peer = stream.peer_addr()?;
        let stream = Traced::new(stream, side);
        demo_turn(Turn::Connected, || {
            stream.say(format!("connected to {peer}"));
        });
        Ok(stream)
    }
}

impl<S> Traced<S> {
    /// Before a call: the time this connection has left, as the socket's
    /// timeouts; an error once it has none.
    fn arm(&self) -> io::Result<Instant> {
        let now = Instant::now();
        if let Some(Limit {
            deadline: Some(at),
            per_call,
            set_timeouts,
        }) = &self.limit
        {
            let left = at.saturating_duration_since(now);
            if left.is_zero() {
                return Err(deadline_passed(*per_call));
            }
            set_timeouts(&self.inner, left.min(*per_call))?;
        }
        Ok(now)
    }

    /// After a call that failed: a timeout says which limit ran out.
    fn name(&self, error: io::Error, started: Instant) -> io::Error {
        let Some(limit) = &self.limit else {
            return error;
        };
        if !is_timeout(&error) {
            return error;
        }
        // A socket that waited its whole timeout (never sooner: the kernel
        // rounds timeouts up) ran out of time; a non-blocking socket's
        // "would block" comes at once and stays what it is.
        let now = Instant::now();
        match limit.deadline {
            Some(at) if now + SLACK >= at => deadline_passed(limit.per_call),
            None if now.duration_since(started) + SLACK >= limit.per_call => io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "nothing came for {}: closing (a server waits that long for a person typing)",
                    seconds(limit.per_call)
                ),
            ),
            _ => error,
        }
    }
}

/// How much sooner than asked a timeout may be seen to end (clock reads).
const SLACK: Duration = Duration::from_millis(5);

/// The error for a connection whose time is up: `total` is what it was
/// given. Event loops that keep their own deadlines say it the same way.
pub fn deadline_passed(total: Duration) -> io::Error {
    let error = io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "the connection's {} are up: a server gives each client that long (server --patience SECS)",
            seconds(total)
        ),
    );
    crate::errors::with_hint(
        error,
        "a deadline for the whole connection, so a client that trickles or reads slowly cannot hold the server (lesson 01)",
    )
}

fn set_tcp_timeouts(stream: &TcpStream, wait: Duration) -> io::Result<()> {
    stream.set_read_timeout(Some(wait))?;
    stream.set_write_timeout(Some(wait))
}

impl<S: Read> Read for Traced<S> {
    /// One `read` system call, printed as `recv #N` once it returns.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let started = self.arm()?;
        let n = self.inner.read(buf).map_err(|e| self.name(e, started))?;
        if n == 0 && !buf.is_empty() {
            self.side.eof();
        } else {
            self.side.received(&buf[..n]);
        }
        Ok(n)
    }
}

impl<S: Write> Write for Traced<S> {
    /// One `write` system call, printed as `send #N` just before it is made.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let started = self.arm()?;
        self.side.sent(buf);
        match self.inner.write(buf).map_err(|e| self.name(e, started)) {
            Ok(n) => {
                self.side.took(n, buf.len());
                Ok(n)
            }
            Err(e) => {
                // The call was made and took nothing: say so, so the line
                // above is not read as bytes sent.
                self.side.say(format!("  the call took none of them: {e}"));
                Err(e)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Traced<UdpSocket> {
    /// One `sendto`: prints the datagram and where it goes, then sends it.
    /// A datagram leaves whole or not at all.
    pub fn send_to(&self, data: &[u8], to: SocketAddr) -> io::Result<usize> {
        self.side.sent(data);
        self.say(format!("  to {to}"));
        self.inner.send_to(data, to)
    }

    /// One `recvfrom`: waits for one datagram and prints it and its sender.
    /// A datagram longer than `buf` is cut to fit.
    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let (n, from) = self.inner.recv_from(buf)?;
        self.side.received(&buf[..n]);
        self.say(format!("  from {from}"));
        Ok((n, from))
    }

    /// One `send` on a connected UDP socket.
    pub fn send(&self, data: &[u8]) -> io::Result<usize> {
        self.side.sent(data);
        self.inner.send(data)
    }

    /// One `recv` on a connected UDP socket.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.recv(buf)?;
        self.side.received(&buf[..n]);
        Ok(n)
    }
}

// ------------------------------------------------------------ a demo's first turn

/// Which line of the first exchange a role prints.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Turn {
    Accepted,
    Connected,
}

/// The server's `accepted` line, then the client's `connected` line, then
/// both go on: shared by the two threads of one demo.
#[derive(Debug, Default)]
pub(crate) struct FirstTurn {
    printed: Mutex<(bool, bool)>,
    changed: Condvar,
}

impl FirstTurn {
    /// Let any role still waiting go on (the other role ended early).
    pub(crate) fn release(&self) {
        let mut printed = self.printed.lock().unwrap_or_else(|e| e.into_inner());
        *printed = (true, true);
        self.changed.notify_all();
    }

    fn take(&self, turn: Turn, print: impl FnOnce()) {
        let mut printed = self.printed.lock().unwrap_or_else(|e| e.into_inner());
        if turn == Turn::Connected {
            printed = self.wait(printed, |(accepted, _)| accepted);
        }
        print();
        match turn {
            Turn::Accepted => printed.0 = true,
            Turn::Connected => printed.1 = true,
        }
        self.changed.notify_all();
        if turn == Turn::Accepted {
            drop(self.wait(printed, |(_, connected)| connected));
        }
    }

    fn wait<'a>(
        &self,
        mut guard: std::sync::MutexGuard<'a, (bool, bool)>,
        done: impl Fn((bool, bool)) -> bool,
    ) -> std::sync::MutexGuard<'a, (bool, bool)> {
        while !done(*guard) {
            guard = self.changed.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
        guard
    }
}

thread_local! {
    /// Set by the demo runner on both of a demo's threads; used once.
    static FIRST_TURN: RefCell<Option<Arc<FirstTurn>>> = const { RefCell::new(None) };
}

/// Give this thread its part in a demo's first turn.
pub(crate) fn join_first_turn(turn: Option<Arc<FirstTurn>>) {
    FIRST_TURN.with(|slot| *slot.borrow_mut() = turn);
}

/// Print `print`'s line in its turn if this thread is in a demo; otherwise
/// (two terminals, or a later connection) just print it.
fn demo_turn(turn: Turn, print: impl FnOnce()) {
    match FIRST_TURN.with(|slot| slot.borrow_mut().take()) {
        Some(first) => first.take(turn, print),
        None => print(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn reads_and_writes_pass_through_and_are_counted() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client =
            Traced::client(TcpStream::connect(listener.local_addr().unwrap()).unwrap());
        let (conn, _) = listener.accept().unwrap();
        let mut conn = Traced::server(conn);
        client.write_all(b"ping").unwrap();
        let mut buf = [0u8; 16];
        let n = conn.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ping");
        drop(client);
        assert_eq!(conn.read(&mut buf).unwrap(), 0);
        assert_eq!(conn.side().counts(), (0, 2));
    }

    #[test]
    fn each_write_call_is_one_send_and_a_failed_read_is_not_counted() {
        let mut stream = Traced::client(io::Cursor::new(Vec::new()));
        stream.write_all(b"ab").unwrap();
        let mut broken = Traced::client(Failing);
        assert!(broken.read(&mut [0u8; 4]).is_err());
        assert_eq!(stream.side().counts(), (1, 0));
        assert_eq!(broken.side().counts(), (0, 0));
    }

    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::ConnectionReset))
        }
    }

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    #[test]
    fn a_client_that_trickles_is_cut_off_at_the_deadline() {
        let (mut client, conn) = pair();
        let mut conn = Traced::server(conn)
            .with_patience(Duration::from_millis(300))
            .unwrap();
        let started = Instant::now();
        let mut buf = [0u8; 1];
        // One byte at a time, each arriving well within any per-call
        // timeout: only a deadline for the whole connection ends this.
        let err = loop {
            client.write_all(b"x").unwrap();
            if let Err(e) = conn.read_exact(&mut buf) {
                break e;
            }
        };
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");
        assert!(err.to_string().contains("are up"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_silent_client_is_named_a_timeout_not_would_block() {
        let (_client, conn) = pair();
        let mut conn = Traced::server(conn)
            .with_patience(Duration::from_millis(100))
            .unwrap();
        let err = conn.read(&mut [0u8; 8]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(
            err.to_string().starts_with("the connection's 0.1 s"),
            "{err}"
        );
    }

    #[test]
    fn a_non_blocking_socket_still_says_would_block() {
        let (_client, conn) = pair();
        conn.set_nonblocking(true).unwrap();
        let mut conn = Traced::server(conn)
            .with_patience(Duration::from_secs(30))
            .unwrap();
        let err = conn.read(&mut [0u8; 8]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    }

    #[test]
    fn udp_sends_and_receives_are_counted() {
        let a = Traced::client(UdpSocket::bind("127.0.0.1:0").unwrap());
        let b = Traced::server(UdpSocket::bind("127.0.0.1:0").unwrap());
        a.send_to(b"hi", b.local_addr().unwrap()).unwrap();
        let mut buf = [0u8; 8];
        let (n, from) = b.recv_from(&mut buf).unwrap();
        assert_eq!((&buf[..n], from), (&b"hi"[..], a.local_addr().unwrap()));
        assert_eq!((a.side().counts(), b.side().counts()), ((1, 0), (0, 1)));
    }
}
