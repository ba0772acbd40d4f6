//! A server survives whatever arrives, and errors name the OS error.

mod common;

use std::net::UdpSocket;

use classroom::testing::{ServerProcess, run, run_failing};
use common::{BIN, recv, socket, start_server, start_server_with_input};

/// Send `datagram` to the chat server and wait until it has said what it
/// made of it; return that line.
fn verdict(server: &ServerProcess, client: &UdpSocket, datagram: &[u8]) -> String {
    client.send_to(datagram, server.addr).unwrap();
    let seen = server.wait_for("  from ");
    let recv_line = &seen[seen.len() - 2];
    assert!(recv_line.starts_with("[server] recv #"), "{seen:?}");
    server.wait_for("").pop().unwrap()
}

#[test]
fn bad_datagrams_get_one_clear_line_and_the_chat_server_goes_on() {
    let server = start_server_with_input("chat", "pong\n");
    let client = socket();
    let too_long = format!(r#"{{"name": "x", "msg": "{}"}}"#, "y".repeat(2000));
    let cases: [(&[u8], &str); 6] = [
        (
            b"hello",
            "[server] ignored: not JSON (expected value at line 1 column 1)",
        ),
        (
            b"",
            "[server] ignored: not JSON (EOF while parsing a value at line 1 column 0)",
        ),
        (
            &[0xff, 0xfe, b'{'],
            "[server] ignored: not UTF-8 (invalid utf-8 sequence of 1 bytes from index 0)",
        ),
        (
            br#"{"name": "x"}"#,
            "[server] ignored: JSON, but not {\"name\": …, \"msg\": …} (missing field `msg`)",
        ),
        (
            br#"["x", "y"]"#,
            "[server] ignored: JSON, but not an object",
        ),
        (
            too_long.as_bytes(),
            "[server] ignored: longer than 1024 bytes",
        ),
    ];
    for (datagram, expected) in cases {
        assert_eq!(verdict(&server, &client, datagram), expected);
    }
    // Still serving: a good message gets the answer typed on its stdin.
    client
        .send_to(
            r#"{"name": "t", "msg": "hi", "extra": 1}"#.as_bytes(),
            server.addr,
        )
        .unwrap();
    let (reply, from) = recv(&client);
    assert_eq!(from, server.addr);
    assert_eq!(reply, br#"{"name":"server","msg":"pong"}"#);
    let seen = server.wait_for("send #1");
    assert!(
        seen.contains(&"[server] message from t: hi".to_owned()),
        "{seen:?}"
    );
}

#[test]
fn a_chat_server_whose_input_has_ended_still_shows_messages() {
    let server = start_server("chat");
    let client = socket();
    for _ in 0..2 {
        assert_eq!(
            verdict(&server, &client, br#"{"name":"t","msg":"anyone?"}"#),
            "[server] message from t: anyone?"
        );
        server.wait_for("no answer: the input on this side has ended");
    }
}

#[test]
fn an_empty_datagram_is_a_message_and_is_answered() {
    let server = start_server("hello");
    let client = socket();
    client.send_to(b"", server.addr).unwrap();
    assert_eq!(recv(&client).0, b"hi");
    let seen = server.wait_for("recv #1");
    assert_eq!(seen.last().unwrap(), "[server] recv #1: 0 bytes \"\"");
}

#[test]
fn a_datagram_longer_than_the_buffer_is_cut_and_still_answered() {
    let server = start_server("many");
    let client = socket();
    client.send_to(&[b'z'; 3000], server.addr).unwrap();
    let (reply, _) = recv(&client);
    assert_eq!(
        reply,
        format!("hi {}", client.local_addr().unwrap()).as_bytes()
    );
    let seen = server.wait_for("recv #1");
    assert!(seen.last().unwrap().contains("1024 bytes"), "{seen:?}");
}

#[test]
fn a_client_with_nobody_to_answer_gives_up_with_a_clear_error() {
    // A port that was free a moment ago: nothing is bound there now.
    let port = socket().local_addr().unwrap().port().to_string();
    let output = run(BIN, &["client", "lost-reply", "--port", &port]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Each try waits twice as long as the one before.
    for (n, wait) in [(1, "500ms"), (2, "1s"), (3, "2s")] {
        let line = format!("try {n}/3: no answer within {wait}");
        assert!(stdout.contains(&line), "{stdout}");
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected =
        format!("error: no answer from 127.0.0.1:{port} after 3 tries: is the server running?");
    assert!(stderr.starts_with(&expected), "{stderr}");
}

#[test]
fn a_step_without_a_server_role_says_which_demo_to_run() {
    let stderr = run_failing(BIN, &["server", "truncate"], 1);
    assert!(
        stderr.contains("run `cargo run -p udp_chat -- demo truncate` instead"),
        "{stderr}"
    );
}

#[test]
fn a_busy_port_is_reported_with_its_address() {
    let taken = socket();
    let port = taken.local_addr().unwrap().port().to_string();
    let stderr = run_failing(BIN, &["server", "hello", "--port", &port], 1);
    let expected = format!("error: binding 127.0.0.1:{port}: Address already in use");
    assert!(stderr.starts_with(&expected), "{stderr}");
}
