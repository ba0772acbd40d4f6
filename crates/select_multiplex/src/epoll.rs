//! `epoll` (Linux 2.6, 2003): the same server as [`crate::select`], with
//! the list of what to watch kept *in the kernel*. `epoll_ctl` registers a
//! socket once (ADD), changes what we wait for (MOD) or removes it (DEL);
//! `epoll_wait` returns only the sockets that are ready, each with the
//! token we registered, so its cost follows the ready sockets, not the
//! watched ones. Linux only: BSD and macOS have `kqueue`, Windows has IOCP.

use std::collections::HashMap;
use std::io;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use crate::ROUND_MS;
use crate::multiplex::Log;
use crate::select::Conn;

/// The token the listener is registered with; connections get 1, 2, 3, …
const LISTENER: u64 = 0;

/// At most this many ready sockets per `epoll_wait`; more wait a round.
const EVENTS: usize = 64;

/// The `select` server's loop with `epoll`, until `stop` is set.
pub fn serve(listener: TcpListener, stop: &AtomicBool, log: &Log) -> io::Result<()> {
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
                LISTENER => {
                    let Some(conn) = Conn::accepted(listener.accept(), log) else {
                        continue;
                    };
                    // Register the new connection with the kernel, once.
                    let (token, peer) = (next_token, conn.peer);
                    next_token += 1;
                    match epoll.add(&conn, EpollEvent::new(interest(&conn), token)) {
                        Err(e) => log.failed(peer, &e.into()), // dropped: closed
                        Ok(()) => {
                            conns.insert(token, conn);
                            let line = format!(
                                "epoll_wait(): listener readable, accepted {peer}, epoll_ctl(ADD) as token {token}"
                            );
                            log.accepted(line, peer, conns.len());
                        }
                    }
                }
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

// ANCHOR: epoll_ready
/// Serve the connection registered as `token`; tell the kernel when what we
/// wait for changes (epoll_ctl MOD), and when it leaves (epoll_ctl DEL).
fn serve_ready(epoll: &Epoll, conns: &mut HashMap<u64, Conn>, token: u64, log: &Log) {
    let Some(conn) = conns.get_mut(&token) else {
        return;
    };
    let before = interest(conn);
    let mut open = conn.handle(log);
    if open && interest(conn) != before {
        let mut event = EpollEvent::new(interest(conn), token);
        if let Err(e) = epoll.modify(&*conn, &mut event) {
            log.failed(conn.peer, &e.into());
            open = false;
        }
    }
    if !open && let Some(conn) = conns.remove(&token) {
        // Closing the socket would unregister it too; saying so is clearer.
        let _ = epoll.delete(&conn);
        let peer = conn.peer;
        drop(conn); // closes the socket before anyone hears that it left
        log.left(peer, conns.len());
    }
}
// ANCHOR_END: epoll_ready
