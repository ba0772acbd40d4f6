//! Running a step's two halves: what no lesson teaches.
//!
//! A step's server half takes a bound `&TcpListener` and calls `accept()`
//! itself; its client half takes the server's address and calls
//! `TcpStream::connect` itself. This module only does the rest:
//!
//! * [`pair`]: a demo. Bind `127.0.0.1` on a port the OS picks, print
//!   `listening on HOST:PORT`, run the server half on its own thread and the
//!   client half on this one, and let the server's `accepted` line and the
//!   client's `connected` line take turns (see
//!   [`Traced::accepted`](crate::Traced::accepted)), so the output is the
//!   same on every run.
//! * [`serve`]: `server STEP` in a terminal. Bind the address (the
//!   document's port, or `--port`), print `listening on HOST:PORT`, and call
//!   the server half again for the next client until Ctrl-C, the way the
//!   documents' `while True:` loops do. A client that misbehaves costs only
//!   its own connection: the error is printed and the next one is served.

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use crate::cli::{announce_listening, ephemeral};
use crate::errors::{bind_failed, explain, out_of_descriptors};
use crate::tcp::{is_timeout, name_timeout};
use crate::traced::{FirstTurn, join_first_turn};
use crate::{Side, run_roles};

/// A demo of one step: `server` gets a listener on a free loopback port,
/// `client` gets its address. Returns the client's value once both halves
/// are done.
///
/// The server half calls [`Traced::accepted`](crate::Traced::accepted)
/// and the client half [`Traced::connected`](crate::Traced::connected) on
/// their first connection: those two lines come out in that order, and
/// neither half goes on before both are printed. (A half that skips its
/// line leaves the other waiting until it returns: use both or neither.)
pub fn pair<T>(
    server: impl FnOnce(&TcpListener) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let listener = TcpListener::bind(ephemeral())?;
    Side::server().say(format!("listening on {}", listener.local_addr()?));
    pair_on(listener, server, client)
}

/// [`pair`] on a listener the caller bound (and announced) its own way.
pub fn pair_on<T>(
    listener: TcpListener,
    server: impl FnOnce(&TcpListener) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let addr = listener.local_addr()?;
    let turn = Arc::new(FirstTurn::default());
    let server_turn = Arc::clone(&turn);
    let result = run_roles(
        move || {
            join_first_turn(Some(Arc::clone(&server_turn)));
            let result = server(&listener);
            // A server half that ends early must not leave the client waiting.
            server_turn.release();
            result
        },
        || {
            join_first_turn(Some(Arc::clone(&turn)));
            let value = client(addr);
            // Nor the other way round.
            turn.release();
            join_first_turn(None);
            value
        },
    );
    join_first_turn(None);
    result
}

/// `server STEP`: bind `addr`, print `listening on HOST:PORT`, and run
/// `serve_one` (one client's worth: it calls `accept()` itself) again and
/// again until the process is stopped.
pub fn serve(
    addr: SocketAddr,
    serve_one: impl FnMut(&TcpListener) -> io::Result<()>,
) -> io::Result<()> {
    let listener = TcpListener::bind(addr).map_err(|e| bind_failed(e, addr, "TCP"))?;
    announce_listening(&listener)?;
    serve_on(&listener, serve_one)
}

/// [`serve`] on a listener the caller bound and announced.
pub fn serve_on(
    listener: &TcpListener,
    mut serve_one: impl FnMut(&TcpListener) -> io::Result<()>,
) -> io::Result<()> {
    let lane = Side::server();
    let mut out_of_fds = false;
    loop {
        if !out_of_fds {
            lane.say("waiting for a connection (Ctrl-C to stop)");
        }
        match serve_one(listener) {
            Ok(()) => out_of_fds = false,
            Err(e) if out_of_descriptors(&e) => {
                // `accept` fails at once while the connection it could not
                // take waits in the queue: trying again straight away would
                // spin a core and print this line millions of times.
                if !out_of_fds {
                    lane.say(format!(
                        "{}\n  pausing accept until a descriptor is free (said once per burst)",
                        explain(&e)
                    ));
                    out_of_fds = true;
                }
                // Deliberate: a back-off between tries, not an ordering of events.
                std::thread::sleep(BACK_OFF); // allow-sleep
            }
            Err(e) => {
                out_of_fds = false;
                lane.say(ending(&e));
            }
        }
    }
}

/// How long a server waits before it tries `accept` again when it is out of
/// file descriptors.
pub const BACK_OFF: Duration = Duration::from_millis(100);

/// What a server says when a connection ended in an error. A client that
/// closed or reset before the conversation was over (document 002's select
/// client never reads its echo) ended normally from its own point of view:
/// say so calmly.
pub fn ending(error: &io::Error) -> String {
    match error.kind() {
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
            format!(
                "the client left that connection early ({error}): a normal end for a client that wants no more"
            )
        }
        _ => match error.raw_os_error() {
            // The OS's bare timeout: say what it means.
            Some(code) if is_timeout(error) => format!(
                "gave up on that connection: {}",
                explain(&name_timeout(io::Error::from_raw_os_error(code)))
            ),
            _ => format!("gave up on that connection: {}", explain(error)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Traced;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    fn echo_once(listener: &TcpListener) -> io::Result<()> {
        let (conn, peer) = listener.accept()?;
        let mut conn = Traced::accepted(conn, peer)?;
        let mut buf = [0u8; 64];
        let n = conn.read(&mut buf)?;
        conn.write_all(&buf[..n])
    }

    #[test]
    fn a_pair_runs_both_halves_on_one_connection() {
        let reply = pair(echo_once, |addr| {
            let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
            stream.write_all(b"ping")?;
            let mut buf = [0u8; 64];
            let n = stream.read(&mut buf)?;
            Ok(buf[..n].to_vec())
        })
        .unwrap();
        assert_eq!(reply, b"ping");
    }

    #[test]
    fn a_server_half_that_ends_before_accepting_does_not_hang_the_client() {
        // The listener closes with the server half, so the client may see
        // its connection reset, or the server's error: either way, it ends.
        let result = pair(
            |_| Err(io::Error::other("no accept today")),
            |addr| {
                let stream = Traced::connected(TcpStream::connect(addr)?)?;
                stream.peer_addr()
            },
        );
        assert!(result.is_err(), "{result:?}");
    }

    #[test]
    fn a_client_that_leaves_early_is_a_calm_ending() {
        let reset = ending(&io::Error::from(ErrorKind::ConnectionReset));
        assert!(
            reset.starts_with("the client left that connection early"),
            "{reset}"
        );
        let timeout = ending(&io::Error::from_raw_os_error(if cfg!(windows) {
            10060
        } else {
            11
        }));
        assert!(
            timeout.contains("nothing arrived from the peer"),
            "{timeout}"
        );
    }

    #[test]
    fn demos_in_parallel_do_not_share_their_turns() {
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(a_pair_runs_both_halves_on_one_connection);
            }
        });
    }
}
