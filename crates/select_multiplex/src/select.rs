//! `select` (document 002 §5 IO多路复用): the document's server. One thread
//! keeps a list of sockets (`inputs`: the listener and every connection),
//! asks `select()` which are ready, waiting at most 50 ms, and does exactly
//! what is ready: accept on the listener, read on a connection, close on
//! EOF. What a ready connection does, [`Conn::on_ready`], is the same for
//! the `poll` and `epoll` servers, which use it from here.
//!
//! `select` (4.2BSD, 1983) exists everywhere, but its sets are bitmaps of
//! `FD_SETSIZE` (1024) bits: it cannot watch descriptor 1024 ([`watchable`]).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::sync::atomic::{AtomicBool, Ordering};

use classroom::tcp::RECV_SIZE;
use nix::errno::Errno;
use nix::sys::select::{FD_SETSIZE, FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};

use crate::ROUND_MS;
use crate::multiplex::{Log, Stream};

/// The document's `select` server, echoing what each client sends, until
/// `stop` is set.
pub fn serve(listener: TcpListener, stop: &AtomicBool, log: &Log) -> io::Result<()> {
    listener.set_nonblocking(true)?; // Python: server.setblocking(False)
    watchable(listener.as_fd())?;
    // The document's `inputs` list: the listener, plus these connections.
    let mut conns: Vec<Conn> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        // ANCHOR: select_round
        // 1. Say what to watch. select() overwrites the sets with its answer,
        //    so they are filled again every round, and copied into the kernel.
        let mut readable = FdSet::new();
        let mut writable = FdSet::new();
        readable.insert(listener.as_fd());
        for conn in &conns {
            // Only descriptors below FD_SETSIZE were let in (step 4).
            let set = if conn.wants_write() {
                &mut writable
            } else {
                &mut readable
            };
            set.insert(conn.as_fd());
        }
        // 2. Sleep until one of them is ready, or 50 ms pass.
        // Python: r, w, e = select.select(inputs, [], [], 0.05)
        let mut timeout = TimeVal::milliseconds(ROUND_MS.into());
        match select(None, &mut readable, &mut writable, None, &mut timeout) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue, // a signal woke us: ask again
            Err(e) => return Err(e.into()),
        }
        // 3. The answer is a bitmap: ask every watched descriptor in turn
        //    whether it is a ready one (the linear scan).
        let listener_ready = readable.contains(listener.as_fd());
        let ready: Vec<bool> = conns
            .iter()
            .map(|c| readable.contains(c.as_fd()) || writable.contains(c.as_fd()))
            .collect();
        // 4. Do what is ready: nothing here can block.
        serve_ready(&mut conns, &ready, log);
        // Python: conn, addr = sock.accept()
        if listener_ready && let Some(conn) = Conn::accepted(listener.accept(), log) {
            let peer = conn.peer;
            match watchable(conn.as_fd()) {
                Err(e) => log.failed(peer, &e), // dropped, so closed: no panic
                Ok(()) => {
                    conns.push(conn); // Python: inputs.append(conn)
                    let line = format!("select() reported the listener readable: accepted {peer}");
                    log.accepted(line, peer, conns.len());
                }
            }
        }
        // ANCHOR_END: select_round
        // Other work goes here, between rounds (the document's 干点其他事).
        // This loop's only other work is to check whether it should stop.
    }
    log.say("asked to stop: leaving the loop");
    Ok(())
}

/// One connection of an event-loop echo server.
///
/// The rule of an event loop: **never block**. The socket is non-blocking;
/// a ready connection gets *one* read (the kernel reports it again while
/// more is waiting: level-triggered, 水平触发), and the echo is written only
/// as far as the kernel takes it now. What it does not take waits in
/// `unsent`, and until that is gone we stop reading from this client and
/// watch it for *writable* instead: memory stays bounded (one read's worth
/// per client), and a client that never reads slows down only itself.
pub struct Conn {
    stream: Box<dyn Stream>,
    /// Who is on the other end.
    pub peer: SocketAddr,
    /// Echo bytes the kernel has not taken yet.
    unsent: Vec<u8>,
}

