//! The picture server's few pieces of HTTP: a response is a head, a blank
//! line and a body; lengths a peer sends are checked before anything is
//! allocated; the picture is what the `client` steps need.

use select_multiplex::http::{PICTURE, PNG_SIGNATURE, body_start, content_length, response};

#[test]
fn a_response_is_head_blank_line_body() {
    let reply = response();
    let start = body_start(&reply).unwrap();
    assert_eq!(&reply[start..], PICTURE);
    assert_eq!(content_length(&reply[..start]).unwrap(), PICTURE.len());
    assert!(String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 200 OK\r\n"));
}

#[test]
fn bad_lengths_are_refused_before_allocating() {
    let head = |len: &str| format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n");
    assert!(content_length(head("99999999999").as_bytes()).is_err());
    assert!(content_length(head("-1").as_bytes()).is_err());
    assert!(content_length(head("twelve").as_bytes()).is_err());
    assert!(content_length(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
}

#[test]
fn the_picture_is_a_png_bigger_than_one_recv_with_no_blank_line() {
    assert!(PICTURE.starts_with(PNG_SIGNATURE));
    assert_eq!(&PICTURE[12..16], b"IHDR");
    assert!(PICTURE.len() > 8196 && PICTURE.len() < 64 * 1024);
    // The document cuts at the *last* blank line; ours has none to cut at.
    assert!(body_start(PICTURE).is_none());
}
