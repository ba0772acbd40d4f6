//! The waiting calls on Windows, through Winsock (`windows-sys`), named as
//! nix names them (`os/unix.rs`), so each step reads the same on both: `select`
//! with Winsock's `fd_set`, `WSAPoll` as `poll`. The lesson's only `unsafe`.

use std::io;
use std::marker::PhantomData;
use std::os::windows::io::{AsRawSocket, AsSocket, BorrowedSocket};
use std::ptr;

use windows_sys::Win32::Networking::WinSock::{self as ws, FD_SET, SOCKET, TIMEVAL, WSAPOLLFD};

pub type BorrowedFd<'a> = BorrowedSocket<'a>;
pub type TimeVal = TIMEVAL;
pub type PollTimeout = Option<u16>; // milliseconds; `None`: for ever

/// `as_fd()`, as on Unix.
pub trait AsFd: AsSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.as_socket()
    }
}
impl<T: AsSocket> AsFd for T {}

/// How many sockets one `fd_set` holds: 64, whatever their numbers.
pub const FD_SETSIZE: usize = ws::FD_SETSIZE as usize;
pub const POLL: &str = "WSAPoll()";
/// A non-blocking `connect` that has started: Winsock says "would block".
pub const IN_PROGRESS: (i32, &str) = (ws::WSAEWOULDBLOCK, "WSAEWOULDBLOCK");

// ANCHOR: fits
/// Whether `select` can watch `_fd` beside `watched` others: a Winsock
/// `fd_set` is a count and an array of `FD_SETSIZE` (64) sockets, so the
/// limit is on how many, not on their numbers.
pub fn fits(_fd: BorrowedFd<'_>, watched: usize) -> io::Result<()> {
    if watched < FD_SETSIZE {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "{watched} sockets fill an fd_set (FD_SETSIZE {FD_SETSIZE}): select() cannot watch one more"
    )))
}
// ANCHOR_END: fits

// ANCHOR: select
/// Winsock's `fd_set`: a count, and an array of 64 sockets; C's `FD_ZERO` is `default()`.
#[derive(Default)]
pub struct FdSet<'fd>(FD_SET, PhantomData<BorrowedFd<'fd>>);

impl<'fd> FdSet<'fd> {
    /// C's `FD_SET`: add `fd` at the end. A full set panics, as nix's
    /// `insert` does past descriptor 1023: check with [`fits`] first.
    pub fn insert(&mut self, fd: BorrowedFd<'fd>) {
        let n = self.0.fd_count as usize;
        assert!(n < FD_SETSIZE, "an fd_set holds {FD_SETSIZE} sockets");
        self.0.fd_array[n] = fd.as_raw_socket() as SOCKET;
        self.0.fd_count += 1;
    }

    /// C's `FD_ISSET`: a scan of the array.
    pub fn contains(&self, fd: BorrowedFd<'_>) -> bool {
        let mut set = self.0.fd_array.iter().take(self.0.fd_count as usize);
        set.any(|&s| s == fd.as_raw_socket() as SOCKET)
    }
}

/// Winsock's `select`: each set carries its own count, so `nfds` is
/// ignored; the call leaves only the ready sockets in the sets. (With both
/// sets empty it fails, WSAEINVAL, where Unix sleeps out the timeout.)
pub fn select(
    _nfds: Option<i32>,
    readable: &mut FdSet<'_>,
    writable: &mut FdSet<'_>,
    _errors: Option<&mut FdSet<'_>>,
    timeout: Option<&mut TimeVal>,
) -> io::Result<i32> {
    let (read, write) = (&raw mut readable.0, &raw mut writable.0);
    let timeout = timeout.map_or(ptr::null(), |t| &raw const *t);
    #[allow(unsafe_code)]
    // SAFETY: both sets are ours for the call, each a valid FD_SET whose
    // count is within its array; no third set (null is allowed); `timeout`
    // is null (wait for ever) or points to a TIMEVAL that outlives the call.
    checked(unsafe { ws::select(0, read, write, ptr::null_mut(), timeout) })
}
// ANCHOR_END: select

/// nix's way to make a [`TimeVal`]: `TimeVal::milliseconds(50)`.
pub trait TimeValLike {
    fn milliseconds(ms: i64) -> TimeVal {
        let (tv_sec, tv_usec) = ((ms / 1000) as i32, (ms % 1000 * 1000) as i32);
        TIMEVAL { tv_sec, tv_usec }
    }
}
impl TimeValLike for TimeVal {}

/// The events a [`PollFd`] waits for.
#[derive(Clone, Copy)]
pub struct PollFlags(i16);

impl PollFlags {
    pub const POLLIN: Self = PollFlags(ws::POLLIN);
    pub const POLLOUT: Self = PollFlags(ws::POLLOUT);
}

/// One entry of `WSAPoll`'s array: socket, events wanted, events seen.
#[repr(transparent)]
pub struct PollFd<'fd>(WSAPOLLFD, PhantomData<BorrowedFd<'fd>>);

impl<'fd> PollFd<'fd> {
    pub fn new(fd: BorrowedFd<'fd>, events: PollFlags) -> Self {
        let mut entry = WSAPOLLFD::default();
        (entry.fd, entry.events) = (fd.as_raw_socket() as SOCKET, events.0);
        PollFd(entry, PhantomData)
    }

    /// Whether any event came back (hang-up and error count too).
    pub fn any(&self) -> Option<bool> {
        Some(self.0.revents != 0)
    }
}

/// `WSAPoll`, Windows' `poll` (with no entry it fails, WSAEINVAL).
pub fn poll(fds: &mut [PollFd<'_>], timeout: PollTimeout) -> io::Result<i32> {
    let (len, ms) = (fds.len() as u32, timeout.map_or(-1, i32::from));
    #[allow(unsafe_code)]
    // SAFETY: PollFd is a transparent WSAPOLLFD, so `fds` is an array of
    // `len` valid WSAPOLLFDs, ours for the call; WSAPoll writes only their
    // `revents`.
    checked(unsafe { ws::WSAPoll(fds.as_mut_ptr().cast(), len, ms) })
}

/// A Winsock call's result, or the error it failed with.
fn checked(result: i32) -> io::Result<i32> {
    if result != ws::SOCKET_ERROR {
        return Ok(result);
    }
    #[allow(unsafe_code)]
    // SAFETY: no arguments; it reads this thread's last Winsock error.
    let code = unsafe { ws::WSAGetLastError() };
    Err(io::Error::from_raw_os_error(code))
}

/// Nothing to raise: Windows has no `RLIMIT_NOFILE`.
pub fn raise_open_files(_wanted: u64) -> io::Result<(u64, String)> {
    let said = "no RLIMIT_NOFILE to raise: Windows limits sockets only by memory";
    Ok((u64::MAX, said.to_owned()))
}
