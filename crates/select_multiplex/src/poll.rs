//! `poll` (System V Release 3, 1986): the same server as [`crate::select`],
//! asking with an array of `(descriptor, events wanted)` entries instead of
//! bitmaps, so any descriptor number works. As with `select`, the whole
//! array goes into the kernel and back on every call, and every entry is
//! checked, by the kernel and by us.

use std::io;
use std::net::TcpListener;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::ROUND_MS;
use crate::multiplex::Log;
use crate::select::{Conn, serve_ready};

/// The `select` server's loop with `poll()`, until `stop` is set.
pub fn serve(listener: TcpListener, stop: &AtomicBool, log: &Log) -> io::Result<()> {
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
        serve_ready(&mut conns, &ready[1..], log);
        if ready[0]
            && let Some(conn) = Conn::accepted(listener.accept(), log)
        {
            let peer = conn.peer;
            conns.push(conn);
            let line = format!("poll() reported the listener readable: accepted {peer}");
            log.accepted(line, peer, conns.len());
        }
        // ANCHOR_END: poll_round
        // Other work goes here, between rounds: here, checking for stop.
    }
    log.say("asked to stop: leaving the loop");
    Ok(())
}
