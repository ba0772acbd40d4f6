//! `scaling` (document 002 §5: select and poll scan every descriptor on
//! every call; epoll does not). Measured here, not taken on trust.
//!
//! One busy connection and N idle ones are open. A round trip is: the busy
//! client sends one byte; the wait call (`select`, `poll` or `epoll_wait`)
//! reports the server's end readable; the server reads the byte and echoes
//! it; the client reads it back. The idle connections never send anything,
//! yet `select` and `poll` hand all of them to the kernel on every call and
//! the kernel checks each one. `epoll` registered them once and only
//! collects the ready list. The table shows the median of [`ROUNDS`] round
//! trips for N = 10, 100, 1,000 and 10,000.
//!
//! Each idle connection costs this process one descriptor: its other end is
//! never accepted and waits in a listener's accept queue (lesson 01: the
//! kernel completes the handshake before `accept`).

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::{Duration, Instant};

use classroom::{Side, narrate, units};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::select::{FD_SETSIZE, FdSet, select};
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

/// One busy connection and `n` idle ones: one row of the table.
/// `crates/bench` measures the same rows, more of them and for longer.
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
            Kind::Select => self.selectable().then(|| self.with_select()),
            Kind::Poll => Some(self.with_poll()),
            #[cfg(target_os = "linux")]
            Kind::Epoll => Some(self.with_epoll()),
            #[cfg(not(target_os = "linux"))]
            Kind::Epoll => None,
        }
    }

    /// Whether `select` can watch every descriptor here: it cannot watch
    /// one numbered `FD_SETSIZE` (1024) or more.
    fn selectable(&self) -> bool {
        usize::try_from(self.highest_fd()).is_ok_and(|fd| fd < FD_SETSIZE)
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

    fn highest_fd(&self) -> RawFd {
        let fds = self.idle.iter().map(AsRawFd::as_raw_fd);
        fds.chain([self.busy_server.as_raw_fd()]).max().unwrap_or(0)
    }

    /// select(): the set of every watched descriptor, copied in every call.
    fn with_select(&self) -> io::Result<Duration> {
        let mut all = FdSet::new();
        for stream in self.idle.iter().chain([&self.busy_server]) {
            crate::select::watch(&mut all, stream.as_fd())?;
        }
        // The kernel looks at descriptors 0 to nfds - 1.
        let nfds = self.highest_fd() + 1;
        self.round_trip(|| {
            loop {
                let mut readable = all; // select() overwrites its argument
                select(nfds, &mut readable, None, None, None)?;
                if readable.contains(self.busy_server.as_fd()) {
                    return Ok(());
                }
            }
        })
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

/// A cell of the table: a time, or why there is none.
fn cell(result: Option<io::Result<Duration>>) -> io::Result<(String, Option<Duration>)> {
    Ok(match result {
        None => ("n/a".to_owned(), None),
        Some(time) => {
            let time = time?;
            (units::time(time), Some(time))
        }
    })
}

/// The demo: the table, row by row.
pub fn demo() -> io::Result<()> {
    let largest = SIZES[SIZES.len() - 1];
    let limits = raise_open_files(descriptors_for(largest))?;
    Side::server().say(limits.describe());
    narrate(format!(
        "one round trip: a busy client sends 1 byte, the wait call reports it, the server echoes it; median of {ROUNDS}"
    ));
    println!("| idle connections |     select |       poll |      epoll |");
    println!("|-----------------:|-----------:|-----------:|-----------:|");
    // The rows select could measure, for the growth from first to last.
    let mut select_rows: Vec<(usize, [Option<Duration>; 3])> = Vec::new();
    for n in SIZES {
        if limits.soft < descriptors_for(n) {
            println!(
                "| {:>16} | {:>10} | {:>10} | {:>10} |",
                units::thousands(n as u64),
                "n/a",
                "skipped",
                "skipped"
            );
            narrate(format!(
                "{} idle connections need {} descriptors; the hard limit allows fewer",
                units::thousands(n as u64),
                descriptors_for(n)
            ));
            continue;
        }
        let conns = Connections::open(n, ROUNDS)?;
        let select = cell(conns.median(Kind::Select))?;
        let poll = cell(conns.median(Kind::Poll))?;
        let epoll = cell(conns.median(Kind::Epoll))?;
        println!(
            "| {:>16} | {:>10} | {:>10} | {:>10} |",
            units::thousands(n as u64),
            select.0,
            poll.0,
            epoll.0
        );
        if select.1.is_some() {
            select_rows.push((n, [select.1, poll.1, epoll.1]));
        }
    }
    if let (Some((low, first)), Some((high, last))) = (select_rows.first(), select_rows.last()) {
        let growth = |i: usize| match (first[i], last[i]) {
            (Some(a), Some(b)) => format!("x{:.1}", b.as_secs_f64() / a.as_secs_f64()),
            _ => "n/a".to_owned(),
        };
        narrate(format!(
            "from {} to {} idle connections, one round trip grew: select {}, poll {}, epoll {}",
            units::thousands(*low as u64),
            units::thousands(*high as u64),
            growth(0),
            growth(1),
            growth(2)
        ));
    }
    narrate(
        "select and poll hand the kernel every watched descriptor on every call, and it checks each one",
    );
    narrate(
        "epoll_wait only collects the ready list: its cost follows the ready sockets, not the watched ones",
    );
    narrate(format!(
        "measured on {} CPU cores; the numbers change from machine to machine and run to run, the shape does not",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    Ok(())
}
