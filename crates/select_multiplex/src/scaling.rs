//! `scaling` (document 002 §5: select and poll scan every descriptor on
//! every call; epoll does not), measured. One busy connection and N idle
//! ones are open; a round trip is: the busy client sends one byte, the wait
//! call reports the server's end readable, the server echoes the byte, the
//! client reads it back. The idle connections never send, yet `select` and
//! `poll` hand all of them to the kernel on every call.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use classroom::{Side, narrate, units};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::select::{FdSet, select};
use socket2::{Domain, SockRef, Socket, Type};

use crate::multiplex::Kind;
use crate::rlimit::raise_open_files;

/// How many idle connections each row has open.
pub const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// Round trips timed per cell; the median is shown.
pub const ROUNDS: usize = 200;

/// Round trips run first and not timed (caches, branch predictors).
const WARMUP: usize = 20;

/// Idle connections queued on one listener: below every kernel's cap on
/// the accept queue (128 on older Linux and on macOS).
const PER_LISTENER: usize = 100;

/// The descriptors a row with `n` idle connections needs, with room to spare.
pub fn descriptors_for(n: usize) -> u64 {
    (n + n / PER_LISTENER + 64) as u64
}

/// One busy connection and `n` idle ones: one row of the table (the bench
/// measures more rows, for longer). Each idle connection costs one
/// descriptor: its other end is never accepted and waits in a listener's
/// accept queue (the kernel completes the handshake before `accept`).
pub struct Connections {
    busy_client: TcpStream,
    busy_server: TcpStream,
    idle: Vec<TcpStream>,
    /// Hold the idle connections' other ends in their accept queues.
    _listeners: Vec<TcpListener>,
    /// Round trips timed per measurement.
    rounds: usize,
}

impl Connections {
    /// Open the busy pair and `n` idle connections; each measurement will
    /// time `rounds` round trips. The caller raises the descriptor limit
    /// first ([`descriptors_for`]).
    pub fn open(n: usize, rounds: usize) -> io::Result<Connections> {
        // The busy pair first, so that it gets low descriptor numbers.
        let listener = TcpListener::bind(classroom::cli::ephemeral())?;
        let busy_client = TcpStream::connect(listener.local_addr()?)?;
        let (busy_server, _) = listener.accept()?;
        // One-byte messages must go out at once, not wait for Nagle.
        busy_client.set_nodelay(true)?;
        busy_server.set_nodelay(true)?;
        let mut idle = Vec::with_capacity(n);
        let mut listeners = Vec::with_capacity(n.div_ceil(PER_LISTENER));
        while idle.len() < n {
            let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
            socket.bind(&classroom::cli::ephemeral().into())?;
            socket.listen(PER_LISTENER as i32 + 1)?;
            let listener: TcpListener = socket.into();
            let addr = listener.local_addr()?;
            for _ in 0..PER_LISTENER.min(n - idle.len()) {
                let stream = TcpStream::connect(addr)?;
                // Close with a reset: no TIME_WAIT left behind by thousands
                // of connections when the row is done.
                SockRef::from(&stream).set_linger(Some(Duration::ZERO))?;
                idle.push(stream);
            }
            listeners.push(listener);
        }
        Ok(Connections {
            busy_client,
            busy_server,
            idle,
            _listeners: listeners,
            rounds: rounds.max(1),
        })
    }

    /// The median round trip while `kind` waits, or `None` where `kind`
    /// cannot watch these connections: `select` past descriptor 1023, or
    /// `epoll` off Linux.
    pub fn median(&self, kind: Kind) -> Option<io::Result<Duration>> {
        match kind {
            Kind::Select => self.with_select(),
            Kind::Poll => Some(self.with_poll()),
            #[cfg(target_os = "linux")]
            Kind::Epoll => Some(self.with_epoll()),
            #[cfg(not(target_os = "linux"))]
            Kind::Epoll => None,
        }
    }

    /// The median round trip, with `wait` returning once the busy server
    /// end is readable.
    fn round_trip(&self, mut wait: impl FnMut() -> io::Result<()>) -> io::Result<Duration> {
        let mut times = Vec::with_capacity(self.rounds);
        let mut byte = [0u8; 1];
        for round in 0..WARMUP + self.rounds {
            let start = Instant::now();
            (&self.busy_client).write_all(b"x")?;
            wait()?;
            (&self.busy_server).read_exact(&mut byte)?;
            (&self.busy_server).write_all(&byte)?;
            (&self.busy_client).read_exact(&mut byte)?;
            if round >= WARMUP {
                times.push(start.elapsed());
            }
        }
        times.sort();
        Ok(times[times.len() / 2])
    }

