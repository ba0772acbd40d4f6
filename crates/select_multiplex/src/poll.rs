//! `poll` (System V Release 3, 1986): the same server as [`crate::select`],
//! waiting with `poll()` instead.
//!
//! The question is an array of `(descriptor, events wanted)` entries rather
//! than three bitmaps, so there is no 1024 limit: any descriptor number
//! works, and the array is as long as the number of sockets watched. What
//! stays the same as `select`: the whole array is copied into the kernel and
//! back on every call, the kernel checks every entry, and so do we.

use std::io;
use std::net::TcpListener;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::ROUND_MS;
use crate::conn::{self, Conn};
use crate::log::Log;

/// The `select` server's loop with `poll()`, until `stop` is set.
pub fn serve(listener: TcpListener, stop: &AtomicBool, log: &mut Log) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let mut conns: Vec<Conn> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        // ANCHOR: poll_round
        // 1. Say what to watch: one entry per socket, no limit on the
        //    descriptor's number. The array goes into the kernel every call.
        let mut fds = Vec::with_capacity(1 + conns.len());
        fds.push(PollFd::new(listener.as_fd(), PollFlags::POLLIN));
        for conn in &conns {
            let wanted = if conn.wants_write() {
                PollFlags::POLLOUT
            } else {
                PollFlags::POLLIN
            };
            fds.push(PollFd::new(conn.as_fd(), wanted));
        }
        // 2. Sleep until one of them is ready, or 50 ms pass.
        match poll(&mut fds, PollTimeout::from(ROUND_MS)) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue, // a signal woke us: ask again
            Err(e) => return Err(e.into()),
        }
        // 3. Every entry comes back with `revents` filled in: scan them all.
        //    (Hang-up and error count as ready: the read will say which.)
        let ready: Vec<bool> = fds.iter().map(|fd| fd.any().unwrap_or(true)).collect();
        // 4. Do what is ready: nothing here can block.
        conn::serve_ready(&mut conns, &ready[1..], log);
        if ready[0] {
            accept(&listener, &mut conns, log);
        }
        // ANCHOR_END: poll_round
        // Other work goes here, between rounds: here, checking for stop.
    }
    log.say("asked to stop: leaving the loop");
    Ok(())
}

fn accept(listener: &TcpListener, conns: &mut Vec<Conn>, log: &Log) {
    if let Some(conn) = conn::accept(listener, log) {
        let peer = conn.peer();
        conns.push(conn);
        let line = format!("poll() reported the listener readable: accepted {peer}");
        log.accepted(line, peer, conns.len());
    }
}
