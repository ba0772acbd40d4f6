//! `edge` (document 002 §5: 水平触发 level-, 边缘触发 edge-triggered; Linux): with `EPOLLET`,
//! bytes left unread get no event. Both roles share one thread: every run prints the same.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use classroom::{Traced, narrate};
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use crate::read_echo;

/// One read's size: small, so one read cannot take the whole message.
pub const READ_SIZE: usize = 8;
/// What the client sends, in one write; then it waits for the echo.
pub const MESSAGE: &[u8] = b"one\ntwo\nthree\n";
/// What a stalled client sends next: new bytes, so a new edge.
pub const MORE: &[u8] = b"four\n";
/// Edge-triggered: reported when new bytes arrive, not while some are left.
const EDGE: EpollFlags = EpollFlags::EPOLLIN.union(EpollFlags::EPOLLET);
/// A wait this long with no event stands for "no event is coming".
const QUIET_MS: u16 = 50;

// ANCHOR: reads
/// One read per wake-up: enough when level-triggered, because the kernel
/// reports the socket again while bytes are left.
pub fn read_once(conn: &mut Traced<TcpStream>) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; READ_SIZE];
    match conn.read(&mut buf) {
        Ok(n) => Ok(buf[..n].to_vec()),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(Vec::new()), // a hint, no more
        Err(e) => Err(e),
    }
}

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
// ANCHOR_END: reads

/// Level-triggered; edge-triggered (stalls); edge-triggered, reading more.
pub fn demo() -> io::Result<()> {
    narrate("1. level-triggered (EPOLLIN), one 8-byte read per wake-up");
    run(EpollFlags::EPOLLIN, read_once, &[MESSAGE])?;
    narrate("2. edge-triggered (EPOLLIN | EPOLLET), one 8-byte read per wake-up");
    // ANCHOR: edge_broken
    // BUG: edge-triggered reports new bytes once; one read leaves the rest
    // unread, and no event comes for it until more bytes arrive.
    run(EDGE, read_once, &[MESSAGE, MORE])?;
    // ANCHOR_END: edge_broken
    narrate("3. edge-triggered (EPOLLIN | EPOLLET), reading until WouldBlock");
    run(EDGE, read_until_would_block, &[MESSAGE])?;
    narrate("level-triggered: reported while bytes are left; edge-triggered: when new ones come");
    narrate("\"four\\n\" woke case 2 again while 6 bytes waited unread: each arrival is an edge");
    narrate("with EPOLLET, read (and accept, and write) until WouldBlock, or a client stalls");
    Ok(())
}

type Reader = fn(&mut Traced<TcpStream>) -> io::Result<Vec<u8>>;

/// One connection, registered with `flags`: per message, read with `read` and echo until no event.
fn run(flags: EpollFlags, read: Reader, messages: &[&[u8]]) -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let mut client = Traced::client(TcpStream::connect(listener.local_addr()?)?);
    let (conn, _) = listener.accept()?;
    conn.set_nonblocking(true)?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    epoll.add(&conn, EpollEvent::new(flags, 1))?;
    let mut conn = Traced::server(conn);
    client.set_read_timeout(Some(Duration::from_millis(QUIET_MS.into())))?;
    let (mut events, mut wakeup, mut sent, mut back) = ([EpollEvent::empty(); 1], 0, 0, 0);
    for message in messages {
        client.write_all(message)?;
        sent += message.len();
        let mut wait = 5000; // the first event is surely coming
        while epoll.wait(&mut events, EpollTimeout::from(wait))? > 0 {
            (wakeup, wait) = (wakeup + 1, QUIET_MS);
            conn.say(format!("epoll_wait(): readable (wake-up {wakeup})"));
            let got = read(&mut conn)?;
            conn.write_all(&got)?; // a few bytes: the send buffer takes them
        }
        // MSG_PEEK: look at the receive buffer without taking anything.
        let unread = conn.peek(&mut [0u8; 64]).or_else(|e| match e.kind() {
            ErrorKind::WouldBlock => Ok(0),
            _ => Err(e),
        })?;
        conn.say(format!("epoll_wait(): no event within {QUIET_MS} ms; {unread} bytes still unread in the receive buffer"));
        back += read_echo(&mut client, sent - back)?.len();
        client.say(match back < sent {
            true => format!("got {back} of {sent} bytes back; nothing more within {QUIET_MS} ms: stalled until it sends more"),
            false => format!("got all {sent} bytes back"),
        });
    }
    Ok(())
}
