//! `lost-reply-broken` and `lost-reply`: UDP does not promise delivery
//! (document 002 §2: UDP不提供可靠性), nor tell an unconnected socket that
//! nobody listens. A client waiting with a bare `recv_from`, as the
//! documents' clients do, waits for ever; the fix is the client's job: a
//! bounded wait, a bounded number of tries, then a clear message. (Linux
//! reports an ICMP "port unreachable" only to a *connected* UDP socket;
//! Windows reports it to any, as `WSAECONNRESET`.)

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use classroom::cli::ephemeral;
use classroom::errors::with_hint;
use classroom::tcp::{RECV_SIZE, closed_udp_port, is_timeout};
use classroom::{Traced, narrate};

use crate::{client_socket, pair, until_quit};

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
        ..Retry::DEMO
    };

    /// How long try `attempt` (1, 2, …) waits: `timeout`, then `backoff`
    /// times longer for each try after it (退避, as TCP's retransmissions do).
    pub fn wait(self, attempt: u32) -> Duration {
        let factor = self.backoff.saturating_pow(attempt.saturating_sub(1));
        self.timeout.saturating_mul(factor)
    }
}

// ANCHOR: wait_naive
/// Broken on purpose: wait for the answer the way the documents do.
pub fn wait_for_reply_naive(socket: &Traced<UdpSocket>) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; RECV_SIZE];
    // BUG: no timeout. If the request or the answer was lost, or nobody is
    // listening, nothing ever arrives and recv_from never returns.
    // FIX: `ask` below waits a bounded time, a bounded number of times.
    let (n, _) = socket.recv_from(&mut buf)?; // Python: data, addr = client.recvfrom(1024)
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: wait_naive

// ANCHOR: answer_within
/// The answer from `server`, if one comes within `wait`: its length in
/// `buf`. Anyone can send us a datagram, so one from another address is
/// not the answer: it is shown, named, and the wait goes on.
pub fn answer_within(
    socket: &Traced<UdpSocket>,
    server: SocketAddr,
    buf: &mut [u8],
    wait: Duration,
) -> io::Result<Option<usize>> {
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        socket.set_read_timeout(Some(left))?; // FIX: every wait ends
        match socket.recv_from(buf) {
            Ok((n, from)) if from == server => return Ok(Some(n)),
            Ok((_, from)) => socket.say(format!("ignored: from {from}, not from the server")),
            Err(e) if is_timeout(&e) => return Ok(None),
            // Windows reports an ICMP "port unreachable" even to this unconnected socket.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                return Err(with_hint(
                    e,
                    "nothing is bound at that port: start the server first",
                ));
            }
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: answer_within

// ANCHOR: ask
/// Send `request` to `server` and return its answer, sending again each
/// time a wait ends without one (see [`Retry::wait`]), at most
/// `retry.tries` times.
pub fn ask(
    socket: &Traced<UdpSocket>,
    server: SocketAddr,
    request: &[u8],
    retry: Retry,
) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; RECV_SIZE];
    for attempt in 1..=retry.tries {
        let wait = retry.wait(attempt);
        socket.send_to(request, server)?;
        if let Some(n) = answer_within(socket, server, &mut buf, wait)? {
            return Ok(buf[..n].to_vec());
        }
        socket.say(format!(
            "try {attempt}/{}: no answer within {wait:?}",
            retry.tries
        ));
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

/// The two-terminal client of `hello` (each MESSAGE, or `hello`), `many`
/// (each line) and `lost-reply`: bind a socket, then `ask` each request in
/// turn (up to `q`), giving up (with an error) at the first unanswered.
pub fn ask_each(server: SocketAddr, requests: impl IntoIterator<Item = String>) -> io::Result<()> {
    let socket = client_socket(server)?;
    for request in until_quit(&socket, requests.into_iter()) {
        ask(&socket, server, request.as_bytes(), Retry::CLASSROOM)?;
    }
    Ok(())
}

/// The broken client, watched: it asks a socket that never answers (like a
/// server that is down, but no other program can take its port mid-demo);
/// after [`WATCHDOG`] the demo checks it still waits, then wakes it.
pub fn demo_broken() -> io::Result<()> {
    let silent = UdpSocket::bind(ephemeral())?;
    let nobody = silent.local_addr()?;
    let socket = Traced::client(UdpSocket::bind(ephemeral())?);
    let client_addr = socket.local_addr()?;
    socket.say(format!(
        "bound to {client_addr}; asking {nobody}, where nothing answers"
    ));
    let (waiting_tx, waiting) = mpsc::channel();
    let (done_tx, done) = mpsc::channel();
    let client = thread::spawn(move || -> io::Result<()> {
        socket.send_to(b"hello", nobody)?;
        socket.say("waiting for the answer: recv_from, no timeout");
        let _ = waiting_tx.send(());
        let outcome = wait_for_reply_naive(&socket);
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
    UdpSocket::bind(ephemeral())?.send_to(b"wake up", client_addr)?;
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
    let silent = UdpSocket::bind(ephemeral())?;
    let nobody = silent.local_addr()?;
    let socket = Traced::client(UdpSocket::bind(ephemeral())?);
    match ask(&socket, nobody, b"hello", retry) {
        Err(e) if e.kind() == ErrorKind::TimedOut => socket.say(format!("gave up: {e}")),
        other => {
            return Err(io::Error::other(format!(
                "expected no answer, got {other:?}"
            )));
        }
    }

    narrate(
        "2. a server behind a network that loses the first datagram: the second try gets through",
    );
    let socket = Traced::client(UdpSocket::bind(ephemeral())?);
    // Try 1 is lost. Try 2's answer comes in microseconds; its long wait
    // only keeps a busy machine from turning it into a third try.
    let patient = Retry {
        backoff: 100,
        ..retry
    };
    pair(
        |mut server| {
            let mut buf = [0u8; RECV_SIZE];
            // The "network" loses the first datagram: the server never sees
            // it, so this receive is not printed.
            server.get_mut().recv_from(&mut buf)?;
            let (_, from) = server.recv_from(&mut buf)?;
            server.send_to(b"hi", from).map(drop)
        },
        |addr| ask(&socket, addr, b"hello", patient),
    )?;

    narrate("3. a connected socket: Linux passes on the ICMP \"port unreachable\" to it");
    let socket = Traced::client(UdpSocket::bind(ephemeral())?);
    // A port let go just now: nothing is bound there, so the kernel refuses.
    let nobody = closed_udp_port()?;
    socket.connect(nobody)?;
    socket.say(format!(
        "connected to {nobody} (UDP: this only fixes the peer, nothing is sent)"
    ));
    socket.send(b"hello")?;
    // The timeout only guards the demo; the refusal comes at once.
    socket.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut buf = [0u8; RECV_SIZE];
    match socket.recv(&mut buf) {
        Err(e) if is_timeout(&e) => {
            socket.say("no refusal within 5s: this system keeps the ICMP message to itself")
        }
        Err(e) => socket.say(format!("recv failed at once: {e}")),
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
