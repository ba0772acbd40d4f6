//! `select` (document 002 §5 IO多路复用): the document's server. One thread
//! keeps a list of sockets (`inputs`: the listener and every connection),
//! asks `select()` which of them are readable, waiting at most 50 ms, and
//! then does exactly what is ready: accept on the listener, read on a
//! connection, close on EOF. Between rounds it is free to do other work.
//!
//! `select` dates from 4.2BSD (1983) and exists everywhere, but its sets are
//! bitmaps of `FD_SETSIZE` (1024) bits: it cannot watch descriptor 1024 or
//! above ([`watchable`], and the `limit` step).

use std::io;
use std::net::TcpListener;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::sync::atomic::{AtomicBool, Ordering};

use nix::errno::Errno;
use nix::sys::select::{FD_SETSIZE, FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};

use crate::ROUND_MS;
use crate::conn::{self, Conn};
use crate::log::Log;

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
            io::ErrorKind::InvalidInput,
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

/// The document's `select` server, echoing what each client sends, until
/// `stop` is set.
pub fn serve(listener: TcpListener, stop: &AtomicBool, log: &mut Log) -> io::Result<()> {
    listener.set_nonblocking(true)?;
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
            // accept_watchable let in only descriptors below FD_SETSIZE.
            let set = if conn.wants_write() {
                &mut writable
            } else {
                &mut readable
            };
            set.insert(conn.as_fd());
        }
        // 2. Sleep until one of them is ready, or 50 ms pass.
        let mut timeout = TimeVal::milliseconds(ROUND_MS.into());
        match select(None, &mut readable, &mut writable, None, &mut timeout) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue, // a signal woke us: ask again
            Err(e) => return Err(e.into()),
        }
        // 3. The answer is a bitmap: ask every watched descriptor in turn
        //    whether it is the ready one (the linear scan).
        let listener_ready = readable.contains(listener.as_fd());
        let ready: Vec<bool> = conns
            .iter()
            .map(|c| readable.contains(c.as_fd()) || writable.contains(c.as_fd()))
            .collect();
        // 4. Do what is ready: nothing here can block.
        conn::serve_ready(&mut conns, &ready, log);
        if listener_ready {
            accept_watchable(&listener, &mut conns, log);
        }
        // ANCHOR_END: select_round
        // Other work goes here, between rounds (the document's 干点其他事).
        // This loop's only other work is to check whether it should stop.
    }
    log.say("asked to stop: leaving the loop");
    Ok(())
}

/// Accept one connection, if select can watch its descriptor.
fn accept_watchable(listener: &TcpListener, conns: &mut Vec<Conn>, log: &Log) {
    let Some(conn) = conn::accept(listener, log) else {
        return;
    };
    if let Err(e) = watchable(conn.as_fd()) {
        log.failed(conn.peer(), &e);
        return; // dropping it closes the connection: better than a panic
    }
    let peer = conn.peer();
    conns.push(conn);
    let line = format!("select() reported the listener readable: accepted {peer}");
    log.accepted(line, peer, conns.len());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn low_descriptors_are_watchable() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut set = FdSet::new();
        watch(&mut set, listener.as_fd()).unwrap();
        assert!(set.contains(listener.as_fd()));
    }
}
