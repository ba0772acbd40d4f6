//! The few system calls this lesson needs that std does not offer, on Unix
//! (Linux, macOS), from the `nix` crate: `poll` (is this socket writable
//! yet?), `getrusage` (how much CPU did this thread use?) and the names of
//! error numbers (`EAGAIN`, `EINPROGRESS`). `os/windows.rs` has the same
//! functions through Winsock and the Win32 API.

use std::io;
use std::os::fd::AsFd;
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{UsageWho, getrusage};
use socket2::{SockRef, Socket};

/// The error number of "operation now in progress" (Windows has none: a
/// non-blocking connect says `WSAEWOULDBLOCK` there).
pub const EINPROGRESS: Option<i32> = Some(Errno::EINPROGRESS as i32);
/// The call [`writable_now`] makes.
pub const POLL: &str = "poll(POLLOUT)";

/// Whether `conn` is in non-blocking mode (its `O_NONBLOCK` flag, from
/// `fcntl`). `Option` because Windows cannot be asked.
pub fn nonblocking_mode(conn: &impl AsFd) -> io::Result<Option<bool>> {
    SockRef::from(conn).nonblocking().map(Some)
}

/// The symbolic name of an OS error number: 11 is `EAGAIN` on Linux.
pub fn errno_name(code: i32) -> Option<String> {
    let errno = Errno::from_raw(code);
    (errno != Errno::UnknownErrno).then(|| format!("{errno:?}"))
}

/// The system's text for an OS error, and its number.
pub fn error_text(e: &io::Error) -> String {
    e.to_string()
}

// ANCHOR: writable_now
/// Is `socket` writable right now? `poll` with a zero timeout looks without
/// waiting: "would block" if not yet, otherwise the events it saw, by name
/// (`POLLOUT | POLLERR`). A non-blocking connect is over (connected *or*
/// failed) once its socket is writable.
pub fn writable_now(socket: &Socket) -> io::Result<String> {
    let mut fds = [PollFd::new(socket.as_fd(), PollFlags::POLLOUT)];
    if poll(&mut fds, PollTimeout::ZERO)? == 0 {
        return Err(io::ErrorKind::WouldBlock.into());
    }
    let seen = fds[0].revents().unwrap_or(PollFlags::empty());
    let names = [
        (PollFlags::POLLOUT, "POLLOUT"),
        (PollFlags::POLLERR, "POLLERR"),
        (PollFlags::POLLHUP, "POLLHUP"),
        (PollFlags::POLLNVAL, "POLLNVAL"),
    ];
    let seen: Vec<_> = names
        .into_iter()
        .filter(|(flag, _)| seen.contains(*flag))
        .map(|(_, name)| name)
        .collect();
    Ok(seen.join(" | "))
}
// ANCHOR_END: writable_now

// ANCHOR: cpu_time
/// How much CPU time this thread has used so far (user + system), from
/// `getrusage`. Only Linux counts per thread; elsewhere it is the whole
/// process, which is the same here because the demo's other thread sits
/// blocked while this one is measured.
pub fn cpu_time() -> io::Result<Duration> {
    #[cfg(target_os = "linux")]
    let who = UsageWho::RUSAGE_THREAD;
    #[cfg(not(target_os = "linux"))]
    let who = UsageWho::RUSAGE_SELF;
    let usage = getrusage(who)?;
    let total = usage.user_time() + usage.system_time();
    let micros = u64::try_from(total.tv_sec()).unwrap_or(0) * 1_000_000
        + u64::try_from(total.tv_usec()).unwrap_or(0);
    Ok(Duration::from_micros(micros))
}
// ANCHOR_END: cpu_time
