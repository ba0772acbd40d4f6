//! The few system calls this lesson needs that std does not offer: `poll`
//! (is this socket writable yet?), `getrusage` (how much CPU did this thread
//! use?) and the names of error numbers (`EAGAIN`, `EINPROGRESS`). They come
//! from the `nix` crate, which builds on Unix-like systems only; elsewhere
//! the functions return an `Unsupported` error that says so.

use std::io;
use std::time::Duration;

use socket2::Socket;

/// The error number of "operation now in progress", if this system has one
/// (`None` on Windows, where a non-blocking connect says `WSAEWOULDBLOCK`).
#[cfg(unix)]
pub const EINPROGRESS: Option<i32> = Some(nix::errno::Errno::EINPROGRESS as i32);
/// The error number of "operation now in progress", if this system has one
/// (`None` on Windows, where a non-blocking connect says `WSAEWOULDBLOCK`).
#[cfg(not(unix))]
pub const EINPROGRESS: Option<i32> = None;

/// The symbolic name of an OS error number: 11 is `EAGAIN` on Linux.
#[cfg(unix)]
pub fn errno_name(code: i32) -> Option<String> {
    let errno = nix::errno::Errno::from_raw(code);
    (errno != nix::errno::Errno::UnknownErrno).then(|| format!("{errno:?}"))
}

/// The symbolic name of the Winsock error numbers this lesson meets.
#[cfg(not(unix))]
pub fn errno_name(code: i32) -> Option<String> {
    let name = match code {
        10035 => "WSAEWOULDBLOCK",
        10036 => "WSAEINPROGRESS",
        10054 => "WSAECONNRESET",
        10060 => "WSAETIMEDOUT",
        10061 => "WSAECONNREFUSED",
        _ => return None,
    };
    Some(name.to_owned())
}

// ANCHOR: writable_now
/// Is `socket` writable right now? `poll` with a zero timeout looks without
/// waiting: "would block" if not yet, otherwise the events it saw, by name
/// (`POLLOUT | POLLERR`). A non-blocking connect is over (connected *or*
/// failed) once its socket is writable.
#[cfg(unix)]
pub fn writable_now(socket: &Socket) -> io::Result<String> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;

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

/// Without `poll` there is no portable way to tell a finished connect from a
/// pending one; lesson 07's `select` is the Windows way.
#[cfg(not(unix))]
pub fn writable_now(_socket: &Socket) -> io::Result<String> {
    Err(needs_unix("waiting for a non-blocking connect uses poll()"))
}

// ANCHOR: cpu_time
/// How much CPU time this thread has used so far (user + system), from
/// `getrusage`. Only Linux counts per thread; elsewhere it is the whole
/// process, which is the same here because the demo's other thread sits
/// blocked while this one is measured.
#[cfg(unix)]
pub fn cpu_time() -> io::Result<Duration> {
    use nix::sys::resource::{UsageWho, getrusage};

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

/// CPU time per thread needs `getrusage`, a Unix call.
#[cfg(not(unix))]
pub fn cpu_time() -> io::Result<Duration> {
    Err(needs_unix("measuring CPU time uses getrusage()"))
}

/// The error a Unix-only part of the lesson gives elsewhere.
pub fn needs_unix(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "{what}, which needs a Unix-like system (Linux, macOS); lesson 07 shows select(), which Windows has too"
        ),
    )
}
