//! What only Unix systems need: `poll(2)` (from nix) for `serve_forever`'s
//! wait, and the limit on open files for the pool step's 1,000 clients.

use std::io;
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{Resource, getrlimit, setrlimit};

pub(crate) use std::os::fd::AsFd as AsSource;

/// Whether `a` and `b` are readable (or in error, which the next call on
/// them reports), waiting at most `timeout`. A signal ends the wait early,
/// with neither.
pub(crate) fn poll_readable(
    a: &impl AsSource,
    b: &impl AsSource,
    timeout: Option<Duration>,
) -> io::Result<(bool, bool)> {
    let mut fds = [a.as_fd(), b.as_fd()].map(|fd| PollFd::new(fd, PollFlags::POLLIN));
    let timeout = PollTimeout::try_from(crate::server::millis(timeout)).unwrap_or(PollTimeout::MAX);
    match poll(&mut fds, timeout) {
        Ok(_) => {
            let [a, b] = fds.map(|fd| fd.revents().is_some_and(|events| !events.is_empty()));
            Ok((a, b))
        }
        Err(Errno::EINTR) => Ok((false, false)),
        Err(errno) => Err(errno.into()),
    }
}

/// Make sure this process may hold `fds` open files. Many systems start
/// programs with a soft limit of 1024 (macOS: 256); any program may raise
/// it up to the hard limit, no privilege needed (`ulimit -n` in a shell).
pub fn make_room_for(fds: u64) -> io::Result<()> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < fds {
        setrlimit(Resource::RLIMIT_NOFILE, fds.min(hard), hard)?;
    }
    Ok(())
}
