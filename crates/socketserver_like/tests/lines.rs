//! `read_line` and `chomp`: a line at a time from a peer, with a limit.

use socketserver_like::{chomp, read_line};

#[test]
fn read_line_gives_each_line_and_then_none() {
    let mut input: &[u8] = b"Ada\nLinus";
    assert_eq!(
        read_line(&mut input, 16).unwrap().as_deref(),
        Some(&b"Ada\n"[..])
    );
    assert_eq!(
        read_line(&mut input, 16).unwrap().as_deref(),
        Some(&b"Linus"[..])
    );
    assert_eq!(read_line(&mut input, 16).unwrap(), None);
}

#[test]
fn a_line_longer_than_the_limit_is_an_error_and_the_limit_itself_is_not() {
    let err = read_line(&mut &b"far too long\n"[..], 4).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(read_line(&mut &b"abc\n"[..], 4).unwrap().is_some());
}

#[test]
fn chomp_takes_off_either_line_ending() {
    assert_eq!(chomp(b"exit\r\n"), b"exit");
    assert_eq!(chomp(b"exit\n"), b"exit");
    assert_eq!(chomp(b"exit"), b"exit");
}
