//! `blocking` (broken on purpose; document 002 §4 阻塞): one thread and
//! blocking calls. `accept` waits for a client, then `read` waits for *that*
//! client, so while client 1 stays connected, client 2 is connected (the
//! kernel finished its handshake) but nobody reads what it sends. Lesson 01's
//! one-at-a-time server, now as an echo server; `demo select` fixes it
//! without a second thread.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use classroom::tcp::{PATIENCE, RECV_SIZE, is_timeout};
use classroom::{Side, Traced, narrate, run_roles};

use crate::{bind_listener, echo_round, read_echo};

/// How long client 2 listens for its echo before it reports there is none.
pub const NO_ECHO_AFTER: Duration = Duration::from_millis(200);

// ANCHOR: server
/// One client's worth of the blocking server: accept, then echo what that
/// client sends until it leaves. Every call blocks: nobody else is served
/// meanwhile. (`server blocking` calls this again for the next client.)
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sock.accept()
    echo(Traced::accepted(conn, peer)?)
}

/// Echo everything one client sends until it leaves.
pub fn echo(mut conn: Traced<TcpStream>) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    loop {
        // Python: client_data = conn.recv(1024): blocks until *this* client
        // sends or leaves
        let n = conn.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        conn.write_all(&buf[..n])?;
    }
}
// ANCHOR_END: server

/// Two clients against the blocking server: client 2 waits for client 1.
pub fn demo() -> io::Result<()> {
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    Side::server().say(format!("listening on {addr}: one thread, blocking calls"));
    let (accepted_tx, accepted) = mpsc::channel();
    run_roles(
        move || {
            // ANCHOR: accept_loop
            for _ in 0..2 {
                let (conn, peer) = listener.accept()?; // blocks until a client comes
                let conn = Traced::accepted(conn, peer)?;
                let _ = accepted_tx.send(()); // client 1 speaks after this line
                // BUG: back to accept() only when this client has left: the
                // next client waits, connected but unanswered.
                // FIX: `demo select`: one thread watches every socket.
                echo(conn)?;
            }
            // ANCHOR_END: accept_loop
            Ok(())
        },
        || clients(addr, &accepted),
    )?;
    narrate(
        "client 2 was connected all along, yet waited for client 1 to leave: one client at a time",
    );
    narrate(
        "`demo select` serves both from one thread, by asking which socket is ready before reading",
    );
    Ok(())
}

fn clients(addr: SocketAddr, accepted: &mpsc::Receiver<()>) -> io::Result<()> {
    let mut one = Traced::new(TcpStream::connect(addr)?, Side::nth_client(1));
    let _ = accepted.recv();
    one.set_read_timeout(Some(PATIENCE))?;
    echo_round(&mut one, b"hello from client 1")?;

    let mut two = Traced::new(TcpStream::connect(addr)?, Side::nth_client(2));
    two.say("connected: the kernel finished the handshake, but nobody called accept() for me");
    let message = b"hello from client 2";
    two.write_all(message)?;
    two.set_read_timeout(Some(NO_ECHO_AFTER))?;
    match two.read(&mut [0u8; RECV_SIZE]) {
        Err(e) if is_timeout(&e) => two.say(format!(
            "no echo within {NO_ECHO_AFTER:?}: the server is blocked in read() on client 1"
        )),
        other => {
            return Err(io::Error::other(format!(
                "client 2 was expected to get no echo yet, got {other:?}"
            )));
        }
    }
    one.say("closing");
    drop(one);

    // Now the echo must come: wait as long as a server waits for a client.
    two.set_read_timeout(Some(PATIENCE))?;
    read_echo(&mut two, message.len())?;
    two.say("closing");
    Ok(())
}
