//! A server survives clients that misbehave, and errors name the OS error.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::process::Command;

use classroom::testing::{read_n, read_to_end, run_command, run_failing, run_ok};
use common::{BIN, hello, start_server};
use socket2::SockRef;

#[test]
fn a_client_that_leaves_without_a_word_does_not_stop_the_server() {
    let server = start_server("hello");
    drop(TcpStream::connect(server.addr).unwrap());
    server.wait_for("0 bytes (EOF");
    assert_eq!(hello(&server), b"hi");
}

#[test]
fn a_client_that_resets_does_not_stop_the_server() {
    let server = start_server("hello");
    let rude = TcpStream::connect(server.addr).unwrap();
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    SockRef::from(&rude)
        .set_linger(Some(std::time::Duration::ZERO))
        .unwrap();
    drop(rude);
    let seen = server.wait_for("waiting for a connection");
    assert_eq!(hello(&server), b"hi", "server output:\n{}", seen.join("\n"));
}

#[test]
fn bytes_that_are_not_text_are_shown_as_hex_and_answered() {
    let server = start_server("hello");
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all(&[0xff, 0x00, 0xfe]).unwrap();
    assert_eq!(read_n(&mut stream, 2), b"hi");
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("3 bytes ff 00 fe"),
        "{seen:?}"
    );
}

#[test]
fn an_oversized_http_request_is_refused_and_the_server_goes_on() {
    let server = start_server("http");
    let mut flood = TcpStream::connect(server.addr).unwrap();
    // No blank line ever comes: the server must stop reading at its limit.
    let junk = vec![b'a'; tcp_basic::http::LIMIT + 4096];
    let _ = flood.write_all(&junk);
    let seen = server.wait_for("gave up on");
    assert!(
        seen.last().unwrap().contains("more than 65536 bytes"),
        "{seen:?}"
    );
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .write_all(tcp_basic::http::request().as_bytes())
        .unwrap();
    let reply = read_to_end(&mut stream);
    assert!(reply.starts_with(b"HTTP/1.1 200 OK\r\n"));
}

/// `client hello` follows the contract: its MESSAGE arguments, or else the
/// lines on stdin until `q`, one connection each; an empty line is not sent.
#[test]
fn the_hello_client_sends_what_it_is_given() {
    let server = start_server("hello");
    let port = server.addr.port().to_string();
    let typed = run_command(
        Command::new(BIN).args(["client", "hello", "--port", &port]),
        "one\n\n二\nq\nnever\n",
    );
    let typed = classroom::testing::succeeded(typed);
    assert!(
        typed.starts_with("[client] type a line and press Enter; q quits\n"),
        "{typed}"
    );
    assert!(
        typed.contains("[client] an empty line is not sent"),
        "{typed}"
    );
    let given = run_ok(BIN, &["client", "hello", "--port", &port, "three"]);
    assert!(!given.contains("q quits"), "{given}");
    let sent: Vec<String> = [typed, given]
        .concat()
        .lines()
        .filter(|l| l.contains("send #"))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        sent,
        [
            "[client] send #1: 3 bytes \"one\"",
            "[client] send #1: 3 bytes \"二\"",
            "[client] send #1: 5 bytes \"three\""
        ]
    );
    let seen = server.wait_for("5 bytes \"three\"");
    assert!(!seen.iter().any(|l| l.contains("never")), "{seen:?}");
}

#[test]
fn connection_refused_prints_the_os_error_and_a_hint() {
    let port = classroom::tcp::closed_port().unwrap().port();
    let stderr = run_failing(
        BIN,
        &["client", "hello", "--port", &port.to_string(), "hi"],
        1,
    );
    let expected = format!("error: talking to 127.0.0.1:{port}: Connection refused (os error");
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(
        stderr.contains("hint: nothing is listening at that address"),
        "{stderr}"
    );
}

#[test]
fn a_step_without_a_server_role_says_which_demo_to_run() {
    let stderr = run_failing(BIN, &["server", "methods"], 1);
    assert!(
        stderr.contains("run `cargo run -p tcp_basic -- demo methods` instead"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_step_is_a_usage_error() {
    run_failing(BIN, &["demo", "nope"], 2);
}

// Lesson 01's last section: std's listener sets SO_REUSEADDR (on Unix), so
// a server stopped while it held a connection starts again at once, next
// to the TIME_WAIT that connection left on its port. Lesson 02 shows the
// failure with a listener made without the option.
#[cfg(target_os = "linux")]
#[test]
fn a_stopped_server_starts_again_next_to_its_time_wait() {
    use std::net::SocketAddr;
    use std::time::{Duration, Instant};

    let server = start_server("hello");
    let addr = server.addr;
    let mut client = server.connect();
    let client_end = client.local_addr().unwrap();
    client.write_all(b"hello!").unwrap();
    assert_eq!(read_n(&mut client, 2), b"hi"); // the server now waits for our FIN
    drop(server); // killed mid-connection: its kernel sends the first FIN
    assert_eq!(read_to_end(&mut client), b"");
    drop(client);
    let (SocketAddr::V4(local), SocketAddr::V4(peer)) = (addr, client_end) else {
        unreachable!("the server binds 127.0.0.1")
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while classroom::tcp_state::state_of(local, peer).unwrap() != Some("TIME_WAIT") {
        assert!(Instant::now() < deadline, "no TIME_WAIT on {addr}");
        std::thread::yield_now();
    }
    let port = addr.port().to_string();
    let again =
        classroom::testing::ServerProcess::start(BIN, &["server", "hello", "--port", &port]);
    assert_eq!(again.addr, addr);
    assert_eq!(hello(&again), b"hi");
}
