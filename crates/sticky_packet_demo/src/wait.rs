//! Waiting for bytes without taking them: how the demos make TCP's glue show
//! on every run. Whether two sends come out of one `recv` depends on *when*
//! the receiver calls it; a busy program is late all the time, a demo has to
//! arrange it. So a demo's receiver first waits until the bytes it expects
//! are in its receive buffer, *looking* at them without taking any (`recv`
//! with `MSG_PEEK | MSG_WAITALL`), then makes its ordinary `recv(1024)`. The
//! wait ends when the bytes are there, the peer closes, or the read timeout
//! passes (so a bug cannot hang a classroom).

use std::io;
use std::net::TcpStream;
use std::time::Duration;

/// The longest a demo waits for bytes it expects before giving up.
pub const WAIT_LIMIT: Duration = Duration::from_secs(10);

/// The most bytes anyone may ask to wait for: the peek needs a buffer that
/// big, so the request is capped rather than trusted.
pub const MAX_WAIT: usize = 64 * 1024;

// ANCHOR: wait_until_buffered
/// Block until at least `n` bytes wait in `stream`'s receive buffer, the peer
/// has closed, or the read timeout passes, *without taking any of them*.
/// Returns how many bytes are waiting (at most `n`). Without a read timeout
/// on the socket, [`WAIT_LIMIT`] bounds the wait.
pub fn wait_until_buffered(stream: &TcpStream, n: usize) -> io::Result<usize> {
    let n = n.min(MAX_WAIT);
    if n == 0 {
        return Ok(0);
    }
    let unbounded = stream.read_timeout()?.is_none();
    if unbounded {
        stream.set_read_timeout(Some(WAIT_LIMIT))?;
    }
    let waiting = peek_all(stream, n);
    if unbounded {
        stream.set_read_timeout(None)?;
    }
    waiting
}
// ANCHOR_END: wait_until_buffered

/// `recv(n, MSG_PEEK | MSG_WAITALL)`: the kernel returns once `n` bytes are
/// there (or at end of stream, or at the read timeout with what it has).
#[cfg(unix)]
fn peek_all(stream: &TcpStream, n: usize) -> io::Result<usize> {
    use std::mem::MaybeUninit;

    // Only the count matters, so the buffer is never read: socket2 lets us
    // hand the kernel uninitialised memory without any `unsafe` here.
    let mut probe = vec![MaybeUninit::<u8>::uninit(); n];
    let socket = socket2::SockRef::from(stream);
    loop {
        match socket.recv_with_flags(&mut probe, libc::MSG_PEEK | libc::MSG_WAITALL) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            result => return result,
        }
    }
}

/// Windows refuses `MSG_WAITALL` together with `MSG_PEEK`, so there the
/// receiver peeks again and again, yielding the processor in between, until
/// the bytes are there or the read timeout has passed.
#[cfg(not(unix))]
fn peek_all(stream: &TcpStream, n: usize) -> io::Result<usize> {
    use std::time::Instant;

    let limit = stream.read_timeout()?.unwrap_or(WAIT_LIMIT);
    let deadline = Instant::now() + limit;
    let mut probe = vec![0u8; n];
    loop {
        let waiting = stream.peek(&mut probe)?;
        if waiting >= n || waiting == 0 || Instant::now() >= deadline {
            return Ok(waiting);
        }
        std::thread::yield_now();
    }
}

/// How many bytes are waiting in the receive buffer right now (up to
/// [`MAX_WAIT`]), without waiting and without taking them.
pub fn bytes_waiting(stream: &TcpStream) -> io::Result<usize> {
    let mut probe = vec![0u8; MAX_WAIT];
    stream.set_nonblocking(true)?;
    let waiting = match stream.peek(&mut probe) {
        Ok(n) => Ok(n),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
        Err(e) => Err(e),
    };
    stream.set_nonblocking(false)?;
    waiting
}
