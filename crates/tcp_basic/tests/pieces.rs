//! The library's small pieces on their own: the `sendall` loop against
//! writers that take little or nothing, and the HTTP step's status parser
//! and response.

use std::io::{self, ErrorKind, Write};

use tcp_basic::http::{parse_status, response};
use tcp_basic::sendall::send_all;

/// A writer that takes at most three bytes per call, like a busy socket.
struct Trickle(Vec<u8>);

impl Write for Trickle {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(3);
        self.0.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn send_all_keeps_offering_the_rest() {
    let mut sink = Trickle(Vec::new());
    assert_eq!(send_all(&mut sink, b"hello world").unwrap(), 4);
    assert_eq!(sink.0, b"hello world");
}

#[test]
fn a_writer_that_takes_nothing_is_an_error_not_a_hang() {
    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Ok(0)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let err = send_all(&mut Full, b"x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WriteZero);
}

#[test]
fn status_lines_are_parsed() {
    assert_eq!(parse_status(b"HTTP/1.1 200 OK\r\n\r\n"), Some((200, "OK")));
    assert_eq!(
        parse_status(b"HTTP/1.0 404 Not Found\r\n"),
        Some((404, "Not Found"))
    );
    assert_eq!(parse_status(b"hello"), None);
    assert_eq!(parse_status(b"HTTP/1.1 abc\r\n"), None);
}

#[test]
fn the_response_length_matches_its_body() {
    let reply = response("/");
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    assert!(head.contains(&format!("Content-Length: {}", body.len())));
}
