//! How `serve_forever` waits: for a request, for a shutdown, or for the poll
//! interval to pass, whichever comes first, without spinning.
//!
//! Python's `serve_forever(poll_interval)` calls `select` on the listening
//! socket with `poll_interval` as the timeout, and looks at its shutdown flag
//! each time `select` returns. A shutdown therefore waits for the next tick.
//! We ask `poll(2)` (Windows: `WSAPoll`) about two sockets at once: the
//! server's own socket, and a small *waker* that `shutdown()` writes one byte
//! to. The wait ends the moment either is readable, so a shutdown is seen at
//! once; the poll interval is still the longest the loop goes without
//! looking around (and running `service_actions`).
//!
//! The waker is a UDP socket on the loopback interface, connected to itself:
//! it exists on every platform (a pipe would not work with `WSAPoll`), and
//! a connected UDP socket only accepts datagrams from its peer, here itself,
//! so nobody else can wake us.

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, UdpSocket};
use std::time::Duration;

#[cfg(unix)]
pub use std::os::fd::{AsFd as AsSource, BorrowedFd as Borrowed};
#[cfg(windows)]
pub use std::os::windows::io::{AsSocket as AsSource, BorrowedSocket as Borrowed};

/// What ended a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ready {
    /// The server's socket has a connection or a datagram waiting.
    Socket,
    /// The waker rang (a shutdown), or a signal interrupted the wait.
    Woken,
    /// The timeout passed with nothing to do.
    Timeout,
}

/// The other end of a wait: ringing it ends the wait early.
#[derive(Debug)]
pub(crate) struct Waker {
    socket: UdpSocket,
}

impl Waker {
    /// A loopback UDP socket connected to itself, non-blocking.
    pub(crate) fn new() -> io::Result<Waker> {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        socket.connect(socket.local_addr()?)?;
        socket.set_nonblocking(true)?;
        Ok(Waker { socket })
    }

    /// Make the current or next wait return [`Ready::Woken`].
    pub(crate) fn wake(&self) {
        // A full buffer (WouldBlock) means it is ringing already.
        let _ = self.socket.send(&[1]);
    }

    /// Read every pending ring, so the next wait blocks again.
    fn drain(&self) {
        let mut buf = [0u8; 8];
        while self.socket.recv(&mut buf).is_ok() {}
    }
}

/// Wait until `socket` is readable, the waker rings, or `timeout` passes
/// (`None`: no timeout).
pub(crate) fn wait(
    socket: &impl AsSource,
    waker: &Waker,
    timeout: Option<Duration>,
) -> io::Result<Ready> {
    let Some([socket_ready, woken]) =
        poll_readable([borrow(socket), borrow(&waker.socket)], timeout)?
    else {
        return Ok(Ready::Woken); // interrupted by a signal: the caller looks around and waits again
    };
    if woken {
        waker.drain();
    }
    Ok(match (socket_ready, woken) {
        (true, _) => Ready::Socket,
        (false, true) => Ready::Woken,
        (false, false) => Ready::Timeout,
    })
}

/// Wait for the waker alone, at most `timeout`: a pause that a shutdown
/// still cuts short. Used to back off after an `accept` error such as
/// "too many open files", which would otherwise repeat as fast as the CPU
/// can go (the socket stays readable).
pub(crate) fn pause(waker: &Waker, timeout: Duration) -> io::Result<()> {
    if let Some([true]) = poll_readable([borrow(&waker.socket)], Some(timeout))? {
        waker.drain();
    }
    Ok(())
}

#[cfg(unix)]
fn borrow(source: &impl AsSource) -> Borrowed<'_> {
    source.as_fd()
}

#[cfg(windows)]
fn borrow(source: &impl AsSource) -> Borrowed<'_> {
    source.as_socket()
}

/// The timeout in whole milliseconds, rounded up so that a short wait is
/// never turned into a zero-length one (which would spin), and capped at
/// what the system call takes. `None` becomes -1: wait for ever.
fn millis(timeout: Option<Duration>) -> i32 {
    match timeout {
        None => -1,
        Some(t) => {
            let ms = t.as_nanos().div_ceil(1_000_000);
            i32::try_from(ms).unwrap_or(i32::MAX)
        }
    }
}

