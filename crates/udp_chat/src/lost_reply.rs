//! `lost-reply-broken` and `lost-reply`: UDP does not promise delivery
//! (document 002 §2: UDP不提供可靠性, no connection, no retransmission), and
//! it does not tell you that nobody is listening. A client that waits for
//! an answer with a bare `recv_from`, as the documents' clients do, waits
//! for ever when the request or the answer is lost, or when no server is
//! running.
//!
//! The fix is the client's job: wait a bounded time for each answer, send
//! again a bounded number of times, then give up with a clear message.
//!
//! Which failure the client sees depends on the socket. Sending to a
//! loopback port where nothing is bound makes the kernel answer with an
//! ICMP "port unreachable". Linux passes that on only to a *connected* UDP
//! socket (its next `recv` fails with "Connection refused"); an unconnected
//! one, like the documents' clients, hears nothing and just waits. (Windows
//! reports it even to an unconnected socket, as `WSAECONNRESET`.)

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use classroom::{Side, narrate, run_roles};

use crate::{
    RECV_SIZE, client_socket, closed_port, demo_socket, is_timeout, recv_from, send_to,
    silent_server,
};

/// How long `demo lost-reply-broken` watches the blocked client.
pub const WATCHDOG: Duration = Duration::from_millis(300);

/// How long a client waits for each answer, and how many times it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// The read timeout for the first try.
    pub timeout: Duration,
    /// How many times the request is sent before giving up.
    pub tries: u32,
    /// How many times longer each try waits than the one before.
    pub backoff: u32,
}

impl Retry {
    /// For the demo: short, since loopback answers in microseconds.
    pub const DEMO: Retry = Retry {
        timeout: Duration::from_millis(100),
        tries: 3,
        backoff: 2,
    };
    /// For clients run by hand in a second terminal.
    pub const CLASSROOM: Retry = Retry {
        timeout: Duration::from_millis(500),
        tries: 3,
        backoff: 2,
    };

    /// How long try `attempt` (1, 2, …) waits: `timeout`, then `backoff`
    /// times longer for each try after it. A server that is slow because
    /// it is busy is not helped by requests coming faster; so real clients
    /// (DNS resolvers, TCP's own retransmissions) back off like this.
    pub fn wait(self, attempt: u32) -> Duration {
        let factor = self.backoff.saturating_pow(attempt.saturating_sub(1));
        self.timeout.saturating_mul(factor)
    }
}

// ANCHOR: wait_naive
/// Broken on purpose: wait for the answer the way the documents do.
pub fn wait_for_reply_naive(socket: &UdpSocket, out: &mut Side) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; RECV_SIZE];
    // BUG: no timeout. If the request or the answer was lost, or nobody is
    // listening, nothing ever arrives and recv_from never returns.
    // FIX: `ask` below waits a bounded time, a bounded number of times.
    let (reply, _) = recv_from(socket, &mut buf, out)?;
    Ok(reply.to_vec())
}
// ANCHOR_END: wait_naive

// ANCHOR: ask
/// Send `request` to `server` and return its answer, sending again each
/// time a wait ends without one (see [`Retry::wait`]), at most
/// `retry.tries` times.
pub fn ask(
    socket: &UdpSocket,
    server: SocketAddr,
    request: &[u8],
    retry: Retry,
    out: &mut Side,
) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; RECV_SIZE];
    for attempt in 1..=retry.tries {
        let wait = retry.wait(attempt);
        // FIX: every wait ends: recv_from fails with a timeout error instead.
        socket.set_read_timeout(Some(wait))?;
        send_to(socket, request, server, out)?;
        match recv_from(socket, &mut buf, out) {
            // Anyone can send us a datagram: only the server's is the answer.
            Ok((reply, from)) if from == server => return Ok(reply.to_vec()),
            Ok((_, from)) => out.say(format!("ignored: from {from}, not from the server")),
            Err(e) if is_timeout(&e) => out.say(format!(
                "try {attempt}/{}: no answer within {wait:?}",
                retry.tries
            )),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        ErrorKind::TimedOut,
        format!(
            "no answer from {server} after {} tries: is the server running?",
            retry.tries
        ),
    ))
}
// ANCHOR_END: ask

/// The two-terminal client of `hello`, `many` and `lost-reply`: bind a
/// socket for the server's address family, then `ask` each request in
/// turn, giving up (with an error) at the first that gets no answer.
pub fn ask_each(server: SocketAddr, requests: impl IntoIterator<Item = String>) -> io::Result<()> {
    let mut out = Side::client();
    let socket = client_socket(server, &out)?;
    for request in requests {
        ask(
            &socket,
            server,
            request.as_bytes(),
            Retry::CLASSROOM,
            &mut out,
        )?;
    }
    Ok(())
}

