//! `nagle`: many tiny writes in a tight loop (documents 000 and 004,
//! tcp的合包机制). Nagle's algorithm (on by default) holds small writes back
//! while earlier data is unacknowledged, so fewer segments leave than
//! writes went in. `TCP_NODELAY` turns it off, which gives the receiver no
//! messages back, and the kernel still decides the segments (congestion
//! window, autocorking on Linux): the counts are measurements, and the demo
//! claims only what holds on every run.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

use classroom::tcp::RECV_SIZE;
use classroom::{Traced, narrate};

use crate::tcp_info::{NEEDS_LINUX, segments_sent};
use crate::wait::wait_until_buffered;

/// How many one-byte writes each burst makes.
pub const SENDS: usize = 1000;

// ANCHOR: tiny_sends
/// The client's half: `count` writes of one byte each (the digits 0 to 9
/// over and over), as fast as the loop goes.
pub fn tiny_sends(stream: &mut TcpStream, count: usize) -> io::Result<()> {
    for digit in b"0123456789".iter().cycle().take(count) {
        stream.write_all(&[*digit])?;
    }
    Ok(())
}
// ANCHOR_END: tiny_sends

/// What one burst of tiny writes turned into.
#[derive(Debug, Clone)]
pub struct Burst {
    /// How many segments carried the writes (Linux only).
    pub segments: Option<u32>,
    /// What the receiver's one late `recv(1024)` got.
    pub read: Vec<u8>,
}

// ANCHOR: burst
/// [`SENDS`] one-byte writes with Nagle on or off; the segments they left
/// in, counted by the kernel; and one late `recv(1024)` on the other end.
pub fn burst(nodelay: bool) -> io::Result<Burst> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut client = Traced::client(TcpStream::connect(listener.local_addr()?)?);
    let mut conn = Traced::server(listener.accept()?.0);
    client.set_nodelay(nodelay)?; // TCP_NODELAY: true turns Nagle off
    let how = match nodelay {
        true => "TCP_NODELAY on (Nagle off)",
        false => "Nagle's algorithm on (the default)",
    };
    client.say(format!(
        "{SENDS} writes of 1 byte, {how}; not printed one by one"
    ));
    let before = segments_sent(&client).ok();
    tiny_sends(client.get_mut(), SENDS)?; // get_mut: the writes are not printed
    // Once every byte is in the receiver's buffer, every segment has left.
    let waiting = wait_until_buffered(&conn, SENDS)?;
    let segments = before.zip(segments_sent(&client).ok()).map(|(b, a)| a - b);
    client.say(match segments {
        Some(n) => format!("TCP_INFO: they left in {n} segments"),
        None => NEEDS_LINUX.to_owned(),
    });
    conn.say(format!(
        "{waiting} bytes are waiting in the receive buffer; now one recv({RECV_SIZE})"
    ));
    let mut buf = [0u8; RECV_SIZE];
    let n = conn.read(&mut buf)?;
    Ok(Burst {
        segments,
        read: buf[..n].to_vec(),
    })
}
// ANCHOR_END: burst

/// `1000 writes → 140 segments → 1 recv`, with `?` for the segments where
/// the kernel does not count them.
fn summary(name: &str, burst: &Burst) -> String {
    let segments = burst.segments.map_or("?".into(), |n| n.to_string());
    let got = burst.read.len();
    format!("{name}: {SENDS} writes → {segments} segments → 1 recv of {got} bytes")
}

/// Both bursts, Nagle on then off, with what holds every run.
pub fn demo() -> io::Result<()> {
    let nagle = burst(false)?;
    narrate(summary("Nagle on", &nagle));
    if let Some(segments) = nagle.segments {
        let fewer = if (segments as usize) < SENDS {
            "yes"
        } else {
            "no"
        };
        narrate(format!("fewer segments than writes: {fewer}"));
    }
    let nodelay = burst(true)?;
    narrate(summary("TCP_NODELAY", &nodelay));
    narrate(
        "TCP_NODELAY changes when the sender sends, not what a recv returns: still no boundaries",
    );
    narrate(
        "how many segments is the kernel's choice: TCP_NODELAY removes Nagle's wait, nothing more",
    );
    Ok(())
}
