//! `timeout`: the middle ground between waiting for ever and never waiting
//! (document 001 §socket方法: `settimeout`, with `setblocking` beside it).
//! A timeout lets a call wait, but only so long; then it fails.
//!
//! | Python | Rust |
//! |---|---|
//! | `settimeout(None)` (blocking) | `set_read_timeout(None)`, `set_write_timeout(None)` |
//! | `settimeout(0)` = `setblocking(False)` | `set_nonblocking(true)`; a zero timeout is refused |
//! | `settimeout(0.2)` | `set_read_timeout(Some(Duration::from_millis(200)))`, and the same for writes |
//! | `gettimeout()` | `read_timeout()`, `write_timeout()` |
//! | `socket.timeout` (`TimeoutError`) | `ErrorKind::WouldBlock` (`EAGAIN`) on Unix, `ErrorKind::TimedOut` (10060) on Windows |
//! | `settimeout` before `connect` | `TcpStream::connect_timeout(addr, limit)` |

use std::io::{self, ErrorKind, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use classroom::narrate;
use classroom::tcp::demo_pair;
use socket2::SockRef;

use crate::{next_turn, os_error, recv_once};

/// The timeout the demo sets: Python's `settimeout(0.2)`.
pub const LIMIT: Duration = Duration::from_millis(200);

/// The write timeout: shorter, because a full buffer may free a little room
/// now and then, and each partial write waits the whole timeout again.
pub const WRITE_LIMIT: Duration = Duration::from_millis(50);

/// The send and receive buffer sizes the demo asks for while filling them.
pub const BUFFER: usize = 64 * 1024;

/// The most the demo writes while filling the buffers, in case a system
/// would take it all.
pub const FILL_LIMIT: usize = 64 * 1024 * 1024;

// ANCHOR: is_timeout
/// Whether `e` is what a read or write timeout gives: `EAGAIN` ("would
/// block") on Unix, `WSAETIMEDOUT` on Windows.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}
// ANCHOR_END: is_timeout

// ANCHOR: fill
/// Write blocks of bytes until a write gives up (the timeout) and return
/// how many bytes went before it did, with the error.
pub fn write_until_timeout(stream: &mut TcpStream) -> io::Result<(usize, io::Error)> {
    let block = [b'x'; 64 * 1024];
    let mut written = 0;
    while written < FILL_LIMIT {
        match stream.write(&block) {
            Ok(n) => written += n,
            Err(e) if is_timeout(&e) => return Ok((written, e)),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "{written} bytes were written and no write timed out"
    )))
}
// ANCHOR_END: fill

/// The demo: a read that times out, a read that does not, a zero timeout
/// refused, and a write that times out.
pub fn demo() -> io::Result<()> {
    let (to_client, from_server) = mpsc::channel::<()>();
    let (to_server, from_client) = mpsc::channel::<()>();
    demo_pair(
        move |mut conn: TcpStream, server| {
            SockRef::from(&conn).set_recv_buffer_size(BUFFER)?;
            next_turn(&from_client)?; // the client's first read has timed out
            server.sent(b"hello");
            conn.write_all(b"hello")?;
            let _ = to_client.send(());
            // Read nothing more until the client's writes have timed out:
            // the buffers between the two fill up.
            next_turn(&from_client)?;
            Ok(())
        },
        move |mut stream: TcpStream, client| {
            client.say(format!(
                "read_timeout() = {:?}  (gettimeout() is None: a blocking socket)",
                stream.read_timeout()?
            ));
            match stream.set_read_timeout(Some(Duration::ZERO)) {
                Err(e) => client.say(format!("set_read_timeout(Some(0s)) is refused: {e}")),
                other => return Err(unexpected("a zero timeout to be refused", other)),
            }
            narrate(
                "Python's settimeout(0) is setblocking(False); Rust spells it set_nonblocking(true)",
            );

            // ANCHOR: read_timeout
            stream.set_read_timeout(Some(LIMIT))?; // Python: settimeout(0.2)
            client.say(format!(
                "set_read_timeout(Some({LIMIT:?}))  (settimeout(0.2))"
            ));
            let started = Instant::now();
            match recv_once(&mut stream, client) {
                Err(e) if is_timeout(&e) => client.say(format!(
                    "recv() gave up after {:.1?}: {}",
                    started.elapsed(),
                    os_error(&e)
                )),
                other => return Err(unexpected("recv() to time out", other)),
            }
            // ANCHOR_END: read_timeout
            narrate(
                "nothing came within the limit, so recv() stopped waiting: Python raises socket.timeout here",
            );
            let _ = to_server.send(());

            next_turn(&from_server)?; // the server has sent "hello"
            let started = Instant::now();
            recv_once(&mut stream, client)?;
            client.say(format!(
                "recv() returned after {:.1?}: a timeout is only an upper bound",
                started.elapsed()
            ));

            // Small buffers fill fast, and a size set by hand stays put
            // (Linux otherwise grows them while we write).
            SockRef::from(&stream).set_send_buffer_size(BUFFER)?;
            stream.set_write_timeout(Some(WRITE_LIMIT))?;
            client.say(format!(
                "set_write_timeout(Some({WRITE_LIMIT:?})); the server reads no more: write until the buffers are full"
            ));
            let (written, e) = write_until_timeout(&mut stream)?;
            client.say(format!(
                "write() gave up after {written} bytes had gone: {}",
                os_error(&e)
            ));
            narrate(
                "a full send buffer made write() wait, and after the limit it stopped: the same error, the other way",
            );
            let _ = to_server.send(());
            Ok(())
        },
    )?;
    narrate(
        "on Linux and macOS a timeout gives EAGAIN (ErrorKind::WouldBlock); on Windows, TimedOut (os error 10060)",
    );
    narrate("a timeout bounds one wait on one socket; lesson 07 waits on many sockets at once");
    Ok(())
}

fn unexpected<T: std::fmt::Debug>(wanted: &str, got: io::Result<T>) -> io::Error {
    io::Error::other(format!("expected {wanted}, got {got:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    #[test]
    fn a_read_timeout_is_a_would_block_or_timed_out_error() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let _conn = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(20)))
            .unwrap();
        let started = Instant::now();
        let err = stream.read(&mut [0u8; 8]).unwrap_err();
        assert!(is_timeout(&err), "{err:?}");
        assert!(started.elapsed() >= Duration::from_millis(15));
    }
}
