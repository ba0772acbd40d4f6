//! `edge` (document 002 §5: 水平触发 level-triggered, 边缘触发
//! edge-triggered). Linux only.
//!
//! By default `select`, `poll` and `epoll` are **level-triggered**: while
//! unread bytes sit in a socket's receive buffer, every wait reports it
//! again, so one read per wake-up is enough. Edge-triggered `epoll`
//! (`EPOLLET`) reports a socket once, when new bytes *arrive*: bytes left
//! unread get no further event, and a client waiting for its answer waits
//! for ever. With `EPOLLET`, read until the socket says it would block.
//!
//! The demo runs both roles in one thread, one step at a time, so every run
//! prints the same; a bounded `epoll_wait` (50 ms) shows no event comes.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use classroom::{Traced, narrate};
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use crate::read_echo;

/// How much one read takes: small on purpose, so one read cannot take the
/// whole message. With 1024 the same happens to any message over 1024.
pub const READ_SIZE: usize = 8;

/// Three messages the client sends in one write, then it waits for the echo.
pub const MESSAGE: &[u8] = b"one\ntwo\nthree\n";

/// A wait this long with no event stands for "no event is coming" (the
/// first wait, while the bytes are on their way, may take 5 s).
const QUIET_MS: u16 = 50;

// ANCHOR: read_once
/// One read per wake-up: enough when level-triggered, because the kernel
/// reports the socket again while bytes are left.
pub fn read_once(conn: &mut Traced<TcpStream>) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; READ_SIZE];
    match conn.read(&mut buf) {
        Ok(n) => Ok(buf[..n].to_vec()),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
            Ok(Vec::new())
        }
        Err(e) => Err(e),
    }
}
// ANCHOR_END: read_once

// ANCHOR: read_until_would_block
/// Read until the receive buffer is empty: what edge-triggered needs.
pub fn read_until_would_block(conn: &mut Traced<TcpStream>) -> io::Result<Vec<u8>> {
    let mut got = Vec::new();
    loop {
        let mut buf = [0u8; READ_SIZE];
        match conn.read(&mut buf) {
            Ok(0) => return Ok(got), // EOF: nothing more will come
            Ok(n) => got.extend_from_slice(&buf[..n]),
            // FIX: empty now. The next edge comes with the next new bytes.
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(got),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: read_until_would_block

/// Level-triggered with one read per wake-up; edge-triggered with one read
/// per wake-up (stalls); edge-triggered reading until it would block.
pub fn demo() -> io::Result<()> {
    narrate("1. level-triggered (EPOLLIN), one 8-byte read per wake-up");
    run(EpollFlags::EPOLLIN, read_once)?;
    narrate("2. edge-triggered (EPOLLIN | EPOLLET), one 8-byte read per wake-up");
    // ANCHOR: edge_broken
    // BUG: edge-triggered reports new bytes once; one read leaves the rest
    // unread, and no event will come for it.
    run(EpollFlags::EPOLLIN | EpollFlags::EPOLLET, read_once)?;
    // ANCHOR_END: edge_broken
    narrate("3. edge-triggered (EPOLLIN | EPOLLET), reading until WouldBlock");
    run(
        EpollFlags::EPOLLIN | EpollFlags::EPOLLET,
        read_until_would_block,
    )?;
    narrate(
        "level-triggered reports a socket while bytes are left; edge-triggered only when new bytes arrive",
    );
    narrate(
        "with EPOLLET, read (and accept, and write) until WouldBlock on each wake-up, or a client stalls",
    );
    Ok(())
}

/// One client, one connection registered with `flags`; the client sends
/// [`MESSAGE`] in one write; the server wakes up, reads with `read`, and
/// echoes, until a wait of [`QUIET_MS`] brings no event.
fn run(
    flags: EpollFlags,
    read: fn(&mut Traced<TcpStream>) -> io::Result<Vec<u8>>,
) -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let mut client = Traced::client(TcpStream::connect(listener.local_addr()?)?);
    let (conn, _) = listener.accept()?;
    conn.set_nonblocking(true)?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    epoll.add(&conn, EpollEvent::new(flags, 1))?;
    let mut conn = Traced::server(conn);

    client.write_all(MESSAGE)?;
    let mut wakeups = 0;
    loop {
        let wait = if wakeups == 0 { 5000 } else { QUIET_MS };
        let mut events = [EpollEvent::empty(); 1];
        if epoll.wait(&mut events, EpollTimeout::from(wait))? == 0 {
            break;
        }
        wakeups += 1;
        conn.say(format!(
            "epoll_wait(): the connection is readable (wake-up {wakeups})"
        ));
        let got = read(&mut conn)?;
        conn.write_all(&got)?; // a few bytes: the send buffer takes them
    }
    // MSG_PEEK: look at the receive buffer without taking anything.
    let unread = match conn.peek(&mut [0u8; 64]) {
        Ok(n) => n,
        Err(e) if e.kind() == ErrorKind::WouldBlock => 0,
        Err(e) => return Err(e),
    };
    conn.say(format!(
        "epoll_wait(): no event within {QUIET_MS} ms; {unread} bytes still unread in the receive buffer"
    ));

    client.set_read_timeout(Some(Duration::from_millis(QUIET_MS.into())))?;
    let echo = read_echo(&mut client, MESSAGE.len())?;
    if echo.len() < MESSAGE.len() {
        client.say(format!(
            "got {} of {} bytes back; nothing more within {QUIET_MS} ms: stalled, waiting for ever",
            echo.len(),
            MESSAGE.len()
        ));
    } else {
        client.say(format!("got all {} bytes back", MESSAGE.len()));
    }
    Ok(())
}
