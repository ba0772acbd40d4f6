//! Lesson 06: blocking and non-blocking sockets (阻塞和非阻塞).
//!
//! By default `accept`, `recv` and `connect` *wait*: the thread that calls
//! them does nothing else until a client, some bytes, or the end of the
//! handshake arrives. `setblocking(False)` (Rust: `set_nonblocking(true)`)
//! makes them return at once instead, with the error "would block" when they
//! have nothing to give yet. Each module shows one step, the way the
//! documents show it in Python:
//!
//! | step | module | documents |
//! |---|---|---|
//! | `blocking` | [`blocking`] | 002 §4 阻塞和非阻塞 (the blocking programs) |
//! | `broken` | [`broken`] | 002 §4 (the same programs after `setblocking(False)`), 001 §socket方法 `setblocking` |
//! | `fixed` (the headline) | [`fixed`] | 002 §4 (可以try except), 002 §5 (the `BlockingIOError` caught around `connect`) |
//! | `busy-loop` | [`busy_loop`] | 002 §5 (why non-blocking goes with IO多路复用) |
//! | `timeout` | [`timeout`] | 001 §socket方法 `settimeout` |
//!
//! The heart of the lesson is [`until_ready`]: "would block" is not a
//! failure, it means "not yet". [`os`] holds the few calls std does not
//! have (poll, getrusage, errno names), which need a Unix-like system.
#![warn(missing_docs)]

pub mod blocking;
pub mod broken;
pub mod busy_loop;
pub mod fixed;
pub mod os;
pub mod timeout;

use std::io::{self, ErrorKind};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Lesson 01's `recv(1024)`: read once, print what came (or EOF).
pub use classroom::tcp::recv_once;

/// The port document 002 uses for its blocking and non-blocking programs.
pub const PORT: u16 = 8001;

/// What document 002's client sends.
pub const MESSAGE: &str = "lbw正在吃翔";

/// A client's messages: its MESSAGE arguments, or the document's message.
pub fn messages_or_default(messages: &[String]) -> Vec<String> {
    if messages.is_empty() {
        vec![MESSAGE.to_owned()]
    } else {
        messages.to_vec()
    }
}

/// How long this lesson's bounded waits (a connect, a demo's turn, a
/// demo's try-again loop) last before they give up, so nothing can hang a
/// classroom.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(10);

/// What a try-again loop got, and on which try it got it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ready<T> {
    /// What the call finally returned.
    pub value: T,
    /// How many times the call was made; all but the last said "would block".
    pub tries: u64,
}

// ANCHOR: until_ready
/// Call `attempt` until it stops saying "would block", calling `meanwhile`
/// between two tries. `patience` bounds the whole loop (`None`: for ever).
///
/// Any other error ends the loop: "would block" is the only answer that
/// means "not yet".
pub fn until_ready<T>(
    mut attempt: impl FnMut() -> io::Result<T>,
    mut meanwhile: impl FnMut(),
    patience: Option<Duration>,
) -> io::Result<Ready<T>> {
    let started = Instant::now();
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt() {
            Ok(value) => return Ok(Ready { value, tries }),
            // FIX: not an error, just "not yet": do something else, try again.
            Err(e) if e.kind() == ErrorKind::WouldBlock => meanwhile(),
            Err(e) if e.kind() == ErrorKind::Interrupted => {} // a signal: retry
            Err(e) => return Err(e),
        }
        if let Some(limit) = patience
            && started.elapsed() >= limit
        {
            return Err(io::Error::new(
                ErrorKind::TimedOut,
                format!("still not ready after {tries} tries in {limit:?}"),
            ));
        }
    }
}
// ANCHOR_END: until_ready

// ANCHOR: other_work
/// The "other work" (干点其他事) a non-blocking program does between two
/// tries. A stand-in with a result you can check: each piece tests the next
/// number for primality. A real program would draw a frame, run a timer, or
/// serve another client.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OtherWork {
    pieces: u64,
    primes: u64,
}

impl OtherWork {
    /// Do one small piece of work: test the next number.
    pub fn one_piece(&mut self) {
        self.pieces += 1;
        if is_prime(self.pieces) {
            self.primes += 1;
        }
    }
}
// ANCHOR_END: other_work

