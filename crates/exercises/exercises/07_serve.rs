//! Exercise 07-serve — lesson 07, Step 1 "blocking: one client at a time",
//! fixed as in Step 5 "poll".
//!
//! A blocking server sits in one client's `read` while the others wait. With
//! `poll`, one thread asks the kernel which sockets are ready and only then
//! calls `accept` or `read` on them, so no call waits.
//!
//! Task: `echo_server` serves `clients` clients at once, in this one thread:
//! whatever a client sends comes back to it, whatever the others do. It
//! returns when all of them have connected and closed. Use lesson 07's
//! `poll`: `select_multiplex::os::{AsFd, PollFd, PollFlags, PollTimeout, poll}`.
//! (The check cannot tell one thread from many: lesson 08 is for threads.)
//!
//! Check: `cargo run -q -p exercises -- check 07-serve`

use std::io::{self, Read, Write};
use std::net::TcpListener;

// ANCHOR: task
/// Echo for `clients` clients at once, in this thread; return when all have left.
pub fn echo_server(listener: &TcpListener, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (mut conn, _peer) = listener.accept()?;
        let mut buf = [0; 1024];
        // TODO: until this client leaves, nobody else is accepted or read.
        loop {
            let n = conn.read(&mut buf)?;
            if n == 0 {
                break;
            }
            conn.write_all(&buf[..n])?;
        }
    }
    Ok(())
}
// ANCHOR_END: task
