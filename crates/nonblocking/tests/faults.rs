//! The non-blocking server (`server fixed`) survives clients that reset,
//! half-close or send one byte at a time; the broken programs stop with the
//! would-block error; errors are clear and nothing hangs.

mod common;

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use classroom::testing::{ServerProcess, read_to_end, run_failing};
use common::{BIN, start_server};
use socket2::SockRef;

/// A well-behaved client: the document's message, then close.
fn send_message(server: &ServerProcess) {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all("lbw正在吃翔".as_bytes()).unwrap();
}

#[test]
fn a_client_that_resets_does_not_stop_the_server() {
    let server = start_server("fixed");
    let rude = TcpStream::connect(server.addr).unwrap();
    rude.set_nodelay(true).unwrap();
    (&rude).write_all(b"half a thou").unwrap();
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(rude);
    server.wait_for("left that connection early");
    send_message(&server);
    let seen = server.wait_for("bytes in all");
    assert!(
        seen.last().unwrap().contains("] 15 bytes in all"),
        "{seen:?}"
    );
}

#[test]
fn a_client_that_half_closes_gets_eof_and_the_server_goes_on() {
    let server = start_server("fixed");
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all(b"hello").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    // The server sees EOF, is done with us and closes: we see EOF too.
    assert!(read_to_end(&mut stream).is_empty());
    let seen = server.wait_for("bytes in all");
    assert!(
        seen.last().unwrap().contains("] 5 bytes in all"),
        "{seen:?}"
    );
    send_message(&server);
    server.wait_for("] 15 bytes in all");
}

#[test]
fn a_client_that_sends_one_byte_at_a_time_is_read_byte_by_byte() {
    let server = start_server("fixed");
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_nodelay(true).unwrap();
    for (i, byte) in b"slow".iter().enumerate() {
        stream.write_all(&[*byte]).unwrap();
        // The next byte leaves only once the server has printed this one.
        let seen = server.wait_for(&format!("recv #{}:", i + 1));
        let expected = format!("1 byte \"{}\"", *byte as char);
        assert!(seen.last().unwrap().ends_with(&expected), "{seen:?}");
    }
    drop(stream);
    server.wait_for("] 4 bytes in all");
    send_message(&server);
    server.wait_for("] 15 bytes in all");
}

#[test]
fn the_blocking_server_survives_a_reset_too() {
    let server = start_server("blocking");
    let rude = TcpStream::connect(server.addr).unwrap();
    SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(rude);
    send_message(&server);
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("15 bytes \"lbw正在吃翔\""),
        "{seen:?}"
    );
}

#[cfg(unix)]
#[test]
fn the_fixed_client_reports_a_refused_connection_clearly() {
    let closed = classroom::tcp::closed_port().unwrap();
    let output = classroom::testing::run(
        BIN,
        &["client", "fixed", "--port", &closed.port().to_string()],
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("SO_ERROR is ECONNREFUSED"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: connecting to {closed}: Connection refused"
        )),
        "{stderr}"
    );
}

#[test]
fn the_broken_server_stops_at_its_first_accept() {
    let stderr = run_failing(BIN, &["server", "broken", "--port", "0"], 1);
    assert!(
        stderr.starts_with("error: accept() failed at once: EAGAIN"),
        "{stderr}"
    );
    assert!(stderr.contains("lesson 06"), "{stderr}");
}

#[test]
fn the_broken_client_stops_at_connect_even_with_a_server_there() {
    let server = start_server("fixed");
    let port = server.addr.port().to_string();
    let stderr = run_failing(BIN, &["client", "broken", "--port", &port], 1);
    assert!(
        stderr.starts_with("error: connect() failed at once: EINPROGRESS"),
        "{stderr}"
    );
}

#[test]
fn demo_only_steps_say_which_demo_to_run() {
    let stderr = run_failing(BIN, &["server", "busy-loop"], 1);
    assert!(
        stderr.contains("run `cargo run -p nonblocking -- demo busy-loop` instead"),
        "{stderr}"
    );
}

/// A client that trickles one byte at a time, each once the server has
/// printed the one before, loses its connection when its patience is up
/// (`--patience 1`, in all, not per byte); the next client is served.
#[test]
fn a_trickling_client_is_dropped_at_its_deadline() {
    for step in ["blocking", "fixed"] {
        let server = ServerProcess::start(BIN, &["server", step, "--port", "0", "--patience", "1"]);
        let started = std::time::Instant::now();
        let mut trickler = TcpStream::connect(server.addr).unwrap();
        trickler.set_nodelay(true).unwrap();
        loop {
            let _ = trickler.write_all(b".");
            let line = server.next_line();
            if line.contains("are up") {
                assert!(line.contains("1 s"), "{step}: {line}");
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{step}: the trickler was never dropped; last line: {line}"
            );
        }
        assert!(started.elapsed() >= Duration::from_millis(900), "{step}");
        send_message(&server);
        let seen = server.wait_for("recv #1");
        assert!(
            seen.last().unwrap().ends_with("15 bytes \"lbw正在吃翔\""),
            "{step}: {seen:?}"
        );
    }
}

#[test]
fn a_busy_port_is_named_with_its_protocol_and_port_0_suggested() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    for step in ["blocking", "broken", "fixed"] {
        let stderr = run_failing(BIN, &["server", step, "--port", &port], 1);
        assert!(
            stderr.contains(&format!("binding TCP 127.0.0.1:{port}")),
            "{step}: {stderr}"
        );
        assert!(stderr.contains("--port 0"), "{step}: {stderr}");
    }
}
