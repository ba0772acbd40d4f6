//! `one-at-a-time` (broken on purpose): the documents' server handles one
//! connection until it ends, then accepts the next. A second client can
//! connect (the kernel completes its handshake and queues it) but nobody
//! reads what it sends until the first client leaves (document 004 §4.3).
//! Lessons 07 (select) and 08 (threads) fix this.

use std::io::{self, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use classroom::{Side, narrate, run_roles};

use classroom::tcp::recv_once;

use crate::chat;

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// How long client 2 listens for an answer before it reports there is none.
pub const ANSWER_WAIT: Duration = Duration::from_millis(300);

// ANCHOR: serve
/// The server's half for one client: answer `ok: …` to each message until
/// `q` or the client leaves. While this runs, nobody calls `accept`.
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    loop {
        let message = recv_once(&mut conn, out)?;
        if message.is_empty() || message == chat::QUIT.as_bytes() {
            return Ok(());
        }
        let reply = [b"ok: ".as_slice(), &message].concat();
        out.sent(&reply);
        conn.write_all(&reply)?;
    }
}
// ANCHOR_END: serve

/// Two clients against the one-at-a-time server; client 2's wait is measured.
pub fn demo() -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}"));
    let (accepted_tx, accepted) = mpsc::channel();
    let waited = run_roles(
        move || {
            // ANCHOR: accept_loop
            for _ in 0..2 {
                let (conn, peer) = listener.accept()?;
                server.say(format!("accepted a connection from {peer}"));
                let _ = accepted_tx.send(());
                // BUG: one connection at a time. The loop gets back to
                // `accept` only when `serve` returns: when this client leaves.
                // FIX: lesson 07 (select) and lesson 08 (a thread per client).
                serve(conn, &mut server)?;
            }
            // ANCHOR_END: accept_loop
            Ok(())
        },
        || {
            let mut one = Side::nth_client(1);
            let mut first = TcpStream::connect(addr)?;
            let _ = accepted.recv();
            send(&mut first, &mut one, "hello from client 1")?;
            recv_once(&mut first, &mut one)?;

            let mut two = Side::nth_client(2);
            let mut second = TcpStream::connect(addr)?;
            two.say("connected: the kernel queued the connection, but nobody has accepted it");
            send(&mut second, &mut two, "hello from client 2")?;
            let asked = Instant::now();
            second.set_read_timeout(Some(ANSWER_WAIT))?;
            match recv_once(&mut second, &mut two) {
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    two.say(format!(
                        "no answer within {ANSWER_WAIT:?}: the server is still busy with client 1"
                    ));
                }
                other => {
                    return Err(io::Error::other(format!(
                        "client 2 was expected to get no answer yet, got {other:?}"
                    )));
                }
            }
            send(&mut first, &mut one, chat::QUIT)?;
            drop(first);

            second.set_read_timeout(None)?;
            recv_once(&mut second, &mut two)?;
            let waited = asked.elapsed();
            two.say(format!(
                "answered after {waited:.1?}: it waited for client 1 to leave"
            ));
            send(&mut second, &mut two, chat::QUIT)?;
            Ok(waited)
        },
    )?;
    narrate(format!(
        "client 2 was connected the whole time, yet waited {waited:.1?}: this server serves one client at a time"
    ));
    narrate("lesson 07 (select) and lesson 08 (a thread per client) serve both at once");
    Ok(())
}

fn send(stream: &mut TcpStream, out: &mut Side, text: &str) -> io::Result<()> {
    out.sent(text.as_bytes());
    stream.write_all(text.as_bytes())
}