/// The broken client, watched: it asks a server that never answers and
/// waits in `recv_from`; the demo checks that it is still waiting after
/// [`WATCHDOG`], then sends it a datagram itself so the process can end.
pub fn demo_broken() -> io::Result<()> {
    let silent = silent_server()?;
    let nobody = silent.local_addr()?;
    let socket = demo_socket()?;
    let client_addr = socket.local_addr()?;
    let mut out = Side::client();
    out.say(format!(
        "bound to {client_addr}; asking {nobody}, where nothing answers"
    ));
    let (waiting_tx, waiting) = mpsc::channel();
    let (done_tx, done) = mpsc::channel();
    let client = thread::spawn(move || -> io::Result<()> {
        send_to(&socket, b"hello", nobody, &mut out)?;
        out.say("waiting for the answer: recv_from, no timeout");
        let _ = waiting_tx.send(());
        let outcome = wait_for_reply_naive(&socket, &mut out);
        let _ = done_tx.send(());
        outcome.map(drop)
    });
    // Only once the client has said it is waiting does the watch begin.
    let _ = waiting.recv();
    match done.recv_timeout(WATCHDOG) {
        Err(RecvTimeoutError::Timeout) => narrate(format!(
            "{WATCHDOG:?} later the client is still blocked in recv_from; nothing will ever arrive, so it would wait for ever"
        )),
        _ => narrate("the client's recv_from returned: this system reported the unreachable port"),
    }
    narrate("(only so that this demo can end, it now sends the client a datagram itself)");
    demo_socket()?.send_to(b"wake up", client_addr)?;
    client
        .join()
        .map_err(|_| io::Error::other("the client thread panicked"))??;
    narrate(
        "an unconnected UDP socket is not told that nobody listens; `demo lost-reply` adds a timeout and retries",
    );
    Ok(())
}

/// The fixed client, three times: nobody there (it gives up cleanly), a
/// network that loses the first datagram (the second try gets through),
/// and a connected socket, which the kernel tells that nobody listens.
pub fn demo_fixed() -> io::Result<()> {
    let retry = Retry::DEMO;

    narrate(
        "1. nothing answers at the address: a bounded wait, a bounded number of tries, a clear message",
    );
    let silent = silent_server()?;
    let nobody = silent.local_addr()?;
    let socket = demo_socket()?;
    let mut out = Side::client();
    match ask(&socket, nobody, b"hello", retry, &mut out) {
        Err(e) if e.kind() == ErrorKind::TimedOut => out.say(format!("gave up: {e}")),
        other => {
            return Err(io::Error::other(format!(
                "expected no answer, got {other:?}"
            )));
        }
    }

    narrate(
        "2. a server behind a network that loses the first datagram: the second try gets through",
    );
    let server = demo_socket()?;
    let addr = server.local_addr()?;
    let mut server_out = Side::server();
    server_out.say(format!("bound to {addr}"));
    let mut out = Side::client();
    // Try 1 is lost, so its short wait always runs out. Try 2's answer
    // comes in microseconds; its wait is made long only so that a busy
    // machine, slow to run the server thread, cannot turn this demo's
    // second try into a third.
    let patient = Retry {
        backoff: 100,
        ..retry
    };
    run_roles(
        move || {
            let mut buf = [0u8; RECV_SIZE];
            // The "network" loses the first datagram: the server never sees it.
            server.recv_from(&mut buf)?;
            let (_, from) = recv_from(&server, &mut buf, &mut server_out)?;
            send_to(&server, b"hi", from, &mut server_out)
        },
        || ask(&socket, addr, b"hello", patient, &mut out),
    )?;

    narrate("3. a connected socket: Linux passes on the ICMP \"port unreachable\" to it");
    // A port let go just now: nothing is bound there, so the kernel refuses.
    let nobody = closed_port()?;
    let socket = demo_socket()?;
    socket.connect(nobody)?;
    let mut out = Side::client();
    out.say(format!(
        "connected to {nobody} (UDP: this only fixes the peer, nothing is sent)"
    ));
    out.sent(b"hello");
    socket.send(b"hello")?;
    // The timeout only guards the demo; the refusal comes at once.
    socket.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut buf = [0u8; RECV_SIZE];
    match socket.recv(&mut buf) {
        Err(e) if is_timeout(&e) => {
            out.say("no refusal within 5s: this system keeps the ICMP message to itself")
        }
        Err(e) => out.say(format!("recv failed at once: {e}")),
        Ok(n) => {
            return Err(io::Error::other(format!(
                "expected a refusal, got {n} bytes"
            )));
        }
    }
    narrate(
        "retries cope with loss; a reply may still be lost after the server acted, so repeated requests must be harmless",
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_try_waits_backoff_times_longer_than_the_one_before() {
        let waits: Vec<_> = (1..=3).map(|n| Retry::DEMO.wait(n)).collect();
        assert_eq!(waits, [100, 200, 400].map(Duration::from_millis));
    }

    #[test]
    fn a_huge_backoff_saturates_instead_of_overflowing() {
        let retry = Retry {
            timeout: Duration::MAX,
            backoff: u32::MAX,
            ..Retry::DEMO
        };
        assert_eq!(retry.wait(1), Duration::MAX);
        assert_eq!(retry.wait(u32::MAX), Duration::MAX);
    }
}
