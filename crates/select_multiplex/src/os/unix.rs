//! The waiting calls on Unix (Linux, macOS, the BSDs), straight from nix: `select` (bitmaps
//! of 1024 bits), `poll`, and the limit on open descriptors. `os/windows.rs`: the same names.

use std::io;
use std::os::fd::AsRawFd;

use nix::sys::resource::{RLIM_INFINITY, Resource, getrlimit, setrlimit};

pub use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
pub use nix::sys::select::{FD_SETSIZE, FdSet, select};
pub use nix::sys::time::{TimeVal, TimeValLike};
pub use std::os::fd::{AsFd, BorrowedFd};

pub const POLL: &str = "poll()";
/// A non-blocking `connect` that has started: its error number and name.
pub const IN_PROGRESS: (i32, &str) = (nix::errno::Errno::EINPROGRESS as i32, "EINPROGRESS");

// ANCHOR: fits
/// Whether `select` can watch `fd`, beside `_watched` others: an `fd_set`
/// has one bit for each descriptor *number* from 0 to 1023, however few are
/// watched. In C, `FD_SET(1024, &set)` writes past its end (undefined
/// behaviour); nix's `insert` panics. We check, and say what happened.
pub fn fits(fd: BorrowedFd<'_>, _watched: usize) -> io::Result<()> {
    let n = fd.as_raw_fd();
    if usize::try_from(n).is_ok_and(|n| n < FD_SETSIZE) {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "descriptor {n} is not below FD_SETSIZE ({FD_SETSIZE}): select() cannot watch it"
    )))
}
// ANCHOR_END: fits

/// Raise the soft limit on open descriptors (`RLIMIT_NOFILE`, `ulimit -n`) to
/// `wanted`, or as near as the hard one allows: the soft limit now, and both in words.
pub fn raise_open_files(wanted: u64) -> io::Result<(u64, String)> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    let raised = wanted.min(hard);
    // macOS refuses values above its own ceiling (OPEN_MAX) even under an
    // unlimited hard limit; then the soft limit stays where it was.
    let raise = soft < wanted && setrlimit(Resource::RLIMIT_NOFILE, raised, hard).is_ok();
    let soft = if raise { raised } else { soft };
    let [s, h] = [soft, hard].map(|n| match n {
        RLIM_INFINITY => "unlimited".to_owned(),
        n => n.to_string(),
    });
    let said = format!("RLIMIT_NOFILE soft limit {s}, hard limit {h}");
    Ok((soft, said))
}
