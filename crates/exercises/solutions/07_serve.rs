//! Solution of exercise 07-serve.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

use select_multiplex::os::{AsFd, PollFd, PollFlags, PollTimeout, poll};

// ANCHOR: solution
/// Echo for `clients` clients at once, in this thread; return when all have left.
pub fn echo_server(listener: &TcpListener, clients: usize) -> io::Result<()> {
    let mut conns: Vec<TcpStream> = Vec::new();
    let mut accepted = 0;
    while accepted < clients || !conns.is_empty() {
        // Entry 0 is the listener, while clients are still to come; then one
        // entry per connection. Rebuilt each round: it borrows the sockets.
        let mut fds = Vec::new();
        if accepted < clients {
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

        let first = usize::from(accepted < clients);
        let mut closed = Vec::new();
        for (i, conn) in conns.iter_mut().enumerate() {
            if !ready[first + i] {
                continue;
            }
            let mut buf = [0; 1024];
            // Ready: this read returns at once, with bytes or with 0 (closed).
            match conn.read(&mut buf)? {
                0 => closed.push(i),
                n => conn.write_all(&buf[..n])?,
            }
        }
        for i in closed.into_iter().rev() {
            conns.remove(i);
        }
        if first == 1 && ready[0] {
            let (conn, _peer) = listener.accept()?; // ready: accept returns at once
            conns.push(conn);
            accepted += 1;
        }
    }
    Ok(())
}
// ANCHOR_END: solution
