//! Errors a student will meet, printed with the OS error text and number and a
//! hint naming the lesson that explains them.
//!
//! Rust's `io::Error` already prints the OS text and number
//! (`Connection refused (os error 111)`); this module adds the hint.

use std::io::{self, ErrorKind};
use std::net::SocketAddr;

/// A one-line hint for the errors the lessons explain, if this is one of them.
pub fn hint(error: &io::Error) -> Option<&'static str> {
    let hint = match error.kind() {
        ErrorKind::ConnectionRefused => {
            "nothing is listening at that address: start the server first (lesson 01)"
        }
        ErrorKind::AddrInUse => {
            "another socket holds this port: a program using it, or for TCP a recent connection in TIME_WAIT (lesson 02); `--port 0` lets the OS pick a free one"
        }
        ErrorKind::AddrNotAvailable => {
            "that address does not belong to this machine; 127.0.0.1 always does (lesson 01)"
        }
        ErrorKind::PermissionDenied => {
            "a port below 1024 needs root or CAP_NET_BIND_SERVICE on Linux (and root on macOS for a specific address); pick one from 1024 up (lesson 01, low-port)"
        }
        ErrorKind::WouldBlock => {
            // On Unix a read timeout also reports EAGAIN ("would block").
            "nothing was ready: a read timeout ran out, or a non-blocking socket had no data yet (lesson 06, nonblocking)"
        }
        ErrorKind::TimedOut => {
            "the peer did not answer within the timeout (lesson 06 explains timeouts)"
        }
        ErrorKind::ConnectionReset | ErrorKind::BrokenPipe | ErrorKind::ConnectionAborted => {
            "the peer went away in the middle of the conversation (lesson 01, half-close)"
        }
        ErrorKind::UnexpectedEof => {
            "the peer closed the connection before the whole message arrived (lesson 05)"
        }
        _ if out_of_descriptors(error) => {
            "this process has as many sockets and files open as it may (`ulimit -n`); each closed connection frees one (lesson 07, limit)"
        }
        _ if is_message_too_long(error) => {
            "a UDP datagram carries at most 65507 bytes of payload over IPv4, 65527 over IPv6 (lesson 03, limits)"
        }
        _ => return None,
    };
    Some(hint)
}

/// `error` with what we were doing in front of it (`connecting to
/// 127.0.0.1:8898: Connection refused (os error 111)`), keeping its kind so
/// [`hint`] still recognises it.
pub fn context(error: io::Error, doing: impl std::fmt::Display) -> io::Error {
    io::Error::new(error.kind(), format!("{doing}: {error}"))
}

/// A hint for one error in particular, carried inside it; [`explain`]
/// prefers it to the hint for the error's kind.
#[derive(Debug)]
struct Hinted {
    error: io::Error,
    hint: String,
}

impl std::fmt::Display for Hinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// `error` with a hint of its own, keeping its kind and its OS text.
pub fn with_hint(error: io::Error, hint: impl Into<String>) -> io::Error {
    let kind = error.kind();
    io::Error::new(
        kind,
        Hinted {
            error,
            hint: hint.into(),
        },
    )
}

/// A failed `bind` of `addr`, said in full: `binding UDP 127.0.0.1:9000:
/// Address already in use (os error 98)`, and for a busy port a hint that
/// fits the protocol (UDP has no TIME_WAIT to blame).
pub fn bind_failed(error: io::Error, addr: SocketAddr, protocol: &str) -> io::Error {
    let busy = error.kind() == ErrorKind::AddrInUse;
    let error = context(error, format!("binding {protocol} {addr}"));
    if !busy {
        return error;
    }
    let port = addr.port();
    let hint = if protocol == "TCP" {
        format!(
            "another program is listening on TCP port {port}: stop it, or pass `--port 0` to let the OS pick a free port"
        )
    } else {
        format!(
            "another program has bound {protocol} port {port}: stop it, or pass `--port 0` to let the OS pick a free port"
        )
    };
    with_hint(error, hint)
}

