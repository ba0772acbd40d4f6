//! `select` (document 002 §5 IO多路复用; 4.2BSD, 1983): steps 1 to 3 with
//! bitmaps (`fd_set`) of `FD_SETSIZE` (1024) bits, filled, copied into the
//! kernel, overwritten with the answer, and scanned, every round.

use std::io::{self, ErrorKind};
use std::os::fd::{AsRawFd, BorrowedFd};

use nix::sys::select::{FD_SETSIZE, FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};

use crate::multiplex::{Readiness, Watched, Watching};

/// Waiting with `select()`: the server's, and the download client's.
#[derive(Debug)]
pub struct Select;

impl Readiness for Select {
    fn watch(&mut self, _token: u64, fd: BorrowedFd<'_>, _write: bool) -> io::Result<()> {
        watchable(fd)
    }

    // ANCHOR: select_round
    fn wait(&mut self, watched: Watching<'_, '_>, timeout_ms: Option<u16>) -> io::Result<Vec<u64>> {
        // 1. Say what to watch. select() overwrites the sets with its answer,
        //    so they are filled again every round, and copied into the kernel.
        let watched: Vec<Watched<'_>> = watched.collect();
        let (mut readable, mut writable) = (FdSet::new(), FdSet::new());
        for &(_, fd, write) in &watched {
            watchable(fd)?; // or insert() panics
            if write { &mut writable } else { &mut readable }.insert(fd);
        }
        // 2. Sleep until one of them is ready, or the timeout passes.
        // Python: r, w, e = select.select(inputs, [], [], 0.05)
        let mut timeout = timeout_ms.map(|ms| TimeVal::milliseconds(ms.into()));
        let nfds = watched.iter().map(|w| w.1.as_raw_fd() + 1).max(); // highest + 1
        select(nfds, &mut readable, &mut writable, None, timeout.as_mut())?;
        // 3. The answer is a bitmap: ask every watched descriptor in turn
        //    whether it is a ready one (the linear scan).
        let is_ready = |fd| readable.contains(fd) || writable.contains(fd);
        Ok(watched
            .iter()
            .filter(|w| is_ready(w.1))
            .map(|w| w.0)
            .collect())
    }
    // ANCHOR_END: select_round
}

// ANCHOR: watchable
/// Whether `select` can watch `fd`: an `fd_set` has room for descriptors 0
/// to 1023. In C, `FD_SET(1024, &set)` writes past its end (undefined
/// behaviour); nix's `insert` panics. We check, and say what happened.
pub fn watchable(fd: BorrowedFd<'_>) -> io::Result<()> {
    let n = fd.as_raw_fd();
    if usize::try_from(n).is_ok_and(|n| n < FD_SETSIZE) {
        return Ok(());
    }
    let why = format!("descriptor {n} is not below FD_SETSIZE ({FD_SETSIZE})");
    Err(io::Error::new(
        ErrorKind::InvalidInput,
        format!("{why}: select() cannot watch it"),
    ))
}
// ANCHOR_END: watchable