/// Which of `sources` are readable (or in error, which `accept`/`recv` will
/// then report), waiting at most `timeout`. `None` when a signal
/// interrupted the wait.
#[cfg(unix)]
fn poll_readable<const N: usize>(
    sources: [Borrowed<'_>; N],
    timeout: Option<Duration>,
) -> io::Result<Option<[bool; N]>> {
    use nix::errno::Errno;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

    let mut fds = sources.map(|fd| PollFd::new(fd, PollFlags::POLLIN));
    let timeout = PollTimeout::try_from(millis(timeout)).unwrap_or(PollTimeout::MAX);
    match poll(&mut fds, timeout) {
        Ok(_) => {
            Ok(Some(fds.map(|fd| {
                fd.revents().is_some_and(|events| !events.is_empty())
            })))
        }
        Err(Errno::EINTR) => Ok(None),
        Err(errno) => Err(errno.into()),
    }
}

/// Windows' `poll`: `WSAPoll` takes the same array of (socket, events,
/// returned events) records.
#[cfg(windows)]
#[allow(unsafe_code)]
fn poll_readable<const N: usize>(
    sources: [Borrowed<'_>; N],
    timeout: Option<Duration>,
) -> io::Result<Option<[bool; N]>> {
    use std::os::windows::io::AsRawSocket;
    use windows_sys::Win32::Networking::WinSock::{
        POLLRDNORM, SOCKET, SOCKET_ERROR, WSAEINTR, WSAGetLastError, WSAPOLLFD, WSAPoll,
    };

    let mut fds = sources.map(|socket| WSAPOLLFD {
        fd: socket.as_raw_socket() as SOCKET,
        events: POLLRDNORM,
        revents: 0,
    });
    let count = u32::try_from(N).expect("a handful of sockets");
    // SAFETY: `fds` is an array of `N` initialised records that lives across
    // the call, and every socket in it is borrowed, so open, until we return.
    let result = unsafe { WSAPoll(fds.as_mut_ptr(), count, millis(timeout)) };
    if result == SOCKET_ERROR {
        // SAFETY: reads the calling thread's last Winsock error; no pointers.
        let code = unsafe { WSAGetLastError() };
        return if code == WSAEINTR {
            Ok(None)
        } else {
            Err(io::Error::from_raw_os_error(code))
        };
    }
    Ok(Some(fds.map(|fd| fd.revents != 0)))
}

/// Errors from `accept` / `recv_from` after a wait said the socket was
/// ready that mean "nothing for us after all", not "something is wrong":
/// the client gave up between the handshake and our `accept`, another
/// caller took the request, or (Windows, UDP) an ICMP "port unreachable"
/// for an earlier reply.
pub(crate) fn is_spurious(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::WouldBlock
            | ErrorKind::Interrupted
            | ErrorKind::ConnectionAborted
            | ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::Instant;

    #[test]
    fn short_timeouts_round_up_and_none_waits_for_ever() {
        assert_eq!(millis(None), -1);
        assert_eq!(millis(Some(Duration::ZERO)), 0);
        assert_eq!(millis(Some(Duration::from_micros(10))), 1);
        assert_eq!(millis(Some(Duration::from_millis(500))), 500);
        assert_eq!(millis(Some(Duration::MAX)), i32::MAX);
    }

    #[test]
    fn a_wait_with_nothing_to_do_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let waker = Waker::new().unwrap();
        let started = Instant::now();
        let ready = wait(&listener, &waker, Some(Duration::from_millis(50))).unwrap();
        assert_eq!(ready, Ready::Timeout);
        assert!(started.elapsed() >= Duration::from_millis(50));
    }

    #[test]
    fn a_ring_ends_the_wait_and_is_used_up() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let waker = Waker::new().unwrap();
        waker.wake();
        waker.wake();
        assert_eq!(wait(&listener, &waker, None).unwrap(), Ready::Woken);
        let next = wait(&listener, &waker, Some(Duration::from_millis(10))).unwrap();
        assert_eq!(next, Ready::Timeout, "both rings were drained");
    }

    #[test]
    fn a_waiting_connection_makes_the_listener_ready() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let _client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let waker = Waker::new().unwrap();
        assert_eq!(wait(&listener, &waker, None).unwrap(), Ready::Socket);
    }
}
