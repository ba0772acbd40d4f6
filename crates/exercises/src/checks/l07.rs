//! Lesson 07: many clients in one thread, and edge-triggered reads.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::net::{listener, pair, wait_buffered};
use crate::{Stuck, Version, pick, within};

const SECOND: Duration = Duration::from_secs(1);

/// A server that serves `clients` clients, then returns.
pub type Server = fn(&TcpListener, usize) -> io::Result<()>;

/// Send `what` and wait up to a second for its echo.
fn echoed(conn: &mut TcpStream, what: &[u8]) -> io::Result<()> {
    conn.write_all(what)?;
    conn.set_read_timeout(Some(SECOND))?;
    let mut back = vec![0; what.len()];
    conn.read_exact(&mut back)?;
    if back == what {
        Ok(())
    } else {
        Err(io::Error::other("other bytes came back"))
    }
}

/// Client 1 connects and is echoed, then sits quiet while client 2 asks.
/// Also lesson 08's check of a thread per client.
pub fn quiet_client_keeps_nobody_waiting(serve: Server) -> Result<(), String> {
    let (listener, addr) = listener().map_err(|e| e.to_string())?;
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(serve(&listener, 2)));
    let mut first = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    echoed(&mut first, b"1").map_err(|e| format!("client 1 sent \"1\" and got no echo: {e}"))?;
    let mut second = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    if echoed(&mut second, b"2").is_err() {
        return Err("client 2 sent \"2\" and got no echo in 1 s, while client 1 sat quiet: your server is still waiting in client 1's read".into());
    }
    echoed(&mut first, b"1 again")
        .map_err(|e| format!("client 1 spoke again and got no echo: {e}"))?;
    if let Ok(returned) = result.try_recv() {
        return Err(format!(
            "the server returned ({returned:?}) while both clients were still connected: it must serve them until they leave"
        ));
    }
    drop((first, second));
    match result.recv_timeout(SECOND) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("the server failed: {e}")),
        Err(_) => Err("both clients closed 1 s ago, and the server has not returned".into()),
    }
}

pub fn serve(version: Version) -> Result<(), String> {
    quiet_client_keeps_nobody_waiting(pick!(version, serve::echo_server))
}

/// The bytes that arrived before the report, all in the receive buffer.
const WAITING: usize = 32 * 1024;

pub fn drained(version: Version) -> Result<(), String> {
    let on_readable = pick!(version, edge::on_readable);
    let (mut client, server) = pair().map_err(|e| e.to_string())?;
    client
        .write_all(&vec![b'e'; WAITING])
        .map_err(|e| e.to_string())?;
    wait_buffered(&server, WAITING, SECOND).map_err(|e| e.to_string())?;
    server.set_nonblocking(true).map_err(|e| e.to_string())?;
    let (server, got) = within(SECOND, move || {
        let mut server = server;
        let got = on_readable(&mut server);
        (server, got)
    })
    .map_err(|stuck| format!("on_readable() {stuck}"))?;
    let got = got.map_err(|e| format!("on_readable failed: {e}"))?;
    if got.len() < WAITING {
        return Err(format!(
            "on_readable read {} of the {WAITING} bytes waiting, and returned: edge-triggered epoll reports this socket again only when new bytes arrive, so the other {} would wait for ever",
            got.len(),
            WAITING - got.len()
        ));
    }
    match (&server).read(&mut [0; 1]) {
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(()),
        _ => Err("after on_readable, the socket still had bytes, or had been closed".into()),
    }
}

pub fn closed(version: Version) -> Result<(), String> {
    let on_readable = pick!(version, edge::on_readable);
    let (mut client, mut server) = pair().map_err(|e| e.to_string())?;
    client.write_all(b"0123456789").map_err(|e| e.to_string())?;
    client
        .shutdown(Shutdown::Write)
        .map_err(|e| e.to_string())?;
    wait_buffered(&server, 10, SECOND).map_err(|e| e.to_string())?;
    server.set_nonblocking(true).map_err(|e| e.to_string())?;
    match within(SECOND, move || on_readable(&mut server)) {
        Ok(Ok(got)) if got == b"0123456789" => Ok(()),
        Ok(Ok(got)) => Err(format!("on_readable returned {} bytes, not the 10 sent", got.len())),
        Ok(Err(e)) => Err(format!("on_readable failed: {e}")),
        Err(Stuck::Running(_)) => Err("on_readable was still running 1 s after the peer closed: at the end of the stream read() returns 0, every time; stop there".into()),
        Err(stuck) => Err(format!("on_readable() {stuck}")),
    }
}
