//! `timeout`: the middle ground between waiting for ever and never waiting
//! (document 001 §socket方法: `settimeout`, with `setblocking` beside it).
//! A timeout lets a call wait, but only so long; then it fails.
//!
//! | Python | Rust |
//! |---|---|
//! | `settimeout(None)` (blocking) | `set_read_timeout(None)`, `set_write_timeout(None)` |
//! | `settimeout(0)` = `setblocking(False)` | `set_nonblocking(true)`; a zero timeout is refused |
//! | `settimeout(0.2)` | `set_read_timeout(Some(Duration::from_millis(200)))`, and the same for writes |
//! | `socket.timeout` (`TimeoutError`) | `ErrorKind::WouldBlock` (`EAGAIN`) on Unix, `ErrorKind::TimedOut` (10060) on Windows |
//! | `settimeout` before `connect` | `TcpStream::connect_timeout(addr, limit)` |

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::tcp::{RECV_SIZE, is_timeout};
use classroom::{Traced, narrate, runner};
use socket2::SockRef;

use crate::{Turns, os_error};

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

/// The server's half: it sends `hello` once the client's first read has
/// timed out, then reads nothing, so the client's writes fill the buffers.
pub fn server(listener: &TcpListener, turns: &Turns) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    SockRef::from(&*conn).set_recv_buffer_size(BUFFER)?;
    turns.wait()?; // the client's first read has timed out
    conn.write_all(b"hello")?;
    turns.pass();
    turns.wait() // read nothing more until the client's writes have timed out
}

/// The client's half: a read that times out, a read that does not, a zero
/// timeout refused, and a write that times out.
pub fn client(addr: SocketAddr, turns: &Turns) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    stream.say(format!(
        "read_timeout() = {:?}  (gettimeout() is None: a blocking socket)",
        stream.read_timeout()?
    ));
    match stream.set_read_timeout(Some(Duration::ZERO)) {
        Err(e) => stream.say(format!("set_read_timeout(Some(0s)) is refused: {e}")),
        other => return Err(unexpected("a zero timeout to be refused", other)),
    }
    narrate("Python's settimeout(0) is setblocking(False); Rust spells it set_nonblocking(true)");

    // ANCHOR: read_timeout
    stream.set_read_timeout(Some(LIMIT))?; // Python: settimeout(0.2)
    stream.say(format!(
        "set_read_timeout(Some({LIMIT:?}))  (settimeout(0.2))"
    ));
    let mut buf = [0u8; RECV_SIZE];
    let started = Instant::now();
    match stream.read(&mut buf) {
        Err(e) if is_timeout(&e) => stream.say(format!(
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
    turns.pass();

    turns.wait()?; // the server has sent "hello"
    let started = Instant::now();
    if stream.read(&mut buf)? == 0 {
        return Err(ErrorKind::UnexpectedEof.into()); // the server left early
    }
    stream.say(format!(
        "recv() returned after {:.1?}: a timeout is only an upper bound",
        started.elapsed()
    ));

    // Small buffers fill fast, and a size set by hand stays put (Linux
    // otherwise grows them while we write).
    SockRef::from(&*stream).set_send_buffer_size(BUFFER)?;
    stream.set_write_timeout(Some(WRITE_LIMIT))?;
    stream.say(format!(
        "set_write_timeout(Some({WRITE_LIMIT:?})); the server reads no more: write until the buffers are full"
    ));
    // Hundreds of writes, the number up to the kernel: counted, not printed.
    let (written, e) = write_until_timeout(stream.get_mut())?;
    stream.say(format!(
        "write() gave up after {written} bytes had gone: {}",
        os_error(&e)
    ));
    narrate(
        "a full send buffer made write() wait, and after the limit it stopped: the same error, the other way",
    );
    turns.pass();
    Ok(())
}

/// The demo: both halves, on one connection.
pub fn demo() -> io::Result<()> {
    let (server_turns, turns) = Turns::pair();
    runner::pair(
        move |listener| server(listener, &server_turns),
        |addr| client(addr, &turns),
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
