//! One connection of an event-loop echo server, and what to do when the
//! kernel says it is ready. Shared by the `select`, `poll` and `epoll`
//! servers, so that those differ only in how they wait.
//!
//! The rule of an event loop: **never block**. The socket is non-blocking, a
//! ready connection gets *one* read (the kernel will tell us again if more is
//! waiting: that is level-triggered readiness, 水平触发), and the echo is
//! written only as far as the kernel takes it right now. Bytes it does not
//! take wait in `unsent`; until they are gone we stop reading from this
//! client and watch it for *writable* instead. That keeps memory bounded
//! (one read's worth per client) and lets a client that never reads slow down
//! only itself.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd, BorrowedFd};

use classroom::errors::explain;

use crate::RECV_SIZE;
use crate::log::Log;

/// Whether a connection goes on after it was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Still open: keep watching it.
    Open,
    /// Ended (EOF or an error): drop it, which closes the socket.
    Closed,
}

/// A connected client of an echo server.
#[derive(Debug)]
pub struct Conn {
    stream: TcpStream,
    peer: SocketAddr,
    /// Echo bytes the kernel has not taken yet.
    unsent: Vec<u8>,
}

impl Conn {
    /// Wrap an accepted connection, making it non-blocking. (An accepted
    /// socket does not inherit the listener's non-blocking flag on Linux.)
    pub fn new(stream: TcpStream, peer: SocketAddr) -> io::Result<Conn> {
        stream.set_nonblocking(true)?;
        Ok(Conn {
            stream,
            peer,
            unsent: Vec::new(),
        })
    }

    /// Who is on the other end.
    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// True while part of an echo is still waiting to be sent: watch this
    /// connection for *writable* then, not readable.
    pub fn wants_write(&self) -> bool {
        !self.unsent.is_empty()
    }

    // ANCHOR: on_ready
    /// The kernel said this connection is ready: finish the echo in
    /// progress, or read once and echo what came.
    pub fn on_ready(&mut self, log: &mut Log) -> Outcome {
        if self.wants_write() {
            return self.flush(log);
        }
        let mut buf = [0u8; RECV_SIZE];
        match self.stream.read(&mut buf) {
            Ok(0) => {
                log.eof(); // the client closed its side: we close ours
                Outcome::Closed
            }
            Ok(n) => {
                log.received(&buf[..n]);
                log.sent(&buf[..n]);
                self.unsent.extend_from_slice(&buf[..n]);
                self.flush(log)
            }
            // "Ready" was only a hint (or a signal interrupted us): next round.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
                Outcome::Open
            }
            Err(e) => {
                log.failed(self.peer, &e); // reset, timed out, …
                Outcome::Closed
            }
        }
    }
    // ANCHOR_END: on_ready

    /// Write as much of `unsent` as the kernel takes without blocking.
    fn flush(&mut self, log: &mut Log) -> Outcome {
        while !self.unsent.is_empty() {
            match self.stream.write(&self.unsent) {
                Ok(n) => {
                    self.unsent.drain(..n);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break, // its buffer is full
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    log.failed(self.peer, &e);
                    return Outcome::Closed;
                }
            }
        }
        Outcome::Open
    }
}

impl AsFd for Conn {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.stream.as_fd()
    }
}

/// The listener is readable: accept one connection. `None` if it was gone
/// already (the client gave up) or accept failed; the failure is printed and
/// the loop carries on.
pub fn accept(listener: &TcpListener, log: &Log) -> Option<Conn> {
    let accepted = listener
        .accept()
        .and_then(|(stream, peer)| Conn::new(stream, peer));
    match accepted {
        Ok(conn) => Some(conn),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => None,
        Err(e) => {
            // Out of descriptors (EMFILE), the client reset before we got to
            // it (ECONNABORTED), …: not a reason to stop serving the others.
            log.say(format!("accept failed: {}", explain(&e)));
            None
        }
    }
}

/// Serve every connection marked ready in `ready` (same order as `conns`),
/// drop those that ended, and report who left.
///
/// This is the part of the `select` and `poll` loops that does not depend on
/// how they waited: the answer is one flag per connection.
pub fn serve_ready(conns: &mut Vec<Conn>, ready: &[bool], log: &mut Log) {
    let mut ready = ready.iter().copied();
    let mut left = Vec::new();
    conns.retain_mut(|conn| {
        if !ready.next().unwrap_or(false) {
            return true;
        }
        let open = conn.on_ready(log) == Outcome::Open;
        if !open {
            left.push(conn.peer());
        }
        open // dropping a connection closes its socket
    });
    log.left(&left, conns.len());
}
