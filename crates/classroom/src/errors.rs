//! Errors a student will meet, printed with the OS error text and number and a
//! hint naming the lesson that explains them.
//!
//! Rust's `io::Error` already prints the OS text and number
//! (`Connection refused (os error 111)`); this module adds the hint.

use std::io::{self, ErrorKind};

/// A one-line hint for the errors the lessons explain, if this is one of them.
pub fn hint(error: &io::Error) -> Option<&'static str> {
    let hint = match error.kind() {
        ErrorKind::ConnectionRefused => {
            "nothing is listening at that address: start the server first (lesson 01)"
        }
        ErrorKind::AddrInUse => {
            "another socket holds this address; lesson 02 (reuseaddr) explains TIME_WAIT and SO_REUSEADDR"
        }
        ErrorKind::AddrNotAvailable => {
            "that address does not belong to this machine; 127.0.0.1 always does (lesson 01)"
        }
        ErrorKind::PermissionDenied => {
            "ports below 1024 need administrator rights; pick a port from 1024 up (lesson 01)"
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
        _ if is_message_too_long(error) => {
            "a UDP datagram carries at most 65507 bytes of payload (lesson 03, limits)"
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

/// The error, then the hint on its own line if there is one.
///
/// ```
/// let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
/// let text = classroom::errors::explain(&refused);
/// assert!(text.contains("start the server first"));
/// ```
pub fn explain(error: &io::Error) -> String {
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
