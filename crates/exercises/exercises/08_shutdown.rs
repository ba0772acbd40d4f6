//! Exercise 08-shutdown — lesson 08, Appendix A "How `serve_forever` waits,
//! and why it never sleeps" (after this lesson's exercises).
//!
//! `socketserver`'s `serve_forever(poll_interval=0.5)` does not sit in
//! `accept`: it waits for the listener with a timeout, so that it sees
//! `shutdown()` within half a second even when no client comes.
//!
//! Task: `serve_until` serves clients until `stop` is set, and returns soon
//! after it is, with no client coming. Wait for the listener with lesson
//! 07's `poll` (`select_multiplex::os::{AsFd, PollFd, PollFlags, PollTimeout,
//! poll}`) and `POLL_INTERVAL`.
//!
//! Check: `cargo run -q -p exercises -- check 08-shutdown`

use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often the flag is looked at while no client comes.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

// ANCHOR: task
/// Hand each client to `handle` until `stop` is set; return how many were served.
pub fn serve_until(
    listener: &TcpListener,
    stop: &AtomicBool,
    handle: &dyn Fn(TcpStream),
) -> io::Result<usize> {
    let mut served = 0;
    while !stop.load(Ordering::SeqCst) {
        // TODO: accept waits for the next client, however long that takes,
        // and the flag is not looked at again until one comes.
        let (conn, _peer) = listener.accept()?;
        handle(conn);
        served += 1;
    }
    Ok(served)
}
// ANCHOR_END: task
