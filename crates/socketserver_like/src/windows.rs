//! Windows only: `WSAPoll`, its `poll(2)`, which takes only sockets (so the
//! waker is a socket). Windows has no limit on sockets to raise.

use std::io;
use std::os::windows::io::AsRawSocket;
use std::time::Duration;

use windows_sys::Win32::Networking::WinSock::{
    POLLRDNORM, SOCKET, SOCKET_ERROR, WSAEINTR, WSAGetLastError, WSAPOLLFD, WSAPoll,
};

pub(crate) use std::os::windows::io::{AsSocket as AsSource, BorrowedSocket as Source};

/// Off, as std leaves it: Windows binds past `TIME_WAIT` anyway; on, others could share our port.
pub(crate) const REUSE_ADDRESS: bool = false;

/// A socket, borrowed for [`poll_readable`].
pub(crate) fn source(socket: &(impl AsSource + ?Sized)) -> Source<'_> {
    socket.as_socket()
}

/// Which of `all` are readable (or in error), waiting at most `wait`.
#[allow(unsafe_code)]
pub(crate) fn poll_readable(all: &[Source<'_>], wait: Option<Duration>) -> io::Result<Vec<bool>> {
    let record = |socket: &Source<'_>| WSAPOLLFD {
        fd: socket.as_raw_socket() as SOCKET,
        events: POLLRDNORM,
        revents: 0,
    };
    let mut fds: Vec<WSAPOLLFD> = all.iter().map(record).collect();
    let count = u32::try_from(fds.len()).map_err(io::Error::other)?;
    // SAFETY: `fds` holds `count` initialised records and lives across the
    // call; every socket is borrowed, so open, until we return.
    let result = unsafe { WSAPoll(fds.as_mut_ptr(), count, crate::server::millis(wait)) };
    if result == SOCKET_ERROR {
        // SAFETY: reads the calling thread's last Winsock error; no pointers.
        let code = unsafe { WSAGetLastError() };
        return match code {
            WSAEINTR => Ok(vec![false; fds.len()]),
            _ => Err(io::Error::from_raw_os_error(code)),
        };
    }
    Ok(fds.iter().map(|fd| fd.revents != 0).collect())
}

/// A watched server's socket, for `WSAPoll` and `socket2`, is its listener.
impl AsSource for crate::Watched {
    fn as_socket(&self) -> Source<'_> {
        self.listener.as_socket()
    }
}

/// Nothing to do: Windows has no per-process limit on sockets to raise.
pub fn make_room_for(_fds: u64) -> io::Result<()> {
    Ok(())
}
