//! `blocking`: document 002's two programs as they are (§4 阻塞和非阻塞,
//! port 8001). `accept` waits for a client, `recv` waits for bytes and
//! `connect` waits for the handshake; each call says how long it sat there.
//!
//! To make the waits visible, the demo's client holds back on purpose, for
//! [`HOLD`] before it connects and again before it sends, the way a person
//! at the other terminal would take their time.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::tcp::RECV_SIZE;
use classroom::{Side, Traced, narrate, runner};

use crate::{MESSAGE, Turns};

/// How long the demo's client holds back before each of its moves.
pub const HOLD: Duration = Duration::from_millis(100);

// ANCHOR: server
/// The document's server for one client: `accept`, then `recv(1024)` until
/// the client closes. Each call waits for its event, and says how long.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let started = Instant::now();
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sock.accept()
    Side::server().say(format!("accept() returned after {:.1?}", started.elapsed()));
    let mut conn = Traced::accepted(conn, peer)?;
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let started = Instant::now();
        let n = conn.read(&mut buf)?; // Python: client_data = conn.recv(1024)
        conn.say(format!("recv() returned after {:.1?}", started.elapsed()));
        if n == 0 {
            return Ok(()); // EOF: the client closed its side
        }
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// The document's client: `connect` (it waits for the three-way handshake),
/// send each message, close.
pub fn client(addr: SocketAddr, messages: impl IntoIterator<Item = String>) -> io::Result<()> {
    let started = Instant::now();
    let stream = TcpStream::connect(addr)?; // Python: client.connect(('127.0.0.1', 8001))
    let took = started.elapsed();
    let mut stream = Traced::connected(stream)?;
    stream.say(format!(
        "connect() returned after {took:.1?}: it waited for the three-way handshake"
    ));
    for message in messages {
        stream.write_all(message.as_bytes())?; // Python: client.sendall(…)
    }
    Ok(()) // dropping `stream` closes the connection
}
// ANCHOR_END: client

/// Both roles in one process. The server passes the turn just before it
/// calls `accept`; the client then holds back before each of its moves.
pub fn demo() -> io::Result<()> {
    let (server_turns, turns) = Turns::pair();
    runner::pair(
        move |listener| {
            server_turns.pass(); // "I am calling accept()"
            server(listener)
        },
        |addr| {
            let lane = Side::client();
            turns.wait()?;
            lane.say(format!(
                "holding back {HOLD:?} before connecting: the server sits inside accept() meanwhile"
            ));
            turns.hold_back(HOLD)?;
            // The message comes the way a person types it: after a while.
            let typed = [MESSAGE].into_iter().map(|message| {
                lane.say(format!(
                    "holding back {HOLD:?} before sending: the server sits inside recv() meanwhile"
                ));
                // A server that stopped meanwhile reports its own error.
                let _ = turns.hold_back(HOLD);
                message.to_owned()
            });
            client(addr, typed)
        },
    )?;
    narrate(format!(
        "accept() and recv() each waited for the client (the {HOLD:?} it held back); the thread could do nothing else meanwhile"
    ));
    narrate(
        "connect() on loopback waits microseconds; across the internet a round trip, to a dead host many seconds",
    );
    narrate("next: `demo broken`, the same programs with setblocking(False)");
    Ok(())
}
