//! `busy-loop`: what "try again at once" costs when there is no other work
//! to do. The server waits for a message twice: first by calling a
//! non-blocking `recv` again and again (polling without waiting), then with
//! one blocking `recv`. `getrusage` (Windows: `GetThreadTimes`) measures
//! the CPU time each wait used.
//! This is why document 002 (§4, §5) pairs non-blocking sockets with
//! IO多路复用: lesson 07's `select` waits for *any* of many sockets without
//! burning CPU.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::tcp::RECV_SIZE;
use classroom::{Traced, narrate, runner};

use crate::Turns;
use crate::os::cpu_time;

/// How long the client holds back before each message: the wait measured.
pub const WAIT: Duration = Duration::from_millis(200);

// ANCHOR: server
/// The server's half: wait for one message by polling, for the next by
/// blocking, and say what each wait cost. It passes the turn each time it
/// starts waiting, so the client knows when to hold back.
pub fn server(listener: &TcpListener, turns: &Turns) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    let mut buf = [0u8; RECV_SIZE];

    conn.say("waiting by polling: a non-blocking recv(), again and again, nothing else to do");
    conn.set_nonblocking(true)?;
    turns.pass();
    let mut calls = 0;
    let cost = measure(|| {
        loop {
            calls += 1;
            match conn.read(&mut buf) {
                // BUG: with nothing to do between tries, this "wait" never
                // waits: it asks the kernel again at once, keeping a CPU
                // core busy all along.
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                other => return other,
            }
        }
    })?;
    conn.say(cost.report("polling", calls));

    conn.say("waiting by blocking: one recv() that sleeps until bytes arrive");
    conn.set_nonblocking(false)?; // the read timeout accepted() set bounds it
    turns.pass();
    let cost = measure(|| conn.read(&mut buf))?;
    conn.say(cost.report("blocking", 1));
    Ok(())
}
// ANCHOR_END: server

/// What a wait cost: wall-clock time and CPU time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// How long the wait lasted.
    pub wall: Duration,
    /// How much CPU time the waiting thread used meanwhile.
    pub cpu: Duration,
}

impl Cost {
    /// CPU time as a share of one core over the wait, in percent.
    pub fn percent_of_a_core(&self) -> u64 {
        let wall = self.wall.as_secs_f64();
        if wall == 0.0 {
            return 0;
        }
        (self.cpu.as_secs_f64() / wall * 100.0).round() as u64
    }

    /// `polling: 1234 recv() calls in 200ms, CPU used 199ms: 100% of one core`.
    fn report(&self, how: &str, calls: u64) -> String {
        let calls = match calls {
            1 => "1 recv() call".to_owned(),
            n => format!("{n} recv() calls"),
        };
        format!(
            "{how}: {calls} in {:.1?}, CPU used {:.1?}: {}% of one core",
            self.wall,
            self.cpu,
            self.percent_of_a_core()
        )
    }
}

// ANCHOR: measure
/// Run `wait` and measure its wall-clock time and the CPU time this thread
/// used meanwhile.
pub fn measure<T>(wait: impl FnOnce() -> io::Result<T>) -> io::Result<Cost> {
    let (cpu_before, started) = (cpu_time()?, Instant::now());
    wait()?;
    let wall = started.elapsed();
    let cpu = cpu_time()?.saturating_sub(cpu_before);
    Ok(Cost { wall, cpu })
}
// ANCHOR_END: measure

/// The two waits, one after the other, on one connection.
pub fn demo() -> io::Result<()> {
    let (server_turns, turns) = Turns::pair();
    runner::pair(
        move |listener| server(listener, &server_turns),
        |addr| {
            let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
            for message in ["first", "second"] {
                turns.wait()?; // the server has started waiting
                turns.hold_back(WAIT)?;
                stream.say(format!("the server has said nothing for {WAIT:?}; sending"));
                stream.write_all(message.as_bytes())?;
            }
            Ok(())
        },
    )?;
    narrate(
        "polling kept the CPU busy for the whole wait; blocking left it free for other programs",
    );
    narrate(
        "a blocking call watches one socket; lesson 07's select/poll/epoll block on many at once, without spinning",
    );
    Ok(())
}
