//! `busy-loop`: what "try again at once" costs when there is no other work
//! to do. The server waits for the same kind of message twice: first by
//! calling a non-blocking `recv` again and again (polling without waiting),
//! then with one blocking `recv`. `getrusage` measures the CPU time each
//! wait used. This is why document 002 (§4, §5) pairs non-blocking sockets
//! with IO多路复用: lesson 07's `select` waits for *any* of many sockets
//! without burning CPU.

use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use classroom::tcp::demo_pair;
use classroom::{Side, narrate};

use crate::os::cpu_time;
use crate::{GIVE_UP_AFTER, Ready, hold_back, next_turn, recv_once, until_ready};

/// How long the client holds back before each message: the wait measured.
pub const WAIT: Duration = Duration::from_millis(200);

// ANCHOR: recv_spinning
/// Wait for bytes by asking again at once: a non-blocking `recv` in a loop
/// with nothing else to do.
pub fn recv_spinning(conn: &mut TcpStream, out: &mut Side) -> io::Result<Ready<Vec<u8>>> {
    conn.set_nonblocking(true)?;
    // BUG: with nothing to do between tries, this "wait" never waits: it
    // asks the kernel again at once, keeping a CPU core busy all along.
    until_ready(|| recv_once(conn, out), || {}, Some(GIVE_UP_AFTER))
}
// ANCHOR_END: recv_spinning

// ANCHOR: recv_blocking
/// Wait for bytes the blocking way: the kernel puts the thread to sleep and
/// wakes it when bytes arrive.
pub fn recv_blocking(conn: &mut TcpStream, out: &mut Side) -> io::Result<Vec<u8>> {
    conn.set_nonblocking(false)?;
    conn.set_read_timeout(Some(GIVE_UP_AFTER))?;
    recv_once(conn, out)
}
// ANCHOR_END: recv_blocking

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
}

// ANCHOR: measure
/// Run `wait` and measure its wall-clock time and the CPU time this thread
/// used meanwhile.
pub fn measure<T>(wait: impl FnOnce() -> io::Result<T>) -> io::Result<(T, Cost)> {
    let (cpu_before, started) = (cpu_time()?, Instant::now());
    let value = wait()?;
    let wall = started.elapsed();
    let cpu = cpu_time()?.saturating_sub(cpu_before);
    Ok((value, Cost { wall, cpu }))
}
// ANCHOR_END: measure

fn report(out: &Side, how: &str, calls: u64, cost: Cost) {
    let calls = match calls {
        1 => "1 recv() call".to_owned(),
        n => format!("{n} recv() calls"),
    };
    out.say(format!(
        "{how}: {calls} in {:.1?}, CPU used {:.1?}: {}% of one core",
        cost.wall,
        cost.cpu,
        cost.percent_of_a_core()
    ));
}

/// The two waits, one after the other, on one connection.
pub fn demo() -> io::Result<()> {
    if !cfg!(unix) {
        let reason = crate::os::needs_unix("this step measures CPU time with getrusage()");
        Side::server().say(reason);
        return Ok(());
    }
    // The server says when it starts waiting; the client then holds back
    // for WAIT, during which the waiting server cannot say anything.
    let (to_client, from_server) = mpsc::channel::<()>();
    demo_pair(
        move |mut conn, server| {
            server.say(
                "waiting by polling: a non-blocking recv(), again and again, nothing else to do",
            );
            let _ = to_client.send(());
            let (got, cost) = measure(|| recv_spinning(&mut conn, server))?;
            report(server, "polling", got.tries, cost);

            server.say("waiting by blocking: one recv() that sleeps until bytes arrive");
            let _ = to_client.send(());
            let (_, cost) = measure(|| recv_blocking(&mut conn, server))?;
            report(server, "blocking", 1, cost);
            Ok(())
        },
        move |mut stream: TcpStream, client| {
            for message in ["first", "second"] {
                next_turn(&from_server)?;
                hold_back(&from_server, WAIT)?;
                client.say(format!("the server has said nothing for {WAIT:?}; sending"));
                client.sent(message.as_bytes());
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