    /// select(): the set of every watched descriptor, copied in every call;
    /// `None` if one of them is numbered 1024 or more.
    fn with_select(&self) -> Option<io::Result<Duration>> {
        let (mut all, mut nfds) = (FdSet::new(), 0);
        for stream in self.idle.iter().chain([&self.busy_server]) {
            crate::select::watch(&mut all, stream.as_fd()).ok()?;
            nfds = nfds.max(stream.as_raw_fd() + 1); // the kernel looks at 0..nfds
        }
        Some(self.round_trip(|| {
            loop {
                let mut readable = all; // select() overwrites its argument
                select(nfds, &mut readable, None, None, None)?;
                if readable.contains(self.busy_server.as_fd()) {
                    return Ok(());
                }
            }
        }))
    }

    // ANCHOR: measure_poll
    /// poll(): an array of every watched descriptor, copied in every call.
    fn with_poll(&self) -> io::Result<Duration> {
        let mut fds: Vec<PollFd<'_>> = [&self.busy_server]
            .into_iter()
            .chain(&self.idle)
            .map(|stream| PollFd::new(stream.as_fd(), PollFlags::POLLIN))
            .collect();
        self.round_trip(|| {
            loop {
                poll(&mut fds, PollTimeout::NONE)?;
                if fds[0].any() == Some(true) {
                    return Ok(());
                }
            }
        })
    }
    // ANCHOR_END: measure_poll

    // ANCHOR: measure_epoll
    /// epoll: every descriptor registered once; each wait returns only what
    /// is ready.
    #[cfg(target_os = "linux")]
    fn with_epoll(&self) -> io::Result<Duration> {
        use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        epoll.add(&self.busy_server, EpollEvent::new(EpollFlags::EPOLLIN, 0))?;
        for (token, stream) in (1..).zip(&self.idle) {
            epoll.add(stream, EpollEvent::new(EpollFlags::EPOLLIN, token))?;
        }
        let mut events = [EpollEvent::empty(); 16];
        self.round_trip(|| {
            loop {
                let n = epoll.wait(&mut events, EpollTimeout::NONE)?;
                if events[..n].iter().any(|e| e.data() == 0) {
                    return Ok(());
                }
            }
        })
    }
    // ANCHOR_END: measure_epoll
}

/// The demo: the table, row by row.
pub fn demo() -> io::Result<()> {
    let limits = raise_open_files(descriptors_for(SIZES[SIZES.len() - 1]))?;
    Side::server().say(limits.describe());
    narrate(format!(
        "a round trip: 1 byte sent, reported by the wait call, echoed back; median of {ROUNDS}"
    ));
    println!("| idle connections |     select |       poll |      epoll |");
    println!("|-----------------:|-----------:|-----------:|-----------:|");
    for n in SIZES {
        let shown = units::thousands(n as u64);
        if limits.soft < descriptors_for(n) {
            let (na, skipped) = ("n/a", "skipped");
            println!("| {shown:>16} | {na:>10} | {skipped:>10} | {skipped:>10} |");
            let need = descriptors_for(n);
            narrate(format!(
                "{shown} idle connections need {need} descriptors; the hard limit allows fewer"
            ));
            continue;
        }
        let conns = Connections::open(n, ROUNDS)?;
        let mut cells = Vec::new();
        for kind in [Kind::Select, Kind::Poll, Kind::Epoll] {
            let median = conns.median(kind).transpose()?;
            cells.push(median.map_or("n/a".to_owned(), units::time));
        }
        println!(
            "| {shown:>16} | {:>10} | {:>10} | {:>10} |",
            cells[0], cells[1], cells[2]
        );
    }
    narrate(
        "select and poll hand the kernel every watched descriptor on every call, and it checks each one",
    );
    narrate(
        "epoll_wait only collects the ready list: its cost follows the ready sockets, not the watched ones",
    );
    narrate(format!(
        "measured on {} CPU cores: the numbers change from machine to machine, the shape does not",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    Ok(())
}
