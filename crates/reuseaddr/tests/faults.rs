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
    // A client that leaves early ended its own conversation: said calmly.
    assert!(
        seen.iter()
            .any(|l| l.contains("the client left that connection early")),
        "{seen:?}"
    );
    assert!(!seen.iter().any(|l| l.contains("gave up")), "{seen:?}");
}

#[test]
fn a_silent_client_loses_the_server_within_its_patience() {
    let server = ServerProcess::start(
        common::BIN,
        &["server", "fixed", "--port", "0", "--patience", "0.5"],
    );
    let _silent = TcpStream::connect(server.addr).unwrap();
    let seen = server.wait_for("gave up");
    assert!(
        seen.last()
            .unwrap()
            .contains("the connection's 0.5 s are up"),
        "{seen:?}"
    );
    server.wait_for("listening again on");
    assert_eq!(hello(&server), b"hi");
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
        let expected = format!(
            "error: binding TCP 127.0.0.1:{port}: Address already in use (os error 98)\n  hint: no program listens on TCP port {port}: a connection that closed there a moment ago holds it, in TIME_WAIT ("
        );
        assert!(text.starts_with(&expected), "{step}: {text}");
        let why = if step == "broken" {
            "and SO_REUSEADDR is off here"
        } else {
            "left by a run with SO_REUSEADDR off"
        };
        assert!(text.contains(why), "{step}: {text}");
    }
}

// A port that a live listener holds is another program's, not a
// TIME_WAIT's: the hint says so and suggests `--port 0`.
#[test]
fn a_port_another_program_listens_on_is_named_as_such() {
    let other = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = other.local_addr().unwrap().port().to_string();
    let (code, text) = run(&["server", "broken", "--port", &port]);
    assert_eq!(code, 1, "{text}");
    let expected = format!("error: binding TCP 127.0.0.1:{port}: Address already in use");
    assert!(text.starts_with(&expected), "{text}");
    assert!(
        text.contains(&format!(
            "hint: another program is listening on TCP port {port}"
        )),
        "{text}"
    );
    assert!(
        text.contains("--port 0") && !text.contains("TIME_WAIT"),
        "{text}"
    );
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
