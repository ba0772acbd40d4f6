//! Servers survive clients that misbehave, a restart blocked by TIME_WAIT
//! is reported with the OS error, and misuse gets a clear message.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use classroom::testing::{ServerProcess, read_to_end};
use common::{run, start_server};
use socket2::SockRef;

/// Talk to a `server fixed` as the document's client does; return the
/// answer once the server has closed.
fn hello(server: &ServerProcess) -> Vec<u8> {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all(b"hello!").unwrap();
    read_to_end(&mut stream)
}

#[test]
fn a_client_that_leaves_without_a_word_does_not_stop_the_server() {
    let server = start_server("fixed");
    drop(TcpStream::connect(server.addr).unwrap());
    server.wait_for("listening again on");
    assert_eq!(hello(&server), b"hi");
}

#[test]
fn a_client_that_resets_does_not_stop_the_server() {
    let server = start_server("fixed");
    let rude = TcpStream::connect(server.addr).unwrap();
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(rude);
    let seen = server.wait_for("listening again on");
    assert_eq!(hello(&server), b"hi", "server output:\n{}", seen.join("\n"));
}

#[test]
fn bytes_that_are_not_text_are_shown_as_hex() {
    let server = start_server("fixed");
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all(&[0xff, 0x00, 0xfe]).unwrap();
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("3 bytes ff 00 fe"),
        "{seen:?}"
    );
}

#[test]
fn a_client_that_keeps_sending_instead_of_closing_is_given_up_on() {
    let server = start_server("fixed");
    let mut flood = TcpStream::connect(server.addr).unwrap();
    flood.write_all(b"hello!").unwrap();
    // After the server's FIN, more than 64 KiB instead of our own FIN.
    let junk = vec![b'a'; classroom::tcp::DRAIN_LIMIT + 4096];
    let _ = flood.write_all(&junk);
    let seen = server.wait_for("gave up on");
    assert!(
        seen.last().unwrap().contains("more than 65536 bytes"),
        "{seen:?}"
    );
    server.wait_for("listening again on");
}

// The TIME_WAIT left by `server broken` blocks a second start on the same
// port, and blocks `server fixed` too: the old connection remembers that its
// listener had the option off.
#[cfg(target_os = "linux")]
#[test]
fn a_time_wait_from_a_run_without_the_option_blocks_every_start() {
    let server = start_server("broken");
    assert_eq!(hello(&server), b"hi");
    server.wait_for("bind failed: Address already in use (os error 98)");
    let port = server.addr.port().to_string();
    assert!(server.wait_exit().success());
    for step in ["broken", "fixed"] {
        let (code, text) = run(&["server", step, "--port", &port]);
        assert_eq!(code, 1, "{step}: {text}");
        let bind = if step == "broken" { "off" } else { "on" };
        let expected = format!(
            "error: binding 127.0.0.1:{port} (SO_REUSEADDR {bind}): Address already in use (os error 98)\n  hint: another socket holds this port: a program using it, or for TCP a recent connection in TIME_WAIT (lesson 02)"
        );
        assert!(text.starts_with(&expected), "{step}: {text}");
    }
}

#[test]
fn a_client_sends_one_message_per_run() {
    let (code, text) = run(&["client", "fixed", "--port", "1", "a", "b"]);
    assert_eq!(code, 1);
    assert!(text.contains("one MESSAGE per run"), "{text}");
}

#[test]
fn connection_refused_names_the_address() {
    let port = classroom::tcp::closed_port().unwrap().port().to_string();
    let (code, text) = run(&["client", "broken", "--port", &port]);
    assert_eq!(code, 1);
    let expected = format!("error: talking to 127.0.0.1:{port}: Connection refused");
    assert!(text.starts_with(&expected), "{text}");
}

#[test]
fn reuseport_has_no_two_terminal_form() {
    let (code, text) = run(&["server", "reuseport"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("run `cargo run -p reuseaddr -- demo reuseport` instead"),
        "{text}"
    );
}
