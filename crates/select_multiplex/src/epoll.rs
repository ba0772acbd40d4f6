//! `epoll` (Linux 2.6, 2003): steps 1 to 3 with the list of what to watch kept *in
//! the kernel*, changed with `epoll_ctl`; `epoll_wait` returns only the ready sockets.

use std::io;
use std::os::fd::BorrowedFd;

use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use crate::multiplex::{Readiness, Watching};

/// Waiting with `epoll_wait()`, on an interest list in the kernel.
#[derive(Debug)]
pub struct EpollWait {
    epoll: Epoll,
    events: [EpollEvent; 64],
}

impl EpollWait {
    #[allow(missing_docs)]
    pub fn new() -> io::Result<Self> {
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        let events = [EpollEvent::empty(); 64];
        Ok(EpollWait { epoll, events })
    }
}

fn event(token: u64, write: bool) -> EpollEvent {
    let flags = [EpollFlags::EPOLLIN, EpollFlags::EPOLLOUT];
    EpollEvent::new(flags[usize::from(write)], token)
}

impl Readiness for EpollWait {
    // ANCHOR: epoll_round
    fn wait(&mut self, _: Watching<'_, '_>, timeout_ms: Option<u16>) -> io::Result<Vec<u64>> {
        // 1. Nothing to say: the kernel already knows what we watch.
        // 2. Sleep until something is ready, or the timeout passes. Only the
        //    ready sockets come back, as many as `n`.
        let timeout = EpollTimeout::from(timeout_ms);
        let n = self.epoll.wait(&mut self.events, timeout)?;
        // 3. No scan: each event names its socket by the token we registered.
        Ok(self.events[..n].iter().map(EpollEvent::data).collect())
    }

    /// Register a socket with the kernel, once (the listener too).
    fn watch(&mut self, token: u64, fd: BorrowedFd<'_>, write: bool) -> io::Result<()> {
        Ok(self.epoll.add(fd, event(token, write))?)
    }

    /// Readable became writable, or back: tell the kernel.
    fn rewatch(&mut self, token: u64, fd: BorrowedFd<'_>, write: bool) -> io::Result<()> {
        Ok(self.epoll.modify(fd, &mut event(token, write))?)
    }

    /// Closing a socket would unregister it too; saying so is clearer.
    fn unwatch(&mut self, fd: BorrowedFd<'_>) {
        let _ = self.epoll.delete(fd);
    }
    // ANCHOR_END: epoll_round
}
