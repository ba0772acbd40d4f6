//! Solution of exercise 07-serve.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};

use select_multiplex::os::{AsFd, PollFd, PollFlags, PollTimeout, poll};

// ANCHOR: solution
/// Echo for `clients` clients at once, in this thread; return when all have left.
pub fn echo_server(listener: &TcpListener, clients: usize) -> io::Result<()> {
    // Non-blocking: a client that gave up between poll and accept makes
    // accept say "would block" instead of waiting for the next one.
    listener.set_nonblocking(true)?;
    let mut conns: Vec<TcpStream> = Vec::new();
    let mut accepted = 0;
    while accepted < clients || !conns.is_empty() {
        // Entry 0 is the listener, while clients are still to come; then one
        // entry per connection. Rebuilt each round: it borrows the sockets.
        let listening = accepted < clients;
        let mut fds = Vec::new();
        if listening {
            fds.push(PollFd::new(listener.as_fd(), PollFlags::POLLIN));
        }
        fds.extend(
            conns
                .iter()
                .map(|c| PollFd::new(c.as_fd(), PollFlags::POLLIN)),
        );
        // Wait until one is ready (a round of 1 s at most, then look again).
        poll(&mut fds, PollTimeout::from(1000u16))?;
        let ready: Vec<bool> = fds.iter().map(|fd| fd.any().unwrap_or(true)).collect();
        drop(fds);

        let first = usize::from(listening);
        let mut gone = Vec::new();
        for (i, conn) in conns.iter_mut().enumerate() {
            if !ready[first + i] {
                continue;
            }
            let mut buf = [0; 1024];
            // Ready: this read returns at once, with bytes or with 0 (closed).
            // An echo is small, so write_all does not wait for long; a server
            // for big answers keeps what is unsent and waits for POLLOUT.
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => gone.push(i), // closed or reset: this client only
                Ok(n) => {
                    if conn.write_all(&buf[..n]).is_err() {
                        gone.push(i);
                    }
                }
            }
        }
        for i in gone.into_iter().rev() {
            conns.remove(i);
        }
        if listening && ready[0] {
            match listener.accept() {
                Ok((conn, _peer)) => {
                    conn.set_nonblocking(false)?;
                    conns.push(conn);
                    accepted += 1;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {} // it gave up
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}
// ANCHOR_END: solution
