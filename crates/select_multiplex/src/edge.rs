//! `edge` (document 002 §5: 水平触发 level-triggered, 边缘触发
//! edge-triggered). Linux only.
//!
//! `select`, `poll` and `epoll` by default are **level-triggered**: as long
//! as unread bytes sit in a socket's receive buffer, every wait reports the
//! socket again. So reading once per wake-up is fine; what is left is
//! reported next time.
//!
//! `epoll` can also be **edge-triggered** (`EPOLLET`): it reports a socket
//! when new bytes *arrive*, once, and says nothing more about bytes that
//! stay unread. Read once and leave some behind, and no event will ever come
//! for them, unless the client sends more. A client that sends a request
//! and waits for the answer waits for ever. The rule with `EPOLLET`: on each
//! wake-up, read until the socket says it would block.
//!
//! The demo runs both roles in one thread, one step at a time, so every run
//! prints the same; a bounded `epoll_wait` (50 ms) proves no event comes.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use classroom::{Side, narrate};
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use crate::read_echo;

/// How much one read takes: small on purpose, so one read cannot take the
/// whole message. With 1024 the same happens to any message over 1024.
pub const READ_SIZE: usize = 8;

/// Three messages the client sends in one write, then it waits for the echo.
pub const MESSAGE: &[u8] = b"one\ntwo\nthree\n";

/// The first wait: the bytes are on their way, give them time to arrive.
const FIRST_WAIT_MS: u16 = 5000;

/// Then a wait this long with no event stands for "no event is coming".
const QUIET_MS: u16 = 50;

/// How a wake-up reads: [`read_once`] or [`read_until_would_block`].
type Reader = fn(&mut TcpStream, &mut Side) -> io::Result<Vec<u8>>;

// ANCHOR: read_once
/// One read per wake-up: enough when level-triggered, because the kernel
/// reports the socket again while bytes are left.
pub fn read_once(conn: &mut TcpStream, out: &mut Side) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; READ_SIZE];
    match conn.read(&mut buf) {
        Ok(n) => {
            out.received(&buf[..n]);
            Ok(buf[..n].to_vec())
        }
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
            Ok(Vec::new())
        }
        Err(e) => Err(e),
    }
}
// ANCHOR_END: read_once

// ANCHOR: read_until_would_block
/// Read until the receive buffer is empty: what edge-triggered needs.
pub fn read_until_would_block(conn: &mut TcpStream, out: &mut Side) -> io::Result<Vec<u8>> {
    let mut got = Vec::new();
    loop {
        let mut buf = [0u8; READ_SIZE];
        match conn.read(&mut buf) {
            Ok(0) => return Ok(got), // EOF: nothing more will come
            Ok(n) => {
                out.received(&buf[..n]);
                got.extend_from_slice(&buf[..n]);
            }
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
        "level-triggered reports a socket while bytes are left; edge-triggered reports only the arrival of new bytes",
    );
    narrate(
        "with EPOLLET, read (and accept, and write) until WouldBlock on every wake-up, or a client can stall",
    );
    Ok(())
}

/// One client, one connection registered with `flags`; the client sends
/// [`MESSAGE`] in one write; the server wakes up, reads with `read`, and
/// echoes, until a wait of [`QUIET_MS`] brings no event.
fn run(flags: EpollFlags, read: Reader) -> io::Result<()> {
    let (mut server, mut client) = (Side::server(), Side::client());
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let mut stream = TcpStream::connect(listener.local_addr()?)?;
    let (mut conn, _) = listener.accept()?;
    conn.set_nonblocking(true)?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    epoll.add(&conn, EpollEvent::new(flags, 1))?;

    client.sent(MESSAGE);
    stream.write_all(MESSAGE)?;
    let mut wakeups = 0;
    loop {
        let wait = if wakeups == 0 {
            FIRST_WAIT_MS
        } else {
            QUIET_MS
        };
        let mut events = [EpollEvent::empty(); 1];
        if epoll.wait(&mut events, EpollTimeout::from(wait))? == 0 {
            break;
        }
        wakeups += 1;
        server.say(format!(
            "epoll_wait(): the connection is readable (wake-up {wakeups})"
        ));
        let got = read(&mut conn, &mut server)?;
        server.sent(&got);
        conn.write_all(&got)?; // a few bytes: the send buffer takes them
    }
    let unread = match conn.peek(&mut [0u8; 64]) {
        Ok(n) => n,
        Err(e) if e.kind() == ErrorKind::WouldBlock => 0,
        Err(e) => return Err(e),
    };
    server.say(format!(
        "epoll_wait(): no event within {QUIET_MS} ms; {unread} bytes still unread in the receive buffer"
    ));

    stream.set_read_timeout(Some(Duration::from_millis(QUIET_MS.into())))?;
    let echo = read_echo(&mut stream, MESSAGE.len())?;
    client.received(&echo);
    if echo.len() < MESSAGE.len() {
        client.say(format!(
            "got {} of {} bytes back; nothing more within {QUIET_MS} ms: stalled, waiting for an answer that will not come",
            echo.len(),
            MESSAGE.len()
        ));
    } else {
        client.say(format!("got all {} bytes back", MESSAGE.len()));
    }
    Ok(())
}