/// Whether `error` is "too many open files": this process (EMFILE) or the
/// whole system (ENFILE) is out of file descriptors. `accept` then fails at
/// once, again and again, while the connection it could not take waits.
pub fn out_of_descriptors(error: &io::Error) -> bool {
    let (emfile, enfile) = if cfg!(windows) {
        (10024, 10024) // WSAEMFILE
    } else {
        (24, 23)
    };
    matches!(error.raw_os_error(), Some(n) if n == emfile || n == enfile)
}

/// The error, then the hint on its own line if there is one.
///
/// ```
/// let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
/// let text = classroom::errors::explain(&refused);
/// assert!(text.contains("start the server first"));
/// ```
pub fn explain(error: &io::Error) -> String {
    if let Some(hinted) = error.get_ref().and_then(|e| e.downcast_ref::<Hinted>()) {
        return format!("{error}\n  hint: {}", hinted.hint);
    }
    match hint(error) {
        Some(hint) => format!("{error}\n  hint: {hint}"),
        None => error.to_string(),
    }
}

/// EMSGSIZE has no stable `ErrorKind` of its own; recognise it by number.
fn is_message_too_long(error: &io::Error) -> bool {
    const EMSGSIZE: i32 = if cfg!(windows) {
        10040 // WSAEMSGSIZE
    } else if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd"
    )) {
        40
    } else {
        90
    };
    error.raw_os_error() == Some(EMSGSIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_errors_get_a_hint_naming_a_lesson() {
        for kind in [
            ErrorKind::ConnectionRefused,
            ErrorKind::AddrInUse,
            ErrorKind::WouldBlock,
        ] {
            let hint = hint(&io::Error::from(kind)).unwrap();
            assert!(hint.contains("lesson 0"), "{kind:?}: {hint}");
        }
    }

    #[test]
    fn context_keeps_the_kind_and_the_os_text() {
        let refused = io::Error::from(ErrorKind::ConnectionRefused);
        let err = context(refused, "connecting to 127.0.0.1:1");
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
        assert!(explain(&err).starts_with("connecting to 127.0.0.1:1: "));
        assert!(explain(&err).contains("start the server first"));
    }

    #[test]
    fn a_busy_port_names_the_protocol_and_suggests_port_0() {
        let addr = "127.0.0.1:9000".parse().unwrap();
        let udp = explain(&bind_failed(
            io::Error::from(ErrorKind::AddrInUse),
            addr,
            "UDP",
        ));
        assert!(udp.starts_with("binding UDP 127.0.0.1:9000: "), "{udp}");
        assert!(
            udp.contains("--port 0") && !udp.contains("TIME_WAIT"),
            "{udp}"
        );
        let tcp = bind_failed(io::Error::from(ErrorKind::AddrInUse), addr, "TCP");
        assert_eq!(tcp.kind(), ErrorKind::AddrInUse);
        assert!(explain(&tcp).contains("listening on TCP port 9000"));
        let refused = bind_failed(io::Error::from(ErrorKind::PermissionDenied), addr, "TCP");
        assert!(explain(&refused).contains("below 1024"));
    }

    #[cfg(unix)]
    #[test]
    fn too_many_open_files_is_recognised() {
        assert!(out_of_descriptors(&io::Error::from_raw_os_error(24)));
        assert!(!out_of_descriptors(&io::Error::from_raw_os_error(111)));
        assert!(explain(&io::Error::from_raw_os_error(24)).contains("ulimit -n"));
    }

    #[test]
    fn unknown_errors_are_printed_as_they_are() {
        let err = io::Error::other("something else");
        assert_eq!(explain(&err), "something else");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn os_errors_keep_their_number() {
        let text = explain(&io::Error::from_raw_os_error(111));
        assert!(
            text.starts_with("Connection refused (os error 111)"),
            "{text}"
        );
        assert!(explain(&io::Error::from_raw_os_error(90)).contains("65507"));
    }
}
