//! `select` (document 002 §5; 4.2BSD, 1983): steps 1 to 3 with sets (`fd_set`: 1024 bits on
//! Unix, 64 sockets on Windows) filled, copied in, overwritten and scanned, every round.

use std::io;

use crate::multiplex::{Readiness, Watched, Watching};
use crate::os::{BorrowedFd, FdSet, TimeVal, TimeValLike, fits, select};

/// Waiting with `select()`: the server's, and the download client's.
#[derive(Debug, Default)]
pub struct Select {
    /// How many sockets are watched: Windows' limit is on that count.
    watched: usize,
}

impl Readiness for Select {
    /// A socket `select` cannot watch is refused here, before it is used.
    fn watch(&mut self, _token: u64, fd: BorrowedFd<'_>, _write: bool) -> io::Result<()> {
        fits(fd, self.watched)?;
        self.watched += 1;
        Ok(())
    }

    fn unwatch(&mut self, _fd: BorrowedFd<'_>) {
        self.watched = self.watched.saturating_sub(1);
    }

    // ANCHOR: select_round
    fn wait(&mut self, watched: Watching<'_, '_>, timeout_ms: Option<u16>) -> io::Result<Vec<u64>> {
        // 1. Say what to watch. select() overwrites the sets with its answer,
        //    so they are filled again every round, and copied into the kernel.
        let watched: Vec<Watched<'_>> = watched.collect();
        let (mut readable, mut writable) = (FdSet::default(), FdSet::default());
        for (n, &(_, fd, write)) in watched.iter().enumerate() {
            fits(fd, n)?; // or insert() panics
            if write { &mut writable } else { &mut readable }.insert(fd);
        }
        // 2. Sleep until one of them is ready, or the timeout passes.
        // Python: r, w, e = select.select(inputs, [], [], 0.05)
        let mut timeout = timeout_ms.map(|ms| TimeVal::milliseconds(ms.into()));
        select(None, &mut readable, &mut writable, None, timeout.as_mut())?;
        // 3. The answer is the sets again: ask every watched socket in turn
        //    whether it is a ready one (the linear scan).
        let is_ready = |fd| readable.contains(fd) || writable.contains(fd);
        let ready = watched.iter().filter(|w| is_ready(w.1));
        Ok(ready.map(|w| w.0).collect())
    }
    // ANCHOR_END: select_round
}
