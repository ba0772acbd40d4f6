//! What Windows needs: `WSAPoll`, its `poll(2)`, for `serve_forever`'s wait.
//! (It takes only sockets, which is why the waker is a socket and not a
//! pipe.) Windows has no per-process limit on sockets to raise.

use std::io;
use std::os::windows::io::{AsRawSocket, BorrowedSocket};
use std::time::Duration;

use windows_sys::Win32::Networking::WinSock::{
    POLLRDNORM, SOCKET, SOCKET_ERROR, WSAEINTR, WSAGetLastError, WSAPOLLFD, WSAPoll,
};

pub(crate) use std::os::windows::io::AsSocket as AsSource;

/// Whether `a` and `b` are readable (or in error), waiting at most
/// `timeout`. A signal ends the wait early, with neither.
#[allow(unsafe_code)]
pub(crate) fn poll_readable(
    a: &impl AsSource,
    b: &impl AsSource,
    timeout: Option<Duration>,
) -> io::Result<(bool, bool)> {
    let record = |socket: BorrowedSocket<'_>| WSAPOLLFD {
        fd: socket.as_raw_socket() as SOCKET,
        events: POLLRDNORM,
        revents: 0,
    };
    let mut fds = [record(a.as_socket()), record(b.as_socket())];
    let timeout = crate::server::millis(timeout);
    // SAFETY: `fds` holds 2 initialised records and lives across the call;
    // both sockets are borrowed, so open, until we return.
    let result = unsafe { WSAPoll(fds.as_mut_ptr(), 2, timeout) };
    if result == SOCKET_ERROR {
        // SAFETY: reads the calling thread's last Winsock error; no pointers.
        let code = unsafe { WSAGetLastError() };
        return match code {
            WSAEINTR => Ok((false, false)),
            _ => Err(io::Error::from_raw_os_error(code)),
        };
    }
    Ok((fds[0].revents != 0, fds[1].revents != 0))
}

/// Nothing to do: Windows has no per-process limit on sockets to raise.
pub fn make_room_for(_fds: u64) -> io::Result<()> {
    Ok(())
}
