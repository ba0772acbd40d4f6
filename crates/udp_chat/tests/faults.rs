//! A server survives whatever arrives, and errors name the OS error.

mod common;

use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::thread;
use std::time::Duration;

use classroom::tcp::closed_udp_port;
use classroom::testing::{ServerProcess, run, run_failing, succeeded};
use common::{BIN, Client, recv, socket, start_server, start_server_with_input};

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
fn a_busy_port_is_reported_with_its_protocol_address_and_a_hint_for_udp() {
    let taken = socket();
    let port = taken.local_addr().unwrap().port().to_string();
    let stderr = run_failing(BIN, &["server", "hello", "--port", &port], 1);
    let expected = format!("error: binding UDP 127.0.0.1:{port}: Address already in use");
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(
        stderr.contains("another program has bound UDP port"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--port 0") && !stderr.contains("TIME_WAIT"),
        "{stderr}"
    );
}

#[test]
fn same_port_names_the_protocol_whose_port_is_busy() {
    // A TCP port whose UDP twin is free (a moment ago).
    let taken = loop {
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        if UdpSocket::bind(tcp.local_addr().unwrap()).is_ok() {
            break tcp;
        }
    };
    let port = taken.local_addr().unwrap().port().to_string();
    let stderr = run_failing(BIN, &["server", "same-port", "--port", &port], 1);
    let expected = format!("error: binding TCP 127.0.0.1:{port}: Address already in use");
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(stderr.contains("listening on TCP port"), "{stderr}");
}

/// Run `client chat hi` against a fake server played by `answer`, which
/// is given the fake server's socket and the client's address once the
/// client's message has arrived. The client's stdout.
fn chat_client_against(answer: impl FnOnce(&UdpSocket, SocketAddr)) -> String {
    let fake = socket();
    let port = fake.local_addr().unwrap().port().to_string();
    let client = thread::spawn(move || run(BIN, &["client", "chat", "--port", &port, "hi"]));
    let (_, client_addr) = recv(&fake);
    answer(&fake, client_addr);
    succeeded(client.join().unwrap())
}

#[test]
fn names_and_messages_from_the_network_reach_the_terminal_escaped() {
    let server = start_server_with_input("chat", "pong\n");
    let forged = r#"{"name": "\u001b]0;PWNED\u0007\u001b[2J", "msg": "\r[server] saved ok.txt"}"#;
    assert_eq!(
        verdict(&server, &socket(), forged.as_bytes()),
        r"[server] message from \u{1b}]0;PWNED\u{7}\u{1b}[2J: \r[server] saved ok.txt"
    );
    let printed = chat_client_against(|fake, client| {
        fake.send_to(br#"{"name": "\u202eexe.txt", "msg": "\u001b[2J"}"#, client)
            .unwrap();
    });
    assert!(
        printed.contains(r"[client] message from \u{202e}exe.txt: \u{1b}[2J"),
        "{printed}"
    );
}

#[test]
fn the_chat_client_takes_its_answer_only_from_the_server() {
    let stray = socket();
    let stray_addr = stray.local_addr().unwrap();
    let printed = chat_client_against(|fake, client| {
        stray
            .send_to(br#"{"name": "server", "msg": "forged"}"#, client)
            .unwrap();
        fake.send_to(br#"{"name": "server", "msg": "real"}"#, client)
            .unwrap();
    });
    let ignored = format!("[client] ignored: from {stray_addr}, not from the server\n");
    assert!(printed.contains(&ignored), "{printed}");
    assert!(
        printed.contains("[client] message from server: real\n"),
        "{printed}"
    );
    assert!(!printed.contains("forged\n"), "{printed}");
}

#[test]
fn the_chat_client_with_no_server_says_so_within_seconds() {
    let nobody = closed_udp_port().unwrap().port().to_string();
    let client = Client::start(&["client", "chat", "--port", &nobody, "hi"]);
    let seen = client.wait_for("no answer yet", Duration::from_secs(10));
    let expected = format!(
        "[client] no answer yet: is the server running at 127.0.0.1:{nobody}? (still waiting, up to 10 min in all)"
    );
    assert_eq!(seen.last().unwrap(), &expected);
}

#[test]
fn a_chat_line_too_long_for_one_datagram_is_refused_and_the_chat_goes_on() {
    let server = start_server_with_input("chat", "pong\n");
    let port = server.addr.port().to_string();
    let long = "x".repeat(1100);
    let printed = succeeded(run(BIN, &["client", "chat", "--port", &port, &long, "hi"]));
    let refused = "[client] not sent: 1127 bytes of JSON, more than the 1024 the other side reads; type a shorter line\n";
    assert!(printed.contains(refused), "{printed}");
    assert!(
        printed.contains("[client] message from server: pong\n"),
        "{printed}"
    );
}

#[test]
fn every_client_says_why_it_stops() {
    let server = start_server_with_input("chat", "pong\n");
    let port = server.addr.port().to_string();
    let printed = succeeded(run(
        BIN,
        &["client", "chat", "--port", &port, "a", "q", "b"],
    ));
    assert!(
        printed.ends_with(
            "[client] message from server: pong\n[client] q: done; UDP has no connection to close\n"
        ),
        "{printed}"
    );
    let server = start_server("hello");
    let port = server.addr.port().to_string();
    let printed = succeeded(run(BIN, &["client", "hello", "--port", &port]));
    assert!(
        printed.ends_with("[client] no more messages: done; UDP has no connection to close\n"),
        "{printed}"
    );
}
