//! `scaling` (document 002 §5: select and poll scan every descriptor on
//! every call; epoll does not), measured with the servers' own pieces.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::{Side, narrate, units};
use socket2::SockRef;

use crate::multiplex::{Conn, Kind};
use crate::os::raise_open_files;

/// How many idle connections each row has open.
pub const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];
/// Round trips timed per cell; the median is shown.
pub const ROUNDS: usize = 200;
/// Round trips run first and not timed (caches, branch predictors).
const WARMUP: usize = 20;
/// Idle connections queued on one listener: below every kernel's cap (128).
const PER_LISTENER: usize = 100;

/// The descriptors a row with `n` idle connections needs, with room to spare.
pub fn descriptors_for(n: usize) -> u64 {
    (n + n / PER_LISTENER + 64) as u64
}

/// One row: the median round trip beside `n` idle connections for select,
/// poll and epoll (`None`: where select's sets are full, epoll off Linux).
pub fn medians(n: usize, rounds: usize) -> io::Result<[Option<Duration>; 3]> {
    // The busy pair first, so that it gets low descriptor numbers; one-byte
    // messages must go out at once, not wait for Nagle.
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (busy, peer) = listener.accept()?;
    client.set_nodelay(true)?;
    busy.set_nodelay(true)?;
    client.set_read_timeout(Some(Duration::from_secs(10)))?; // a broken run fails
    // What a server's loop would watch: the busy connection (token 0), then
    // idle connections whose other ends wait in accept queues, unaccepted.
    let (mut conns, mut listeners) = (vec![Conn::new(busy, peer, Side::quiet())?], Vec::new());
    while conns.len() <= n {
        let listener = crate::bind_listener(classroom::cli::ephemeral())?;
        let addr = listener.local_addr()?;
        for _ in 0..PER_LISTENER.min(n + 1 - conns.len()) {
            let stream = TcpStream::connect(addr)?;
            // Close with a reset: no TIME_WAIT left behind by thousands.
            SockRef::from(&stream).set_linger(Some(Duration::ZERO))?;
            conns.push(Conn::new(stream, addr, Side::quiet())?);
        }
        listeners.push(listener);
    }
    let kinds = [Kind::Select, Kind::Poll, Kind::Epoll];
    let [select, poll, epoll] = kinds.map(|kind| median(kind, &client, &mut conns, rounds.max(1)));
    Ok([select?, poll?, epoll?])
}

// ANCHOR: round_trip
/// The median round trip while `kind` waits (`None`: it cannot watch these): a byte
/// sent; `kind` waits (steps 1-3); the busy connection's `on_ready` (4) echoes it.
fn median(
    kind: Kind,
    client: &TcpStream,
    conns: &mut [Conn],
    rounds: usize,
) -> io::Result<Option<Duration>> {
    let Ok(mut readiness) = kind.readiness() else {
        return Ok(None);
    }; // epoll off Linux
    for (token, conn) in (0..).zip(&*conns) {
        match readiness.watch(token, conn.as_fd(), false) {
            Err(_) if kind == Kind::Select => return Ok(None), // its sets are full
            watched => watched?,
        }
    }
    let mut times = Vec::with_capacity(rounds);
    for round in 0..WARMUP + rounds {
        let start = Instant::now();
        (&*client).write_all(b"x")?;
        loop {
            let mut watched = (0..).zip(&*conns).map(|(t, c)| (t, c.as_fd(), false));
            if readiness.wait(&mut watched, None)?.contains(&0) {
                break;
            }
        }
        conns[0].on_ready()?;
        (&*client).read_exact(&mut [0u8; 1])?;
        if round >= WARMUP {
            times.push(start.elapsed());
        }
    }
    times.sort();
    Ok(Some(times[times.len() / 2]))
}
// ANCHOR_END: round_trip

/// What the table shows.
const NOTES: [&str; 3] = [
    "select and poll hand the kernel every watched descriptor on every call, and it checks each one",
    "epoll_wait only collects the ready list: its cost follows the ready sockets, not the watched ones",
    "measured on {cores} CPU cores: the numbers change from machine to machine, the shape does not",
];

/// The demo: the table, row by row.
pub fn demo() -> io::Result<()> {
    let (soft, limits) = raise_open_files(descriptors_for(SIZES[SIZES.len() - 1]))?;
    Side::server().say(limits);
    narrate("a round trip: 1 byte sent, reported by the wait call, echoed back; median of 200");
    println!("| idle connections |     select |       poll |      epoll |");
    println!("|-----------------:|-----------:|-----------:|-----------:|");
    for n in SIZES {
        let (shown, need) = (units::thousands(n as u64), descriptors_for(n));
        let mut cells = ["n/a", "skipped", "skipped"].map(String::from);
        if soft >= need {
            cells = medians(n, ROUNDS)?.map(|m| m.map_or("n/a".into(), units::time));
        }
        let [select, poll, epoll] = cells;
        println!("| {shown:>16} | {select:>10} | {poll:>10} | {epoll:>10} |");
        if soft < need {
            narrate(format!("{shown} idle connections need {need} descriptors"));
        }
    }
    let cores = std::thread::available_parallelism()?.to_string();
    for note in NOTES {
        narrate(note.replace("{cores}", &cores));
    }
    Ok(())
}