impl OtherWork {
    /// How many pieces were done.
    pub fn pieces(&self) -> u64 {
        self.pieces
    }

    /// How many primes the pieces found among 1..=pieces.
    pub fn primes(&self) -> u64 {
        self.primes
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
        Some(name) => format!("{name}: {e}"),
        None => e.to_string(),
    }
}

/// Whether `connect` on a non-blocking socket said "the handshake has
/// started": `EINPROGRESS` on Unix, `WSAEWOULDBLOCK` on Windows. Python
/// raises `BlockingIOError` for both.
pub fn is_in_progress(e: &io::Error) -> bool {
    e.kind() == ErrorKind::WouldBlock || e.raw_os_error() == os::EINPROGRESS
}

/// Wait for the next message from the other role: the demos' turn-taking.
pub fn next_turn<T>(from: &Receiver<T>) -> io::Result<T> {
    from.recv_timeout(GIVE_UP_AFTER)
        .map_err(|_| io::Error::other("the other role stopped before its turn"))
}

// ANCHOR: hold_back
/// Let `delay` pass while the other role stays silent, and fail if it
/// speaks or stops. A demo's client calls this right after the server said
/// "I am calling accept()": a server that says nothing more for `delay` is
/// still inside the call, waiting. (A wait on a condition with a bound,
/// never a bare sleep.)
pub fn hold_back<T>(other: &Receiver<T>, delay: Duration) -> io::Result<()> {
    match other.recv_timeout(delay) {
        Err(RecvTimeoutError::Timeout) => Ok(()),
        Ok(_) => Err(io::Error::other(
            "the other role moved on while it should have been waiting",
        )),
        Err(RecvTimeoutError::Disconnected) => Err(io::Error::other(
            "the other role stopped while we held back",
        )),
    }
}
// ANCHOR_END: hold_back

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn would_block_is_retried_and_counted() {
        let mut left = 3;
        let mut work = OtherWork::default();
        let ready = until_ready(
            || {
                if left == 0 {
                    return Ok("done");
                }
                left -= 1;
                Err(ErrorKind::WouldBlock.into())
            },
            || work.one_piece(),
            None,
        )
        .unwrap();
        assert_eq!(
            ready,
            Ready {
                value: "done",
                tries: 4
            }
        );
        assert_eq!(work.pieces(), 3);
    }

    #[test]
    fn other_errors_end_the_loop_at_once() {
        let mut calls = 0;
        let err = until_ready::<()>(
            || {
                calls += 1;
                Err(ErrorKind::ConnectionReset.into())
            },
            || {},
            None,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset);
        assert_eq!(calls, 1);
    }

    #[test]
    fn patience_bounds_the_loop() {
        let err = until_ready::<()>(
            || Err(ErrorKind::WouldBlock.into()),
            || {},
            Some(Duration::from_millis(5)),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TimedOut);
        assert!(
            err.to_string().starts_with("still not ready after "),
            "{err}"
        );
    }

    #[test]
    fn other_work_finds_primes() {
        let mut work = OtherWork::default();
        (0..100).for_each(|_| work.one_piece());
        assert_eq!((work.pieces(), work.primes()), (100, 25));
        assert_eq!(work.summary(), "100 pieces of other work (found 25 primes)");
    }

    #[test]
    fn holding_back_fails_if_the_other_side_speaks_or_leaves() {
        let (tx, rx) = mpsc::channel();
        tx.send(()).unwrap();
        assert!(hold_back(&rx, Duration::from_secs(5)).is_err());
        assert!(hold_back(&rx, Duration::from_millis(1)).is_ok());
        drop(tx);
        assert!(hold_back(&rx, Duration::from_secs(5)).is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn os_errors_carry_their_errno_name() {
        let text = os_error(&io::Error::from_raw_os_error(11));
        assert_eq!(
            text,
            "EAGAIN: Resource temporarily unavailable (os error 11)"
        );
        assert!(is_in_progress(&io::Error::from_raw_os_error(115)));
        assert!(!is_in_progress(&io::Error::from_raw_os_error(111)));
    }
}
