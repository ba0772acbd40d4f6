//! `blocking`: document 002's two programs as they are (§4 阻塞和非阻塞,
//! port 8001). `accept` waits for a client, `recv` waits for bytes and
//! `connect` waits for the handshake; the demo measures how long each call
//! sat there.
//!
//! To make the waits visible, the demo's client holds back on purpose: the
//! server says "I am calling accept()" on a channel, and the client lets
//! [`HOLD`] pass before it connects. The server cannot say anything more in
//! that time, because it is stuck inside `accept`; that silence is what the
//! client checks ([`hold_back`]).

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use classroom::cli::{announce_listening, ephemeral};
use classroom::errors::{context, explain};
use classroom::tcp::{PATIENCE, name_timeout};
use classroom::{Side, narrate, run_roles};

use crate::{MESSAGE, hold_back, next_turn, recv_once};

/// How long the demo's client holds back before each of its moves.
pub const HOLD: Duration = Duration::from_millis(100);

// ANCHOR: timed
/// Call `f` and measure how long it took to return.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}
// ANCHOR_END: timed

/// The server's half for one connection: `recv(1024)` until the client
/// closes, saying how long each call waited. Returns the bytes received.
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<usize> {
    let mut total = 0;
    loop {
        let (got, waited) = timed(|| recv_once(&mut conn, out));
        let got = got?;
        out.say(format!("recv() returned after {waited:.1?}"));
        if got.is_empty() {
            return Ok(total);
        }
        total += got.len();
    }
}

/// Both roles in one process, taking turns through two channels.
pub fn demo() -> io::Result<()> {
    let listener = TcpListener::bind(ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}"));
    // The server tells the client which call it is about to make; the
    // client tells the server when it has printed its part.
    let (to_client, from_server) = mpsc::channel::<&str>();
    let (to_server, from_client) = mpsc::channel::<()>();
    run_roles(
        move || {
            server.say("accept(): waiting for a client to connect");
            // ANCHOR: accept
            let started = Instant::now();
            let _ = to_client.send("accept");
            let (mut conn, peer) = listener.accept()?; // blocks until a client connects
            let waited = started.elapsed();
            // ANCHOR_END: accept
            next_turn(&from_client)?;
            server.say(format!(
                "accept() returned after {waited:.1?}: a connection from {peer}"
            ));

            server.say("recv(1024): waiting for bytes");
            let started = Instant::now();
            let _ = to_client.send("recv");
            recv_once(&mut conn, &mut server)?; // blocks until bytes arrive
            server.say(format!("recv() returned after {:.1?}", started.elapsed()));
            Ok(())
        },
        || {
            let mut client = Side::client();
            next_turn(&from_server)?; // "accept"
            hold_back(&from_server, HOLD)?;
            client.say(format!(
                "the server has said nothing for {HOLD:?}: it is still inside accept(); connecting"
            ));
            let (stream, took) = timed(|| TcpStream::connect(addr));
            let mut stream = stream?;
            client.say(format!(
                "connect() returned after {took:.1?}: it waited for the three-way handshake"
            ));
            let _ = to_server.send(());

            next_turn(&from_server)?; // "recv"
            hold_back(&from_server, HOLD)?;
            client.say(format!(
                "the server has said nothing for {HOLD:?}: it is still inside recv(); sending"
            ));
            client.sent(MESSAGE.as_bytes());
            stream.write_all(MESSAGE.as_bytes())?;
            Ok(())
        },
    )?;
    narrate(format!(
        "each call waited for its event (at least the {HOLD:?} the client held back); the thread could do nothing else meanwhile"
    ));
    narrate(
        "connect() on loopback waits microseconds; across the internet a round trip, to a dead host many seconds",
    );
    narrate("next: `demo broken`, the same programs with setblocking(False)");
    Ok(())
}

/// `server blocking`: the document's server, in a loop. Each call says how
/// long it waited; a client that stays silent for [`PATIENCE`] is dropped.
pub fn serve_forever(addr: SocketAddr) -> io::Result<()> {
    let listener = TcpListener::bind(addr).map_err(|e| context(e, format!("binding {addr}")))?;
    announce_listening(&listener)?;
    loop {
        let mut out = Side::server();
        out.say("accept(): waiting for a client (Ctrl-C to stop)");
        let (accepted, waited) = timed(|| listener.accept());
        let (conn, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                out.say(format!("accept failed: {}", explain(&e)));
                continue;
            }
        };
        out.say(format!(
            "accept() returned after {waited:.1?}: a connection from {peer}"
        ));
        let outcome = conn
            .set_read_timeout(Some(PATIENCE))
            .and_then(|()| serve(conn, &mut out));
        match outcome {
            Ok(total) => out.say(format!("done with {peer}: {total} bytes in all")),
            // A read that timed out says "Resource temporarily unavailable",
            // which in this lesson reads like a non-blocking socket's error:
            // name_timeout says what happened instead.
            Err(e) => out.say(format!("gave up on {peer}: {}", explain(&name_timeout(e)))),
        }
    }
}

/// `client blocking`: connect (timed), send each message, close.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut out = Side::client();
    let (stream, took) = timed(|| TcpStream::connect(addr));
    let mut stream = stream.map_err(|e| context(e, format!("connecting to {addr}")))?;
    out.say(format!("connect() to {addr} returned after {took:.1?}"));
    for message in crate::messages_or_default(messages) {
        out.sent(message.as_bytes());
        stream.write_all(message.as_bytes())?;
    }
    Ok(()) // dropping `stream` closes the connection
}
