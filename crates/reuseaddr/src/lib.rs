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
#![warn(missing_docs)]

pub mod bind;
pub mod client_first;
pub mod restart;
pub mod reuseport;
pub mod serve;
pub mod std_listener;

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::Side;
use classroom::tcp::demo_pair_on;

/// The workspace's shared TCP plumbing, used by every step here.
pub use classroom::tcp::{PATIENCE, RECV_SIZE, client_session, connect, recv_once, until_closed};

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

/// Print the state the kernel has for the connection `local <-> peer`.
pub fn show_state(out: &Side, local: SocketAddr, peer: SocketAddr) {
    match kernel_state(local, peer) {
        Ok(Some(state)) => out.say(format!("the kernel has {local} <-> {peer} in {state}")),
        Ok(None) => out.say(format!("the kernel has no socket {local} <-> {peer}")),
        Err(e) => out.say(format!("(TCP state not shown: {e})")),
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
/// kernel still keeps of the connection `local <-> peer` just served, then
/// bind a new listener the way `bind` says.
pub fn restart(
    listener: TcpListener,
    bind: Bind,
    (local, peer): (SocketAddr, SocketAddr),
    out: &Side,
) -> Restart {
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => return Restart::Failed(e),
    };
    drop(listener); // from here on, this program holds no socket on `addr`
    out.say("stopped: the connection and the listener are closed");
    let left = show_left_behind(out, local, peer); // but the kernel may: TIME_WAIT
    out.say(format!("starting again: bind {addr} ({bind})"));
    match bind.bind(addr) {
        Ok(listener) => {
            out.say(format!("listening again on {addr}"));
            if let Some(state) = left {
                out.say(format!(
                    "{local} <-> {peer} is still in {state}, next to the new listener"
                ));
            }
            Restart::Listening(listener)
        }
        Err(e) => {
            out.say(format!("bind failed: {e}"));
            Restart::Failed(e)
        }
    }
}
// ANCHOR_END: restart

/// Print what the kernel still keeps of a connection this program has
/// closed, and return its state if there is one.
fn show_left_behind(out: &Side, local: SocketAddr, peer: SocketAddr) -> Option<&'static str> {
    match kernel_state(local, peer) {
        Ok(Some(state)) => {
            out.say(format!(
                "the kernel still has {local} <-> {peer} in {state}"
            ));
            Some(state)
        }
        Ok(None) => {
            out.say(format!(
                "the kernel has no socket {local} <-> {peer} any more"
            ));
            None
        }
        Err(e) => {
            out.say(format!("(TCP state not shown: {e})"));
            None
        }
    }
}

/// A server's half of a step: talk to one accepted connection and close it.
pub type ServerHalf = fn(TcpStream, &mut Side) -> io::Result<()>;

/// Run a restart step with both roles in one process. The server binds with
/// `bind` on a port the OS picks, serves one connection with `serve`, then
/// [`restart`]s; the client role runs `client`. Returns how the restart went.
///
/// This is `classroom::tcp::demo_pair` with two differences the story needs,
/// so it runs on `demo_pair_on`:
/// the listener is bound `bind`'s way (the TIME_WAIT remembers how), and it
/// outlives the conversation, so the restart can close it. The server role
/// accepts on a clone of the listener; the restart runs here, after both
/// roles have finished, so its lines come after the client's last line.
///
/// The turn-taking that keeps the output the same every run is
/// `demo_pair_on`'s; after it, the bytes and the FINs order the lanes.
pub fn demo_restart(
    bind: Bind,
    serve: ServerHalf,
    client: impl FnOnce(TcpStream, &mut Side) -> io::Result<()>,
) -> io::Result<Restart> {
    let listener = bind.bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    Side::server().say(format!("listening on {addr} ({bind})"));
    let peer = demo_pair_on(listener.try_clone()?, serve, |stream: TcpStream, out| {
        let me = stream.local_addr()?; // the server's peer
        client(stream, out)?;
        Ok(me)
    })?;
    // The listener was bound to 127.0.0.1, so the accepted connection's
    // local address is the listener's own.
    Ok(restart(listener, bind, (addr, peer), &Side::server()))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_sends_one_message() {
        assert_eq!(one_message(&[]).unwrap(), b"hello!");
        assert_eq!(one_message(&["你好".into()]).unwrap(), "你好".as_bytes());
        let two = one_message(&["a".into(), "b".into()]).unwrap_err();
        assert_eq!(two.kind(), ErrorKind::InvalidInput);
        assert!(one_message(&["".into()]).is_err());
    }

    #[test]
    fn states_are_for_ipv4_only() {
        let v6: SocketAddr = "[::1]:1".parse().unwrap();
        let err = kernel_state(v6, v6).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
    }
}
