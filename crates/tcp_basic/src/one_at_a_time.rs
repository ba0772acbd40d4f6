//! `one-at-a-time` (broken on purpose): the documents' server handles one
//! connection until it ends, then accepts the next. A second client can
//! connect (the kernel completes its handshake and queues it) but nobody
//! reads what it sends until the first client leaves (document 004 §4.3).
//! Lessons 07 (select) and 08 (threads) fix this.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::tcp::{PATIENCE, RECV_SIZE, is_timeout};
use classroom::{Side, Traced, narrate, runner};

use crate::chat::{QUIT, ended_by_client};

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// How long client 2 listens for an answer before it reports there is none.
pub const ANSWER_WAIT: Duration = Duration::from_millis(300);

// ANCHOR: server
/// The server's half for one client: answer `ok: …` to each message until
/// `q` or the client leaves.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    // Talked to like `chat`, by a person typing: up to 10 minutes a line.
    let mut conn = Traced::accepted(conn, peer)?.typed_by_a_person()?;
    let mut buf = [0u8; RECV_SIZE];
    // BUG: one connection at a time. Until this loop ends (when this client
    // leaves), nobody calls `accept` again, so the next client waits: for as
    // long as the first one keeps typing, a line every few minutes.
    // FIX: lesson 07 (select) and lesson 08 (a thread per client).
    loop {
        let n = conn.read(&mut buf)?;
        if ended_by_client(&conn, &buf[..n]) {
            return Ok(());
        }
        conn.write_all(&[b"ok: ", &buf[..n]].concat())?;
    }
}
// ANCHOR_END: server

/// Two clients against the one-at-a-time server; client 2's wait is measured.
pub fn demo() -> io::Result<()> {
    let waited = runner::pair(
        // The documents' `while True:` loop, for two clients.
        |listener| server(listener).and_then(|()| server(listener)),
        |addr| {
            let mut one = Traced::connected(TcpStream::connect(addr)?)?;
            one.write_all(b"hello from client 1")?;
            let _reply = one.read(&mut [0u8; RECV_SIZE])?;

            let mut two = Traced::new(TcpStream::connect(addr)?, Side::nth_client(2));
            two.say("connected: the kernel queued the connection, but nobody has accepted it");
            two.write_all(b"hello from client 2")?;
            let asked = Instant::now();
            two.set_read_timeout(Some(ANSWER_WAIT))?;
            match two.read(&mut [0u8; RECV_SIZE]) {
                Err(e) if is_timeout(&e) => two.say(format!(
                    "no answer within {ANSWER_WAIT:?}: the server is still busy with client 1"
                )),
                other => return Err(io::Error::other(format!("an answer too soon: {other:?}"))),
            }
            one.write_all(QUIT.as_bytes())?;
            drop(one);

            two.set_read_timeout(Some(PATIENCE))?;
            let _reply = two.read(&mut [0u8; RECV_SIZE])?;
            let waited = asked.elapsed();
            two.say(format!(
                "answered after {waited:.1?}: it waited for client 1 to leave"
            ));
            two.write_all(QUIT.as_bytes())?;
            Ok(waited)
        },
    )?;
    narrate(format!(
        "client 2 was connected the whole time, yet waited {waited:.1?}: this server serves one client at a time"
    ));
    narrate("lesson 07 (select) and lesson 08 (a thread per client) serve both at once");
    Ok(())
}
