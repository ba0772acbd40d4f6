//! Solution of exercise 08-shutdown.

use std::io::{self, ErrorKind};
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
    // Non-blocking: a client that gave up between poll and accept makes
    // accept say "would block", not wait (deaf to `stop`) for the next one.
    listener.set_nonblocking(true)?;
    let mut served = 0;
    while !stop.load(Ordering::SeqCst) {
        // Wait for a client, but at most one interval: then look at the flag.
        let mut fds = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
        if poll(&mut fds, PollTimeout::from(interval))? == 0 {
            continue; // no client this interval
        }
        match listener.accept() {
            Ok((conn, _peer)) => {
                conn.set_nonblocking(false)?;
                handle(conn);
                served += 1;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {} // it gave up
            Err(e) => return Err(e),
        }
    }
    Ok(served)
}
// ANCHOR_END: solution
