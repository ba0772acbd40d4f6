//! Small things every lesson's sockets share, one copy each: the documents'
//! `recv(1024)` size, how long a server waits for a silent client, reading
//! on until the peer closes, telling a timeout from other errors, and a
//! port where nothing listens.

use std::io::{self, ErrorKind, Read};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::cli::ephemeral;

/// How many bytes one `recv` asks for: the documents' `recv(1024)`.
pub const RECV_SIZE: usize = 1024;

/// How long either side waits for a silent peer before it gives up, so one
/// client that never sends (or a server that never answers) cannot hold the
/// other side for ever. A server gives each connection this long in all
/// (see [`patience`]), not this long per call: a client that trickles a
/// byte a second is cut off as surely as one that sends nothing.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// How long a server waits for a person typing in the other terminal
/// (`client chat`): long enough to think, and it says why it closes.
pub const TYPING_PATIENCE: Duration = Duration::from_secs(10 * 60);

static PATIENCE_MS: AtomicU64 = AtomicU64::new(0);

/// How long a server gives one connection from `accept` to close:
/// [`PATIENCE`], or what `server --patience SECS` asked for.
pub fn patience() -> Duration {
    match PATIENCE_MS.load(Ordering::Relaxed) {
        0 => PATIENCE,
        ms => Duration::from_millis(ms),
    }
}

/// Set [`patience`] for this process (`server --patience SECS`).
pub fn set_patience(patience: Duration) {
    let ms = u64::try_from(patience.as_millis())
        .unwrap_or(u64::MAX)
        .max(1);
    PATIENCE_MS.store(ms, Ordering::Relaxed);
}

/// The most [`until_closed`] takes from a peer that should be closing.
pub const DRAIN_LIMIT: usize = 64 * 1024;

// ANCHOR: until_closed
/// Read until the peer closes (a read returns 0 bytes). A server calls this
/// before it lets a connection go, so it never closes first by accident
/// (lesson 02 shows what closing first costs). A peer that sends more than
/// [`DRAIN_LIMIT`] bytes instead of closing gets an error: it must not hold
/// a one-client-at-a-time server for ever. Returns how many bytes came.
pub fn until_closed(conn: &mut impl Read) -> io::Result<usize> {
    let mut buf = [0u8; RECV_SIZE];
    let mut total = 0;
    loop {
        match conn.read(&mut buf)? {
            0 => return Ok(total),
            n => total += n,
        }
        if total > DRAIN_LIMIT {
            return Err(io::Error::new(
                ErrorKind::InvalidData,
                format!("the peer sent more than {DRAIN_LIMIT} bytes instead of closing"),
            ));
        }
    }
}
// ANCHOR_END: until_closed

/// Whether `error` is a read or write timeout running out: Unix reports
/// `EAGAIN` ("would block"), Windows `WSAETIMEDOUT`, so check for both.
pub fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// A read that waited [`patience`] in vain fails with the OS's words for a
/// timeout ("Resource temporarily unavailable" on Linux, which reads like a
/// non-blocking socket's error); say what happened instead.
pub fn name_timeout(error: io::Error) -> io::Error {
    // Only the OS's own error: one that already says what happened stays.
    if is_timeout(&error) && error.raw_os_error().is_some() {
        io::Error::new(
            ErrorKind::TimedOut,
            format!("nothing arrived from the peer for {}", seconds(patience())),
        )
    } else {
        error
    }
}

/// `30 s`, `10 min`, `0.5 s`: a wait as a person reads it.
pub fn seconds(wait: Duration) -> String {
    let secs = wait.as_secs_f64();
    if secs >= 60.0 && wait.as_secs().is_multiple_of(60) && wait.subsec_nanos() == 0 {
        format!("{} min", wait.as_secs() / 60)
    } else if wait.subsec_millis() == 0 {
        format!("{} s", wait.as_secs())
    } else {
        format!("{secs:.1} s")
    }
}

/// An address on loopback where no TCP socket listens: bind a free port,
/// then let it go. Use it at once: once let go, any program may be given
/// that port next.
pub fn closed_port() -> io::Result<SocketAddr> {
    TcpListener::bind(ephemeral())?.local_addr()
}

/// The same for UDP: a loopback port where no UDP socket is bound.
pub fn closed_udp_port() -> io::Result<SocketAddr> {
    UdpSocket::bind(ephemeral())?.local_addr()
}

/// The MESSAGE arguments a client was given, or `default` alone when there
/// are none.
///
/// ```
/// use classroom::tcp::messages_or;
/// assert_eq!(messages_or(&[], "hello"), ["hello"]);
/// assert_eq!(messages_or(&["a".into(), "b".into()], "hello"), ["a", "b"]);
/// ```
pub fn messages_or(messages: &[String], default: &str) -> Vec<String> {
    if messages.is_empty() {
        vec![default.to_owned()]
    } else {
        messages.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_until_closed_counts_and_stops_at_eof() {
        let mut wire: &[u8] = b"bye";
        assert_eq!(until_closed(&mut wire).unwrap(), 3);
    }

    #[test]
    fn a_peer_that_never_closes_is_cut_off() {
        let err = until_closed(&mut io::repeat(b'x')).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }

    #[test]
    fn a_timeout_is_called_a_timeout() {
        let err = name_timeout(io::Error::from_raw_os_error(if cfg!(windows) {
            10060
        } else {
            11
        }));
        assert_eq!(err.kind(), ErrorKind::TimedOut);
        assert_eq!(err.to_string(), "nothing arrived from the peer for 30 s");
        assert_eq!(seconds(TYPING_PATIENCE), "10 min");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
        let other = name_timeout(io::Error::from(ErrorKind::ConnectionReset));
        assert_eq!(other.kind(), ErrorKind::ConnectionReset);
    }

    #[test]
    fn nothing_listens_on_a_closed_port() {
        let addr = closed_port().unwrap();
        let err = std::net::TcpStream::connect(addr).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
    }
}
