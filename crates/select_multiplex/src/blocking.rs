//! `blocking` (broken on purpose; document 002 §4 阻塞): one thread and
//! blocking calls. `accept` waits for a client, then `read` waits for *that*
//! client, so while client 1 stays connected, client 2 is connected (the
//! kernel finished its handshake) but nobody reads what it sends. Lesson 01's
//! one-at-a-time server, now as an echo server; `demo select` fixes it
//! without a second thread.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use classroom::tcp::serve_forever;
use classroom::{Side, narrate, run_roles};

use crate::{RECV_SIZE, bind_listener, send_and_check};

/// How long client 2 listens for its echo before it reports there is none.
pub const PATIENCE: Duration = Duration::from_millis(200);

// ANCHOR: serve_one
/// Echo everything one client sends until it leaves. Every `read` blocks
/// until *this* client sends: nobody else is served meanwhile.
pub fn serve_one(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let n = conn.read(&mut buf)?; // blocks until this client sends or leaves
        if n == 0 {
            out.eof();
            return Ok(());
        }
        out.received(&buf[..n]);
        out.sent(&buf[..n]);
        conn.write_all(&buf[..n])?;
    }
}
// ANCHOR_END: serve_one

/// `server blocking`: accept, serve that client until it leaves, repeat:
/// the documents' one-client-at-a-time loop that every lesson shares
/// ([`serve_forever`]), so a client silent for [`classroom::tcp::PATIENCE`]
/// is given up on and cannot hold a classroom server for ever.
pub fn run_server(addr: SocketAddr) -> io::Result<()> {
    serve_forever(addr, serve_one)
}

/// Two clients against the blocking server; client 2's wait is measured.
pub fn demo() -> io::Result<()> {
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}: one thread, blocking calls"));
    let (accepted_tx, accepted) = mpsc::channel();
    let waited = run_roles(
        move || {
            // ANCHOR: accept_loop
            for _ in 0..2 {
                let (conn, peer) = listener.accept()?; // blocks until a client comes
                server.say(format!("accepted {peer}; serving it until it leaves"));
                let _ = accepted_tx.send(());
                // BUG: back to accept() only when this client has left: the
                // next client waits, connected but unanswered.
                // FIX: `demo select`: one thread watches every socket.
                serve_one(conn, &mut server)?;
            }
            // ANCHOR_END: accept_loop
            Ok(())
        },
        || clients(addr, &accepted),
    )?;
    narrate(format!(
        "client 2 was connected the whole time, yet waited {waited:.1?}: blocking calls serve one client at a time"
    ));
    narrate(
        "`demo select` serves both from one thread, by asking which socket is ready before reading",
    );
    Ok(())
}

fn clients(addr: SocketAddr, accepted: &mpsc::Receiver<()>) -> io::Result<Duration> {
    let mut one = Side::nth_client(1);
    one.say("connecting");
    let mut first = crate::connect(addr)?;
    let _ = accepted.recv();
    send_and_check(&mut first, &mut one, b"hello from client 1")?;

    let mut two = Side::nth_client(2);
    let mut second = crate::connect(addr)?;
    two.say("connected: the kernel finished the handshake, but nobody called accept() for me");
    let message = b"hello from client 2";
    two.sent(message);
    second.write_all(message)?;
    let asked = Instant::now();
    second.set_read_timeout(Some(PATIENCE))?;
    let mut buf = [0u8; RECV_SIZE];
    match second.read(&mut buf) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            two.say(format!(
                "no echo within {PATIENCE:?}: the server is blocked in read() on client 1"
            ));
        }
        other => {
            return Err(io::Error::other(format!(
                "client 2 was expected to get no echo yet, got {other:?}"
            )));
        }
    }
    one.say("closing");
    drop(first);

    // Now the echo must come: wait as long as a server waits for a client.
    second.set_read_timeout(Some(classroom::tcp::PATIENCE))?;
    let echo = crate::read_echo(&mut second, message.len())?;
    two.received(&echo);
    let waited = asked.elapsed();
    two.say(format!(
        "echoed after {waited:.1?}: it waited for client 1 to leave"
    ));
    two.say("closing");
    Ok(waited)
}
