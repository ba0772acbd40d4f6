//! `epoll` (Linux 2.6, 2003): the same server as [`crate::select`], with the
//! question asked differently.
//!
//! `select` and `poll` hand the kernel the whole list on every call, and the
//! kernel checks every entry. With `epoll` the list lives *in the kernel*:
//! `epoll_ctl` registers a socket once (ADD), changes what we wait for
//! (MOD), or removes it (DEL). When a socket becomes ready the kernel puts it
//! on a ready list by itself, and `epoll_wait` returns only that ready list,
//! each entry carrying the token we registered. The cost of one wait no
//! longer depends on how many sockets are watched, only on how many are
//! ready (the `scaling` step measures it). Linux only: BSD and macOS have
//! `kqueue`, Windows has IOCP.

use std::collections::HashMap;
use std::io;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use crate::ROUND_MS;
use crate::conn::{self, Conn, Outcome};
use crate::log::Log;

/// The token the listener is registered with; connections get 1, 2, 3, …
const LISTENER: u64 = 0;

/// At most this many ready sockets are reported by one `epoll_wait`; more
/// wait for the next round.
const EVENTS: usize = 64;

/// The `select` server's loop with `epoll`, until `stop` is set.
pub fn serve(listener: TcpListener, stop: &AtomicBool, log: &mut Log) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    // ANCHOR: epoll_setup
    // The interest list lives in the kernel: create it, register the listener
    // once, with a token that will come back with each of its events.
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    epoll.add(&listener, EpollEvent::new(EpollFlags::EPOLLIN, LISTENER))?;
    // ANCHOR_END: epoll_setup
    let mut conns: HashMap<u64, Conn> = HashMap::new();
    let mut next_token = LISTENER + 1;
    let mut events = [EpollEvent::empty(); EVENTS];
    while !stop.load(Ordering::Relaxed) {
        // ANCHOR: epoll_round
        // 1. Nothing to say: the kernel already knows what we watch.
        // 2. Sleep until something is ready, or 50 ms pass. Only the ready
        //    sockets come back, as many as `n`.
        let n = match epoll.wait(&mut events, EpollTimeout::from(ROUND_MS)) {
            Ok(n) => n,
            Err(Errno::EINTR) => continue, // a signal woke us: ask again
            Err(e) => return Err(e.into()),
        };
        // 3. No scan: each event names its socket by the token we registered.
        // 4. Do what is ready: nothing here can block.
        for event in &events[..n] {
            match event.data() {
                LISTENER => accept(&epoll, &listener, &mut conns, &mut next_token, log),
                token => serve_ready(&epoll, &mut conns, token, log),
            }
        }
        // ANCHOR_END: epoll_round
        // Other work goes here, between rounds: here, checking for stop.
    }
    log.say("asked to stop: leaving the loop");
    Ok(())
}

/// What to wait for on this connection: readable, or writable while part of
/// an echo is still unsent.
fn interest(conn: &Conn) -> EpollFlags {
    if conn.wants_write() {
        EpollFlags::EPOLLOUT
    } else {
        EpollFlags::EPOLLIN
    }
}

// ANCHOR: epoll_accept
/// Accept one connection and register it with the kernel (epoll_ctl ADD).
fn accept(
    epoll: &Epoll,
    listener: &TcpListener,
    conns: &mut HashMap<u64, Conn>,
    next_token: &mut u64,
    log: &Log,
) {
    let Some(conn) = conn::accept(listener, log) else {
        return;
    };
    let token = *next_token;
    *next_token += 1;
    if let Err(e) = epoll.add(&conn, EpollEvent::new(interest(&conn), token)) {
        log.failed(conn.peer(), &e.into());
        return;
    }
    let peer = conn.peer();
    conns.insert(token, conn);
    let line = format!(
        "epoll_wait() reported the listener readable: accepted {peer}, epoll_ctl(ADD) as token {token}"
    );
    log.accepted(line, peer, conns.len());
}
// ANCHOR_END: epoll_accept

/// Serve the connection registered as `token`; tell the kernel when what we
/// wait for changes (epoll_ctl MOD), and when it leaves (epoll_ctl DEL).
fn serve_ready(epoll: &Epoll, conns: &mut HashMap<u64, Conn>, token: u64, log: &mut Log) {
    let Some(conn) = conns.get_mut(&token) else {
        return;
    };
    let before = interest(conn);
    let mut outcome = conn.on_ready(log);
    if outcome == Outcome::Open && interest(conn) != before {
        let mut event = EpollEvent::new(interest(conn), token);
        if let Err(e) = epoll.modify(&*conn, &mut event) {
            log.failed(conn.peer(), &e.into());
            outcome = Outcome::Closed;
        }
    }
    if outcome == Outcome::Closed
        && let Some(conn) = conns.remove(&token)
    {
        // Closing the socket would unregister it too; saying so is clearer.
        let _ = epoll.delete(&conn);
        let peer = conn.peer();
        drop(conn); // closes the socket before anyone hears that it left
        log.left(&[peer], conns.len());
    }
}
