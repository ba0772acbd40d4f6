//! Solution of exercise 08-shutdown.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use select_multiplex::os::{AsFd, PollFd, PollFlags, PollTimeout, poll};

/// How often the flag is looked at while no client comes.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

// ANCHOR: solution
/// Hand each client to `handle` until `stop` is set; return how many were served.
pub fn serve_until(
    listener: &TcpListener,
    stop: &AtomicBool,
    handle: &dyn Fn(TcpStream),
) -> io::Result<usize> {
    let interval = u16::try_from(POLL_INTERVAL.as_millis()).unwrap_or(u16::MAX);
    let mut served = 0;
    while !stop.load(Ordering::SeqCst) {
        // Wait for a client, but at most one interval: then look at the flag.
        let mut fds = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
        if poll(&mut fds, PollTimeout::from(interval))? == 0 {
            continue; // no client this interval
        }
        let (conn, _peer) = listener.accept()?; // ready: accept returns at once
        handle(conn);
        served += 1;
    }
    Ok(served)
}
// ANCHOR_END: solution
