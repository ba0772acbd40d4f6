//! Lesson 02: "Address already in use". The side of a TCP connection that
//! closes first keeps it in TIME_WAIT for a while after the program has let
//! go of it. When that side is a server, the TIME_WAIT still holds the
//! server's port, and starting the server again fails, unless SO_REUSEADDR
//! was set before `bind`.
//!
//! Every step runs the same story with one thing changed: a server accepts
//! one client, the connection is closed, the server stops and starts again
//! on the same port (as if you pressed Ctrl-C and ran it again).
//!
//! | step | module | what changes | documents |
//! |---|---|---|---|
//! | `broken` | [`restart`] | the server closes first; SO_REUSEADDR off | 000 §3, 003, 004 §4.1 |
//! | `fixed` | [`restart`] | the same with SO_REUSEADDR on | 000 §3, 004 §4.1 |
//! | `client-closes-first` | [`client_first`] | the client closes first; option off | 001, 004 §2.3.1 (四次挥手) |
//! | `std` | [`std_listener`] | std's `TcpListener::bind` | (Rust) |
//! | `reuseport` | [`reuseport`] | two listeners on one port (Linux) | (beyond the documents) |
//! | `backlog`, `states` | [`states`] | the states of a full queue and of a close | 004 §4.1, §2.3.1; 001; 002 §2.2 |
#![warn(missing_docs)]

pub mod bind;
pub mod client_first;
pub mod os;
pub mod restart;
pub mod reuseport;
pub mod states;
pub mod std_listener;

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use classroom::cli::announce_listening;
use classroom::errors::{bind_failed, with_hint};
use classroom::{Side, narrate, runner};

pub use bind::Bind;

/// The port documents 000 and 004 use for their SO_REUSEADDR server.
pub const PORT: u16 = 8898;

/// What document 000's client sends.
pub const GREETING: &[u8] = b"hello!";

/// What document 000's server answers.
pub const ANSWER: &[u8] = b"hi";

/// The kernel's TCP state for the connection `local <-> peer`, such as
/// `Some("TIME_WAIT")`, or `None` when the kernel has no such socket.
/// Linux only (it reads `/proc/net/tcp`, no root needed); elsewhere, and for
/// IPv6, an `Unsupported` error says so.
pub fn kernel_state(local: SocketAddr, peer: SocketAddr) -> io::Result<Option<&'static str>> {
    match (local, peer) {
        (SocketAddr::V4(local), SocketAddr::V4(peer)) => {
            classroom::tcp_state::state_of(local, peer)
        }
        _ => Err(io::Error::new(
            ErrorKind::Unsupported,
            "TCP states are shown for IPv4 connections only",
        )),
    }
}

/// Print in `lane` the state the kernel has for `local <-> peer`, and
/// return it. (Take the addresses before the close: a socket whose
/// connection is over no longer knows its peer.)
pub fn show_state(lane: &Side, local: SocketAddr, peer: SocketAddr) -> Option<&'static str> {
    match kernel_state(local, peer) {
        Ok(Some(state)) => {
            lane.say(format!("the kernel has {local} <-> {peer} in {state}"));
            Some(state)
        }
        Ok(None) => {
            lane.say(format!("the kernel has no socket {local} <-> {peer}"));
            None
        }
        Err(e) => {
            lane.say(format!("(TCP state not shown: {e})"));
            None
        }
    }
}

/// How a restart went.
#[derive(Debug)]
pub enum Restart {
    /// The new listener is bound to the old address and listening.
    Listening(TcpListener),
    /// The new bind failed; the error says why (`Address already in use`).
    Failed(io::Error),
}

// ANCHOR: restart
/// Stop the server and start it again on the same address, as pressing
/// Ctrl-C and running it again would: close the listener, show what the
/// kernel still keeps of the connection with `served` (the client just
/// served, if one was), then bind a new listener the way `bind` says.
pub fn restart(
    listener: TcpListener,
    bind: Bind,
    served: Option<SocketAddr>,
) -> io::Result<Restart> {
    let lane = Side::server();
    let addr = listener.local_addr()?;
    drop(listener); // from here on, this program holds no socket on `addr`
    lane.say("stopped: the connection and the listener are closed");
    // But the kernel may still hold the connection: TIME_WAIT.
    let left = served.and_then(|peer| show_state(&lane, addr, peer));
    lane.say(format!("starting again: bind {addr} ({bind})"));
    match bind.bind(addr) {
        Ok(listener) => {
            lane.say(format!("listening again on {addr}"));
            if let (Some(state), Some(peer)) = (left, served) {
                lane.say(format!(
                    "{addr} <-> {peer} is still in {state}, next to the new listener"
                ));
            }
            Ok(Restart::Listening(listener))
        }
        Err(e) => {
            lane.say(format!("bind failed: {e}"));
            Ok(Restart::Failed(e))
        }
    }
}
// ANCHOR_END: restart

