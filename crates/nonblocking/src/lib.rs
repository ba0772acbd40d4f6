//! Lesson 06: blocking and non-blocking sockets (阻塞和非阻塞).
//!
//! By default `accept`, `recv` and `connect` *wait*: the thread that calls
//! them does nothing else until a client, some bytes, or the end of the
//! handshake arrives. `setblocking(False)` (Rust: `set_nonblocking(true)`)
//! makes them return at once instead, with the error "would block" when they
//! have nothing to give yet. Each module is one step, the way the documents
//! show it in Python, and makes its own socket calls:
//!
//! | step | module | documents |
//! |---|---|---|
//! | `blocking` | [`blocking`] | 002 §4 阻塞和非阻塞 (the blocking programs) |
//! | `broken` | [`broken`] | 002 §4 (the same programs after `setblocking(False)`), 001 §socket方法 `setblocking` |
//! | `fixed` (the headline) | [`fixed`] | 002 §4 (可以try except), 002 §5 (the `BlockingIOError` caught around `connect`) |
//! | `busy-loop` | [`busy_loop`] | 002 §5 (why non-blocking goes with IO多路复用) |
//! | `timeout` | [`timeout`] | 001 §socket方法 `settimeout` |
//!
//! The heart of the lesson is the loop in [`fixed`]: "would block" is not a
//! failure, it means "not yet". [`os`] holds the few calls std does not
//! have (poll, CPU time, error names), one module per system.
#![warn(missing_docs)]

pub mod blocking;
pub mod broken;
pub mod busy_loop;
pub mod fixed;
#[cfg_attr(unix, path = "os/unix.rs")]
#[cfg_attr(windows, path = "os/windows.rs")]
pub mod os;
pub mod timeout;

use std::io::{self, ErrorKind};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use classroom::Side;
use classroom::tcp::PATIENCE;

/// The port document 002 uses for its blocking and non-blocking programs.
pub const PORT: u16 = 8001;

/// What document 002's client sends.
pub const MESSAGE: &str = "lbw正在吃翔";

// ANCHOR: other_work
/// The "other work" (干点其他事) a non-blocking program does between two
/// tries. A stand-in with a result you can check: each piece tests the next
/// number for primality. A real program would draw a frame, run a timer, or
/// serve another client.
#[derive(Debug, Default)]
pub struct OtherWork {
    pieces: u64,
    primes: u64,
    /// In a demo: the other role, which takes its turn when a call first
    /// says "would block".
    turns: Option<Turns>,
}

impl OtherWork {
    /// Do one small piece of work: test the next number.
    pub fn one_piece(&mut self) {
        self.pieces += 1;
        if is_prime(self.pieces) {
            self.primes += 1;
        }
    }

    /// A call said "would block" on try number `tries`: do one piece of
    /// other work, then the caller tries again. In a demo, the first
    /// "would block" of a loop is printed in `lane`, and the other role
    /// takes its turn before the loop goes on, so it acts only once the
    /// call has said "not yet".
    pub fn not_yet(
        &mut self,
        lane: &Side,
        call: &str,
        tries: u64,
        e: &io::Error,
    ) -> io::Result<()> {
        if let Some(turns) = self.turns.as_ref().filter(|_| tries == 1) {
            lane.say(format!(
                "{call} try 1: {}: not yet, so other work, then try again",
                os_error(e)
            ));
            turns.pass();
            turns.wait()?;
        }
        self.one_piece();
        Ok(())
    }
}
// ANCHOR_END: other_work

impl OtherWork {
    /// A demo's other work: the same pieces, and the other role's turn at
    /// each loop's first "would block".
    pub fn taking_turns(turns: Turns) -> Self {
        OtherWork {
            turns: Some(turns),
            ..OtherWork::default()
        }
    }

    /// How many pieces were done, and how many primes they found.
    pub fn counts(&self) -> (u64, u64) {
        (self.pieces, self.primes)
    }

    /// `[COUNT] pieces of other work (found [COUNT] primes)`.
    pub fn summary(&self) -> String {
        format!(
            "{} pieces of other work (found {} primes)",
            self.pieces, self.primes
        )
    }
}

fn is_prime(n: u64) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

/// An OS error as the lesson prints it: the errno name (when known), the
/// text and the number, `EAGAIN: Resource temporarily unavailable (os error
/// 11)`, the way Python prints `BlockingIOError: [Errno 11] Resource
/// temporarily unavailable`.
pub fn os_error(e: &io::Error) -> String {
    match e.raw_os_error().and_then(os::errno_name) {
        Some(name) => format!("{name}: {}", os::error_text(e)),
        None => e.to_string(),
    }
}

/// Whether `connect` on a non-blocking socket said "the handshake has
/// started": `EINPROGRESS` on Unix, `WSAEWOULDBLOCK` on Windows. Python
/// raises `BlockingIOError` for both.
pub fn is_in_progress(e: &io::Error) -> bool {
    e.kind() == ErrorKind::WouldBlock || e.raw_os_error() == os::EINPROGRESS
}

/// Turn-taking between the two roles of one demo: one passes the turn, the
/// other waits for it. It orders what the roles print, and lets a client
/// hold back while the server waits inside a call. Every wait is bounded.
#[derive(Debug)]
pub struct Turns {
    to_other: Sender<()>,
    from_other: Receiver<()>,
}

impl Turns {
    /// The two ends: one for each role.
    pub fn pair() -> (Turns, Turns) {
        let (to_b, from_a) = mpsc::channel();
        let (to_a, from_b) = mpsc::channel();
        let a = Turns {
            to_other: to_b,
            from_other: from_b,
        };
        let b = Turns {
            to_other: to_a,
            from_other: from_a,
        };
        (a, b)
    }

    /// Let the other role go on.
    pub fn pass(&self) {
        let _ = self.to_other.send(());
    }

    /// Wait until the other role passes the turn (at most [`PATIENCE`]).
    pub fn wait(&self) -> io::Result<()> {
        self.from_other
            .recv_timeout(PATIENCE)
            .map_err(|_| io::Error::other("the other role stopped before its turn"))
    }

    // ANCHOR: hold_back
    /// Let `delay` pass while the other role keeps quiet, and fail if it
    /// passes the turn or stops meanwhile. A demo's client calls this right
    /// after the server said "I am calling accept()": a server that says
    /// nothing more for `delay` is still inside the call, waiting. (A wait
    /// on a condition with a bound, never a bare sleep.)
    pub fn hold_back(&self, delay: Duration) -> io::Result<()> {
        match self.from_other.recv_timeout(delay) {
            Err(RecvTimeoutError::Timeout) => Ok(()),
            Ok(()) => Err(io::Error::other(
                "the other role moved on while it should have been waiting",
            )),
            Err(RecvTimeoutError::Disconnected) => Err(io::Error::other(
                "the other role stopped while we held back",
            )),
        }
    }
    // ANCHOR_END: hold_back
}
