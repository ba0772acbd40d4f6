//! `reuseport` (Linux): SO_REUSEPORT lets several listeners bind the very
//! same address, and the kernel spreads new connections among them. This is
//! what SO_REUSEADDR does *not* do: with it, a second listener on a port
//! still fails with `Address already in use`.
//!
//! Other systems have an SO_REUSEPORT with other rules (macOS and the BSDs
//! let the sockets bind but do not spread connections like this; FreeBSD
//! calls that SO_REUSEPORT_LB), and Windows has none: the step says so there.

/// How many connections the demo makes.
pub const CONNECTIONS: usize = 20;

#[cfg(target_os = "linux")]
pub use linux::{bind_reuse_port, demo, spread};

/// Elsewhere the step says why it does not run.
#[cfg(not(target_os = "linux"))]
pub fn demo() -> std::io::Result<()> {
    classroom::Side::server().say(
        "this step needs Linux: only there does SO_REUSEPORT spread connections (Windows has none)",
    );
    Ok(())
}

#[cfg(target_os = "linux")]
mod linux {
    use std::io;
    use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
    use std::sync::mpsc;
    use std::thread;

    use classroom::{Side, narrate};
    use socket2::{Domain, Protocol, SockRef, Socket, Type};

    use super::CONNECTIONS;
    use crate::bind::{BACKLOG, bind_with_reuse};
    use classroom::tcp::PATIENCE;

    // ANCHOR: bind_reuse_port
    /// Bind and listen with SO_REUSEPORT on. Every socket that sets it, in
    /// any process of the same user, may bind the same address; the kernel
    /// then hands each new connection to one of them.
    pub fn bind_reuse_port(addr: SocketAddr) -> io::Result<TcpListener> {
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
        socket.set_reuse_port(true)?;
        socket.bind(&addr.into())?;
        socket.listen(BACKLOG)?;
        Ok(socket.into())
    }
    // ANCHOR_END: bind_reuse_port

    /// Make `n` connections to the listeners' port and count how many each
    /// listener accepted.
    ///
    /// Each listener accepts on its own thread and reports every connection
    /// on a channel; once all `n` are counted, shutting a listening socket
    /// down makes its blocked `accept` fail (Linux), which ends its thread.
    pub fn spread(listeners: &[TcpListener], n: usize) -> io::Result<Vec<usize>> {
        let addr = listeners
            .first()
            .ok_or_else(|| io::Error::other("no listener"))?
            .local_addr()?;
        let (tx, accepted) = mpsc::channel();
        thread::scope(|s| {
            for (i, listener) in listeners.iter().enumerate() {
                let tx = tx.clone();
                s.spawn(move || {
                    while listener.accept().is_ok() {
                        if tx.send(i).is_err() {
                            break;
                        }
                    }
                });
            }
            let counted = (|| {
                let mut counts = vec![0; listeners.len()];
                let mut clients = Vec::with_capacity(n);
                for _ in 0..n {
                    clients.push(TcpStream::connect(addr)?);
                }
                for _ in 0..n {
                    let i = accepted.recv_timeout(PATIENCE).map_err(|_| {
                        io::Error::new(io::ErrorKind::TimedOut, "a connection was never accepted")
                    })?;
                    counts[i] += 1;
                }
                Ok(counts)
            })();
            for listener in listeners {
                let _ = SockRef::from(listener).shutdown(Shutdown::Both);
            }
            counted
        })
    }

    /// Two listeners on one port with SO_REUSEPORT, then two with SO_REUSEADDR.
    pub fn demo() -> io::Result<()> {
        let out = Side::server();
        let first = bind_reuse_port(classroom::cli::ephemeral())?;
        let addr = first.local_addr()?;
        out.say(format!("listener 1: listening on {addr} (SO_REUSEPORT on)"));
        let second = bind_reuse_port(addr)?;
        out.say(format!("listener 2: listening on {addr} (SO_REUSEPORT on)"));
        Side::client().say(format!("{CONNECTIONS} connections to {addr}"));
        let counts = spread(&[first, second], CONNECTIONS)?;
        out.say(format!(
            "listener 1 accepted {}, listener 2 accepted {}: {} in all",
            counts[0],
            counts[1],
            counts.iter().sum::<usize>()
        ));
        narrate(
            "the kernel picks the listener by a hash of each connection's 4-tuple: the split varies",
        );

        out.say("the same with SO_REUSEADDR instead:");
        let first = bind_with_reuse(classroom::cli::ephemeral())?;
        let addr = first.local_addr()?;
        out.say(format!("listener 1: listening on {addr} (SO_REUSEADDR on)"));
        match bind_with_reuse(addr) {
            Ok(_) => out.say(format!("listener 2: listening on {addr} too")),
            Err(e) => out.say(format!("listener 2: bind {addr} failed: {e}")),
        }
        narrate(
            "SO_REUSEADDR shares a port with old connections, never a live listener: SO_REUSEPORT does",
        );
        Ok(())
    }
}