/// A server's half of a step: accept one client, talk, close; return the
/// client's address, so the restart can show what is left of the connection.
pub type ServerHalf = fn(&TcpListener) -> io::Result<SocketAddr>;

/// Run a restart step with both halves in one process: bind `bind`'s way on
/// a port the OS picks, serve one client with `server` while `client` runs,
/// then [`restart`].
///
/// The halves run in `runner::pair_on`, on a clone of the listener: this
/// one outlives the conversation, so the restart can close it, after both
/// halves have finished.
pub fn demo_restart(
    bind: Bind,
    server: ServerHalf,
    client: impl FnOnce(SocketAddr) -> io::Result<()>,
) -> io::Result<Restart> {
    let listener = bind.bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    Side::server().say(format!("listening on {addr} ({bind})"));
    let (served_tx, served) = mpsc::channel();
    let one_client = move |listener: &TcpListener| {
        let _ = served_tx.send(server(listener)?);
        Ok(())
    };
    runner::pair_on(listener.try_clone()?, one_client, client)?;
    restart(listener, bind, served.try_recv().ok())
}

/// `server STEP`: bind `addr` the way `bind` says, print `listening on
/// HOST:PORT`, then serve one client, restart, and again, until a restart
/// fails (the server has nothing left to listen with) or Ctrl-C. A client
/// that misbehaves costs only its own connection; the restart comes anyway.
pub fn serve_and_restart(addr: SocketAddr, bind: Bind, server: ServerHalf) -> io::Result<()> {
    let mut listener = bind.bind(addr).map_err(|e| bind_error(e, addr, bind))?;
    let addr = announce_listening(&listener)?;
    loop {
        Side::server().say("waiting for a connection (Ctrl-C to stop)");
        let served = server(&listener).map_err(|e| Side::server().say(runner::ending(&e)));
        listener = match restart(listener, bind, served.ok())? {
            Restart::Listening(listener) => listener,
            Restart::Failed(e) if e.kind() == ErrorKind::AddrInUse => {
                narrate(format!(
                    "the connection this server closed first holds {addr} in TIME_WAIT"
                ));
                narrate("wait a minute (2MSL on Linux) or use another --port");
                return Ok(());
            }
            Restart::Failed(_) => return Ok(()),
        };
    }
}

/// A first `bind` that failed, said in full: `binding TCP 127.0.0.1:8898:
/// Address already in use (os error 98)`. For a busy port, classroom's hint
/// blames another program; but when nothing listens there, what holds the
/// port is a connection that closed a moment ago, in TIME_WAIT (this
/// lesson), and the hint says so.
pub fn bind_error(error: io::Error, addr: SocketAddr, bind: Bind) -> io::Error {
    let busy = error.kind() == ErrorKind::AddrInUse;
    let error = bind_failed(error, addr, "TCP");
    let mut probe = addr; // "0.0.0.0" means this machine when binding, not when connecting
    if probe.ip().is_unspecified() {
        probe.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    // A connection that succeeds is the portable way to find a listener.
    if !busy || TcpStream::connect_timeout(&probe, PROBE_WAIT).is_ok() {
        return error;
    }
    let why = match bind {
        Bind::WithoutReuse => "and SO_REUSEADDR is off here",
        Bind::WithReuse | Bind::Std => {
            "left by a run with SO_REUSEADDR off, which blocks even a listener with it on"
        }
    };
    with_hint(
        error,
        format!(
            "no program listens on TCP port {}: a connection that closed there a moment ago holds it, in TIME_WAIT ({why}); wait a minute (2MSL on Linux), or pass `--port 0` (lesson 02)",
            addr.port()
        ),
    )
}

/// How long [`bind_error`] waits to find out whether a program listens.
const PROBE_WAIT: Duration = Duration::from_secs(2);

/// The one message a client sends: its MESSAGE argument, or `hello!` as
/// document 000's client sends. One per run, because the server stops after
/// each connection: a second connection could find it between its stop and
/// its start.
pub fn one_message(messages: &[String]) -> io::Result<Vec<u8>> {
    match messages {
        [] => Ok(GREETING.to_vec()),
        [one] if one.is_empty() => Err(io::Error::new(
            ErrorKind::InvalidInput,
            "an empty message puts nothing on the wire: TCP has no empty messages",
        )),
        [one] => Ok(one.as_bytes().to_vec()),
        _ => Err(io::Error::new(
            ErrorKind::InvalidInput,
            "one MESSAGE per run: the server stops after each connection (quote a message with spaces)",
        )),
    }
}
