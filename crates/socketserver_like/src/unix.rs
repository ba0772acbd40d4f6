//! Unix only: `poll(2)` (from nix), and the limit on open files.

use std::io;
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{Resource, getrlimit, setrlimit};

pub(crate) use std::os::fd::{AsFd as AsSource, BorrowedFd as Source};

/// `SO_REUSEADDR` on a listener: a restarted server binds past `TIME_WAIT` (lesson 02).
pub(crate) const REUSE_ADDRESS: bool = true;

/// A socket, borrowed for [`poll_readable`].
pub(crate) fn source(socket: &(impl AsSource + ?Sized)) -> Source<'_> {
    socket.as_fd()
}

/// Which of `all` are readable (or in error, which the next call on them
/// reports), waiting at most `wait`; none if a signal ends the wait early.
pub(crate) fn poll_readable(all: &[Source<'_>], wait: Option<Duration>) -> io::Result<Vec<bool>> {
    let mut fds = Vec::with_capacity(all.len());
    fds.extend(all.iter().map(|fd| PollFd::new(*fd, PollFlags::POLLIN)));
    let timeout = PollTimeout::try_from(crate::server::millis(wait)).unwrap_or(PollTimeout::MAX);
    let readable = |fd: &PollFd<'_>| fd.revents().is_some_and(|events| !events.is_empty());
    match poll(&mut fds, timeout) {
        Ok(_) => Ok(fds.iter().map(readable).collect()),
        Err(Errno::EINTR) => Ok(vec![false; fds.len()]),
        Err(errno) => Err(errno.into()),
    }
}

/// A watched server's socket, for `poll` and `socket2`, is its listener.
impl AsSource for crate::Watched {
    fn as_fd(&self) -> Source<'_> {
        self.listener.as_fd()
    }
}

/// Make sure this process may hold `fds` open files. Programs often start with a soft limit of
/// 1024 (macOS: 256); any may raise it to the hard limit, unprivileged (`ulimit -n`).
pub fn make_room_for(fds: u64) -> io::Result<()> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < fds {
        setrlimit(Resource::RLIMIT_NOFILE, fds.min(hard), hard)?;
    }
    Ok(())
}