impl Conn {
    /// What `listener.accept()` returned, made ready for the loop: a
    /// non-blocking connection (an accepted socket does not inherit the
    /// listener's flag on Linux). `None` if there was none, or it failed
    /// (said in `log`): the loop carries on with the others.
    pub fn accepted(accepted: io::Result<(TcpStream, SocketAddr)>, log: &Log) -> Option<Conn> {
        let (stream, peer) = accepted.map_err(|e| log.accept_failed(&e)).ok()?;
        if let Err(e) = stream.set_nonblocking(true) {
            log.failed(peer, &e);
            return None;
        }
        Some(Conn {
            stream: log.stream(stream),
            peer,
            unsent: Vec::new(),
        })
    }

    /// True while part of an echo is still waiting to be sent: watch this
    /// connection for *writable* then, not readable.
    pub fn wants_write(&self) -> bool {
        !self.unsent.is_empty()
    }

    // ANCHOR: on_ready
    /// The kernel said this connection is ready: finish the echo in
    /// progress, or read once and echo what came. `Ok(false)`: the client
    /// has left.
    pub fn on_ready(&mut self) -> io::Result<bool> {
        if self.wants_write() {
            return self.flush();
        }
        let mut buf = [0u8; RECV_SIZE];
        match self.stream.read(&mut buf) {
            // Python: data = sock.recv(1024)
            Ok(0) => Ok(false), // the client closed its side: we close ours too
            Ok(n) => {
                self.unsent.extend_from_slice(&buf[..n]);
                self.flush()
            }
            // "Ready" was only a hint (or a signal interrupted us): next round.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
                Ok(true)
            }
            Err(e) => Err(e), // reset, timed out, …
        }
    }

    /// Write as much of `unsent` as the kernel takes without blocking.
    fn flush(&mut self) -> io::Result<bool> {
        while !self.unsent.is_empty() {
            match self.stream.write(&self.unsent) {
                Ok(n) => {
                    self.unsent.drain(..n);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break, // its buffer is full
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }
    // ANCHOR_END: on_ready

    /// [`Conn::on_ready`], a failure said in `log`: whether the connection
    /// stays open.
    pub fn handle(&mut self, log: &Log) -> bool {
        self.on_ready().unwrap_or_else(|e| {
            log.failed(self.peer, &e);
            false
        })
    }
}

impl AsFd for Conn {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.stream.tcp().as_fd()
    }
}

/// Serve every connection marked ready in `ready` (one flag per entry of
/// `conns`, in order) and drop those that ended: the part of the `select`
/// and `poll` loops that does not depend on how they waited.
pub fn serve_ready(conns: &mut Vec<Conn>, ready: &[bool], log: &Log) {
    let mut i = 0;
    for &ready in ready {
        if ready && !conns[i].handle(log) {
            let peer = conns.remove(i).peer; // dropping it closes the socket
            log.left(peer, conns.len()); // Python: inputs.remove(sock)
        } else {
            i += 1;
        }
    }
}

// ANCHOR: watchable
/// Whether `select` can watch `fd` at all.
///
/// An `fd_set` is a bitmap with room for descriptors 0 to 1023. In C,
/// `FD_SET(1024, &set)` writes past its end: undefined behaviour, often a
/// corrupted stack. nix's `FdSet::insert` panics instead. We check first and
/// return an error that says what happened.
pub fn watchable(fd: BorrowedFd<'_>) -> io::Result<()> {
    let n = fd.as_raw_fd();
    if usize::try_from(n).is_ok_and(|n| n < FD_SETSIZE) {
        Ok(())
    } else {
        Err(io::Error::new(
            ErrorKind::InvalidInput,
            format!(
                "descriptor {n} is not below FD_SETSIZE ({FD_SETSIZE}): select() cannot watch it"
            ),
        ))
    }
}
// ANCHOR_END: watchable

/// Add `fd` to `set`, or return [`watchable`]'s error instead of panicking.
pub fn watch<'fd>(set: &mut FdSet<'fd>, fd: BorrowedFd<'fd>) -> io::Result<()> {
    watchable(fd)?;
    set.insert(fd);
    Ok(())
}
