//! The two-terminal clients keep the command-line contract: MESSAGE
//! arguments if given, otherwise one send per line typed on stdin until the
//! end of input or `q`.

mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use classroom::testing::{PATIENCE, run_command, succeeded};
use common::{BIN, Server};

fn client(step: &str, server: &Server, args: &[&str], input: &str) -> String {
    let port = server.addr.port().to_string();
    let mut command = Command::new(BIN);
    command.args(["client", step, "--port", &port]).args(args);
    succeeded(run_command(&mut command, input))
}

fn sends(printed: &str) -> Vec<&str> {
    printed.lines().filter(|l| l.contains("send #")).collect()
}

#[test]
fn the_glue_client_sends_each_line_typed_and_the_server_still_glues_them() {
    let server = Server::start("glue");
    let printed = client("glue", &server, &[], "hello\n\nworld\nq\nnot sent\n");
    assert_eq!(
        sends(&printed),
        [
            "[client] send #1: 5 bytes \"hello\"",
            "[client] send #2: 5 bytes \"world\""
        ],
        "{printed}"
    );
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last()
            .unwrap()
            .ends_with("recv #1: 10 bytes \"helloworld\""),
        "{seen:?}"
    );
}

#[test]
fn the_glue_client_sends_its_arguments_and_ignores_stdin() {
    let server = Server::start("glue");
    let printed = client("glue", &server, &["lbw正在吃", "翔"], "typed\n");
    assert_eq!(sends(&printed).len(), 2, "{printed}");
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("15 bytes \"lbw正在吃翔\""),
        "{seen:?}"
    );
}

#[test]
fn the_udp_client_sends_one_datagram_per_line_an_empty_line_included() {
    let server = Server::start("udp");
    client("udp", &server, &[], "lbw正在吃\n\n翔\nQ\nnot sent\n");
    let mut seen: Vec<String> = server.wait_for("recv #3");
    seen.retain(|l| l.contains("recv #"));
    assert_eq!(
        seen,
        [
            "[server] recv #1: 12 bytes \"lbw正在吃\"",
            "[server] recv #2: 0 bytes \"\"",
            "[server] recv #3: 3 bytes \"翔\"",
        ]
    );
}

#[test]
fn the_command_client_says_so_when_the_server_has_closed() {
    let server = Server::start_with("leftover", &["--patience", "1"]);
    let mut child = Command::new(BIN)
        .args([
            "client",
            "leftover",
            "--port",
            &server.addr.port().to_string(),
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"help\n").unwrap();
    // The next command is typed only once the server has let us go.
    server.wait_for("gave up on that connection");
    stdin.write_all(b"ls\n").unwrap();
    drop(stdin);
    // Read its output on a thread, so a client that hangs fails the test.
    let mut stdout = child.stdout.take().unwrap();
    let (done, printed) = mpsc::channel();
    thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        let _ = done.send(text);
    });
    let printed = printed.recv_timeout(PATIENCE);
    let _ = child.kill();
    let ended = child.wait().unwrap();
    let printed = printed.expect("the client did not end");
    assert!(ended.success(), "{ended}: {printed}");
    let why = sticky_packet_demo::leftover::SERVER_CLOSED;
    assert!(printed.ends_with(&format!("[client] {why}\n")), "{printed}");
}
