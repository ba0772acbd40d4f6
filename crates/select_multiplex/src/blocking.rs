//! `blocking` (broken on purpose; document 002 §4 阻塞): while `read` waits for client 1,
//! client 2 is connected but nobody reads what it sends. `demo select` fixes it.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use classroom::tcp::{PATIENCE, RECV_SIZE, is_timeout};
use classroom::{Side, Traced, narrate, runner};

use crate::read_echo;

// ANCHOR: server
/// One client's worth of the blocking server: accept, then echo until the
/// client leaves, or its patience (30 s in all) is up; nobody else is served
/// meanwhile. (`server blocking` calls this for client after client.)
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sock.accept()
    let mut conn = Traced::accepted(conn, peer)?;
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
    runner::pair(
        |listener| {
            // ANCHOR: accept_loop
            for _ in 0..2 {
                // BUG: back to accept() only when this client has left: the
                // next client waits, connected but unanswered.
                // FIX: `demo select`: one thread watches every socket.
                server(listener)?;
            }
            // ANCHOR_END: accept_loop
            Ok(())
        },
        clients,
    )?;
    narrate("client 2 was connected all along, yet waited for client 1 to leave: one at a time");
    narrate("`demo select` serves both from one thread, asking which socket is ready first");
    Ok(())
}

fn clients(addr: SocketAddr) -> io::Result<()> {
    let mut one = Traced::connected_as(TcpStream::connect(addr)?, Side::nth_client(1))?;
    one.set_read_timeout(Some(PATIENCE))?; // for a broken run only
    let hello = b"hello from client 1";
    one.write_all(hello)?;
    read_echo(&mut one, hello.len())?;
    let mut two = Traced::new(TcpStream::connect(addr)?, Side::nth_client(2));
    two.say("connected: the kernel finished the handshake, but nobody called accept() for me");
    let hello = b"hello from client 2";
    two.write_all(hello)?;
    two.set_read_timeout(Some(Duration::from_millis(200)))?; // then it says none came
    match two.read(&mut [0u8; RECV_SIZE]) {
        Err(e) if is_timeout(&e) => {
            two.say("no echo within 200ms: the server is in read() on client 1")
        }
        other => return Err(io::Error::other(format!("{other:?}, not silence"))),
    }
    one.say("closing");
    drop(one);
    // Now the echo must come: wait as long as a server waits for a client.
    two.set_read_timeout(Some(PATIENCE))?;
    read_echo(&mut two, hello.len())?;
    two.say("closing");
    Ok(())
}
