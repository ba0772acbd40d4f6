//! `nagle`: many tiny writes in a tight loop. Nagle's algorithm (合包, on by
//! default) makes the sender hold small writes back while earlier data is
//! still unacknowledged and send them together, so fewer segments go out
//! than writes went in (documents 000 and 004, tcp的合包机制).
//!
//! `TCP_NODELAY` turns Nagle off: a write no longer waits for earlier data
//! to be acknowledged. A common misconception is that this gives you
//! messages back. It does not: the receiver still reads a stream, and a
//! `recv` still returns whatever has piled up in its buffer, whatever the
//! segments were. (Linux may even put several `TCP_NODELAY` writes in one
//! segment, when the one before has not left the machine yet: autocorking.)
//!
//! The counts change from run to run (they depend on how quickly the
//! acknowledgements come back and when the reader gets the processor); the
//! demo prints them and states only what holds every time.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::thread;

use classroom::{Side, narrate};

use crate::tcp_info::{NEEDS_LINUX, segments_sent};
use crate::{RECV_SIZE, connected_pair};

/// How many one-byte writes each burst makes.
pub const SENDS: usize = 1000;

// ANCHOR: tiny_sends
/// The client's half: `count` one-byte writes, as fast as the loop goes.
pub fn tiny_sends(stream: &mut TcpStream, count: usize) -> io::Result<()> {
    for _ in 0..count {
        stream.write_all(b"x")?;
    }
    Ok(())
}
// ANCHOR_END: tiny_sends

/// The server's half: `recv(1024)` until `expected` bytes came; returns the
/// size of every read.
pub fn read_sizes(conn: &mut TcpStream, expected: usize) -> io::Result<Vec<usize>> {
    let mut buf = [0u8; RECV_SIZE];
    let mut sizes = Vec::new();
    let mut total = 0;
    while total < expected {
        match conn.read(&mut buf)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                sizes.push(n);
                total += n;
            }
        }
    }
    Ok(sizes)
}

/// What one burst of tiny writes turned into.
#[derive(Debug, Clone)]
pub struct Burst {
    /// Whether `TCP_NODELAY` was on.
    pub nodelay: bool,
    /// How many writes went in.
    pub sends: usize,
    /// How many segments went out for them (Linux only).
    pub segments: Option<u32>,
    /// The size of every read that came out.
    pub reads: Vec<usize>,
}

// ANCHOR: burst
/// Send [`SENDS`] one-byte writes with Nagle on or off while a reader reads
/// them as they come, and count writes, segments and reads.
pub fn burst(nodelay: bool) -> io::Result<Burst> {
    let (mut client, mut server) = connected_pair()?;
    client.set_nodelay(nodelay)?; // TCP_NODELAY: true turns Nagle off
    let reader = thread::spawn(move || read_sizes(&mut server, SENDS));
    let before = segments_sent(&client).ok();
    tiny_sends(&mut client, SENDS)?;
    let reads = reader
        .join()
        .map_err(|_| io::Error::other("the reader panicked"))??;
    // Every byte has arrived, so every segment has been sent: count them.
    let after = segments_sent(&client).ok();
    let segments = before.zip(after).map(|(b, a)| a - b);
    Ok(Burst {
        nodelay,
        sends: SENDS,
        segments,
        reads,
    })
}
// ANCHOR_END: burst

/// Read sizes in four fixed buckets, so the line has the same shape every
/// run: `1 byte: 12, 2-9: 40, 10-99: 3, 100+: 0`.
pub fn histogram(reads: &[usize]) -> String {
    let count =
        |range: std::ops::RangeInclusive<usize>| reads.iter().filter(|n| range.contains(n)).count();
    format!(
        "1 byte: {}, 2-9: {}, 10-99: {}, 100+: {}",
        count(1..=1),
        count(2..=9),
        count(10..=99),
        count(100..=usize::MAX)
    )
}

fn yes(claim: bool) -> &'static str {
    if claim { "yes" } else { "no" }
}

fn report(burst: &Burst) -> String {
    let client = Side::client();
    let server = Side::server();
    let how = if burst.nodelay {
        "TCP_NODELAY on (Nagle off)"
    } else {
        "Nagle's algorithm on (the default)"
    };
    client.say(format!("{} sends of 1 byte each, {how}", burst.sends));
    let segments = match burst.segments {
        Some(n) => {
            client.say(format!("TCP_INFO: they went out in {n} segments"));
            n.to_string()
        }
        None => {
            client.say(NEEDS_LINUX);
            "?".into()
        }
    };
    let bytes: usize = burst.reads.iter().sum();
    server.say(format!(
        "{bytes} bytes arrived in {} recvs; recv sizes: {}",
        burst.reads.len(),
        histogram(&burst.reads)
    ));
    let name = if burst.nodelay {
        "TCP_NODELAY"
    } else {
        "Nagle on"
    };
    format!(
        "{name}: {} sends → {segments} segments → {} recvs",
        burst.sends,
        burst.reads.len()
    )
}

/// Both bursts, Nagle on then off, with what holds every run.
pub fn demo() -> io::Result<()> {
    let nagle = burst(false)?;
    narrate(report(&nagle));
    let fewer_reads = |b: &Burst| yes(b.reads.len() < b.sends);
    match nagle.segments {
        Some(segments) => narrate(format!(
            "fewer segments than sends: {}; fewer recvs than sends: {}",
            yes((segments as usize) < nagle.sends),
            fewer_reads(&nagle)
        )),
        None => narrate(format!("fewer recvs than sends: {}", fewer_reads(&nagle))),
    }

    let nodelay = burst(true)?;
    narrate(report(&nodelay));
    narrate(format!(
        "fewer recvs than sends: {}; other segments, the same stream: still no boundaries",
        fewer_reads(&nodelay)
    ));
    narrate(
        "TCP_NODELAY only stops the sender waiting for acknowledgements; a recv still returns whatever has piled up",
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_always_has_four_buckets() {
        assert_eq!(histogram(&[]), "1 byte: 0, 2-9: 0, 10-99: 0, 100+: 0");
        assert_eq!(
            histogram(&[1, 1, 2, 9, 10, 99, 100, 1024]),
            "1 byte: 2, 2-9: 2, 10-99: 2, 100+: 2"
        );
    }

    #[test]
    fn every_byte_arrives_whatever_the_segments() {
        for nodelay in [false, true] {
            let burst = burst(nodelay).unwrap();
            assert_eq!(burst.reads.iter().sum::<usize>(), SENDS);
            assert!(burst.reads.len() <= SENDS);
            #[cfg(target_os = "linux")]
            assert!(burst.segments.unwrap() >= 1);
        }
    }
}
