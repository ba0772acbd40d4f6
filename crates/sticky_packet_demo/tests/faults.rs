//! Servers survive clients that misbehave, and the command server answers
//! bad input and goes on.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use classroom::testing::read_n;
use common::Server;
use socket2::SockRef;
use sticky_packet_demo::commands::HELP;

/// A well-behaved glue client: the server must still show the glue.
fn glued(server: &Server) {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all("lbw正在吃".as_bytes()).unwrap();
    stream.write_all("翔".as_bytes()).unwrap();
    drop(stream);
    let seen = server.wait_for("recv #1");
    assert!(
        seen.last().unwrap().ends_with("15 bytes \"lbw正在吃翔\""),
        "{seen:?}"
    );
}

/// Send one command, read exactly the answer we expect.
fn ask(stream: &mut TcpStream, command: &str, answer_len: usize) -> String {
    stream.write_all(command.as_bytes()).unwrap();
    String::from_utf8(read_n(stream, answer_len)).unwrap()
}

/// Write 16 MiB on another thread, never reading, and stop at the first
/// write that fails: the server is expected to give up on us part-way.
/// The thread hands the stream back, still open.
fn flood(mut stream: TcpStream) -> thread::JoinHandle<TcpStream> {
    thread::spawn(move || {
        let junk = vec![b'x'; 1024 * 1024];
        for _ in 0..16 {
            if stream.write_all(&junk).is_err() {
                break;
            }
        }
        stream
    })
}

fn reset(stream: TcpStream) {
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
}

#[test]
fn a_client_that_leaves_without_a_word_does_not_stop_the_glue_server() {
    let server = Server::start("glue");
    drop(TcpStream::connect(server.addr).unwrap());
    server.wait_for("0 bytes (EOF");
    glued(&server);
}

#[test]
fn a_client_that_resets_does_not_stop_the_glue_server() {
    let server = Server::start("glue");
    let rude = TcpStream::connect(server.addr).unwrap();
    reset(rude);
    server.wait_for("left that connection early");
    glued(&server);
}

#[test]
fn a_client_that_floods_is_cut_off_and_the_next_is_served() {
    let server = Server::start("glue");
    let writer = flood(TcpStream::connect(server.addr).unwrap());
    let seen = server.wait_for("gave up on");
    assert!(
        seen.last().unwrap().contains("more than 65536 bytes"),
        "{seen:?}"
    );
    writer.join().unwrap();
    glued(&server);
}

#[test]
fn bad_commands_get_an_answer_and_the_server_goes_on() {
    let server = Server::start("leftover");
    let mut stream = TcpStream::connect(server.addr).unwrap();
    let unknown = "unknown command \"rm -rf /\"; ".to_owned() + HELP;
    assert_eq!(ask(&mut stream, "rm -rf /", unknown.len()), unknown);
    let refused = "cat: \"../x\": only plain file names in this folder\n";
    assert_eq!(ask(&mut stream, "cat ../x", refused.len()), refused);
    let missing = "cat: nope.txt: no such file\n";
    assert_eq!(ask(&mut stream, "cat nope.txt", missing.len()), missing);
    // Not UTF-8: an error answer, not a crash.
    let not_text = "error: a command is UTF-8 text; see `help`\n";
    stream.write_all(&[0xff, 0xfe]).unwrap();
    let mut answer = vec![0; not_text.len()];
    stream.read_exact(&mut answer).unwrap();
    assert_eq!(answer, not_text.as_bytes());
    // The same connection still works.
    assert_eq!(ask(&mut stream, "help", HELP.len()), HELP);
}

#[test]
fn a_very_long_command_is_cut_at_1024_bytes_and_answered() {
    let server = Server::start("leftover");
    let mut stream = server.connect();
    stream.write_all(&[b'x'; 3000]).unwrap();
    // However the 3000 bytes were cut into reads, each read is one
    // "command" of at most 1024 bytes and gets an "unknown command" answer.
    let seen = server.wait_for("recv #");
    assert!(
        seen.iter().all(|l| !l.contains("recv #1: 3000")),
        "{seen:?}"
    );
    let mut answer = [0u8; 17];
    stream.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"unknown command \"");
    // Leaving with answers unread resets the connection: the server gives
    // up on it and goes back to waiting.
    drop(stream);
    server.wait_for("waiting for a connection");
    let mut next = TcpStream::connect(server.addr).unwrap();
    assert_eq!(ask(&mut next, "help", HELP.len()), HELP);
}

#[test]
fn a_client_that_floods_commands_and_never_reads_is_cut_off() {
    let server = Server::start_with("leftover", &["--patience", "1"]);
    // The stream is kept open, never read, until the test ends.
    let writer = flood(TcpStream::connect(server.addr).unwrap());
    // Cut off at the 64 KiB limit, or when its full buffer blocked an
    // answer until its time was up: either way, not for ever.
    server.wait_for("gave up on");
    let mut next = TcpStream::connect(server.addr).unwrap();
    assert_eq!(ask(&mut next, "help", HELP.len()), HELP);
    drop(writer.join().unwrap());
}

#[test]
fn a_reset_does_not_stop_the_command_server() {
    let server = Server::start("leftover");
    let mut rude = TcpStream::connect(server.addr).unwrap();
    rude.write_all(b"ls").unwrap();
    reset(rude);
    server.wait_for("left that connection early");
    let mut next = TcpStream::connect(server.addr).unwrap();
    assert_eq!(ask(&mut next, "help", HELP.len()), HELP);
}

/// A connection that was accepted and then held: the server must give up
/// on it within its patience (1 s here, with slack for a busy machine) and
/// serve the next client.
fn given_up_within_patience(server: &Server, held: TcpStream) {
    let started = std::time::Instant::now();
    let seen = server.wait_for("gave up on that connection");
    let waited = started.elapsed();
    assert!(
        seen.last().unwrap().contains("the connection's 1 s are up"),
        "{seen:?}"
    );
    assert!(waited < Duration::from_secs(5), "held for {waited:?}");
    drop(held);
}

#[test]
fn a_glue_client_that_sends_one_byte_and_waits_loses_its_connection() {
    let server = Server::start_with("glue", &["--patience", "1"]);
    let mut held = TcpStream::connect(server.addr).unwrap();
    held.write_all(b"l").unwrap(); // and then nothing, never closing
    server.wait_for("accepted a connection");
    given_up_within_patience(&server, held);
    glued(&server);
}

#[test]
fn a_command_client_that_goes_quiet_loses_its_connection() {
    let server = Server::start_with("leftover", &["--patience", "1"]);
    let mut held = server.connect();
    assert_eq!(ask(&mut held, "help", HELP.len()), HELP);
    given_up_within_patience(&server, held);
    let mut next = server.connect();
    assert_eq!(ask(&mut next, "help", HELP.len()), HELP);
}

#[cfg(unix)]
#[test]
fn a_server_stopped_with_sigterm_leaves_no_sample_folder() {
    let server = Server::start("leftover");
    let mut stream = server.connect();
    // Answered, so the server has made this client's folder.
    assert_eq!(ask(&mut stream, "ls", 1360).lines().count(), 40);
    let prefix = format!("sticky_packet_demo-{}-", server.pid());
    let folders = |tmp: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(tmp)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(&prefix))
            .collect()
    };
    assert_eq!(folders(server.tmp()).len(), 1, "the sample folder exists");
    let (status, tmp) = server.terminate();
    assert_eq!(status.code(), Some(130), "{status}");
    assert_eq!(folders(tmp.path()), Vec::<String>::new(), "left behind");
}
