//! Bad input to every server: each row of the lesson's table of bad inputs
//! is sent here. Every one must give that client a clear error (where the
//! protocol can carry one) and the server a log line, with no panic, no big
//! allocation, no partial or misplaced file on disk; and the server must go
//! on serving the next client, which each test checks at the end.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener};
use std::process::Command;
use std::time::Duration;

use classroom::testing::{PATIENCE, run_command};
use common::{BIN, Server, error_reply, frame, read_frame, send_and_read_error, tree};
use serde_json::json;
use socket2::SockRef;

/// A JSON header as document 004's client would write it.
fn upload_header(name: &str, size: u64) -> Vec<u8> {
    frame(
        json!({ "opt": "upload", "filename": name, "filesize": size })
            .to_string()
            .as_bytes(),
    )
}

/// The names that must never be used as they are.
const BAD_NAMES: [(&str, &str); 7] = [
    ("..", "`.` and `..` are not file names"),
    ("../escape.txt", "path separator"),
    ("sub/x.txt", "path separator"),
    ("sub\\x.txt", "path separator"),
    ("a\0b", "NUL"),
    ("/etc/passwd", "absolute"),
    ("", "empty"),
];

/// Check that each `(bytes, expected error)` gets that error reply and a
/// "gave up" log line, one connection each.
fn refused_each(server: &Server, cases: &[(Vec<u8>, String)]) {
    for (bytes, expected) in cases {
        let error = send_and_read_error(server, bytes);
        assert!(
            error.contains(expected.as_str()),
            "expected {expected:?}, the client was told {error:?}"
        );
        let log = server.wait_for("gave up on").join("\n");
        assert!(log.contains(expected.as_str()), "{log}");
    }
}

fn case(bytes: Vec<u8>, expected: &str) -> (Vec<u8>, String) {
    (bytes, expected.to_owned())
}

/// `length` server: a good message after all the bad ones.
#[test]
fn the_length_server_refuses_bad_frames_and_goes_on() {
    let mut server = Server::start("length");
    let cap_plus_one = (64 * 1024 * 1024 + 1_i32).to_le_bytes().to_vec();
    let mut eof_in_body = 10_i32.to_le_bytes().to_vec();
    eof_in_body.extend_from_slice(b"abc");
    refused_each(
        &server,
        &[
            case((-1_i32).to_le_bytes().to_vec(), "negative length -1"),
            case(
                cap_plus_one,
                "length 67108865 exceeds the cap of 67108864 bytes",
            ),
            case(vec![1, 0], "after 2 of 4 header bytes"),
            case(eof_in_body, "after 3 of 10 data bytes"),
        ],
    );
    // Not UTF-8 is not a framing error: logged, and the connection goes on.
    let mut stream = server.connect();
    stream.write_all(&frame(b"\xff\xfe")).unwrap();
    stream.write_all(&frame("翔".as_bytes())).unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_frame(&mut stream), None, "no error reply");
    let log = server.wait_for("3 bytes \"翔\"").join("\n");
    assert!(log.contains("not UTF-8 text"), "{log}");
    assert!(server.is_running());
}

/// `json-header` server: every bad header, name and body, then a good upload.
#[test]
fn the_json_header_server_refuses_bad_uploads_and_goes_on() {
    let mut server = Server::start("json-header");
    let mut cases = vec![
        case((-1_i32).to_le_bytes().to_vec(), "negative length -1"),
        case(
            (64 * 1024 + 1_i32).to_le_bytes().to_vec(),
            "length 65537 exceeds the cap of 65536 bytes",
        ),
        case(vec![7], "after 1 of 4 header bytes"),
        case(
            frame(br#"{"opt": "upload""#)[..10].to_vec(),
            "after 6 of 16 data bytes",
        ),
        case(frame(b"\xff\xfe"), "header is not UTF-8"),
        case(frame(b"{not json"), "header is not valid JSON"),
        case(
            frame(br#"{"opt": "delete", "filename": "a.txt", "filesize": 5}"#),
            "unknown opt \"delete\"",
        ),
        case(
            frame(br#"{"opt": "upload", "filename": "a.txt"}"#),
            "missing field `filesize`",
        ),
        case(
            frame(br#"{"opt": "upload", "filename": "a.txt", "filesize": -5}"#),
            "invalid value: integer `-5`",
        ),
    ];
    for (name, why) in BAD_NAMES {
        let mut bytes = upload_header(name, 5);
        bytes.extend_from_slice(b"hello");
        cases.push(case(bytes, why));
    }
    // An md5 that does not match the data.
    let mut lying = frame(
        json!({"opt": "upload", "filename": "a.txt", "filesize": 5,
               "md5": "00000000000000000000000000000000"})
        .to_string()
        .as_bytes(),
    );
    lying.extend_from_slice(b"hello");
    cases.push(case(lying, "md5 mismatch"));
    cases.push(case(
        frame(br#"{"opt": "upload", "filename": "a.txt", "filesize": 5, "md5": "xyz"}"#),
        "is not 32 hex digits",
    ));
    // A client that stops mid-file: 500 of 1000 bytes, then closes.
    let mut half = upload_header("half.bin", 1000);
    half.extend_from_slice(&[1u8; 500]);
    cases.push(case(half, "after 500 of 1000 data bytes"));
    refused_each(&server, &cases);

    assert_eq!(tree(server.root.path()), ["files"], "nothing was written");
    assert!(server.is_running());
    // And the next client is served as usual.
    let mut stream = server.connect();
    let mut upload = upload_header("ok.txt", 5);
    upload.extend_from_slice(b"hello");
    stream.write_all(&upload).unwrap();
    let reply = read_frame(&mut stream).expect("a reply");
    assert!(String::from_utf8_lossy(&reply).contains("\"saved\": \"ok.txt\""));
    assert_eq!(tree(server.root.path()), ["files", "files/ok.txt"]);
}

/// `download` server: requests that are not requests end the connection
/// with a clear error; names it has no file for (missing, hidden, a
/// folder, not a plain name) are each answered, and the client may go on
/// asking on the same connection.
#[test]
fn the_download_server_refuses_bad_requests_and_goes_on() {
    let mut server = Server::start("download");
    std::fs::write(server.files().join("a.txt"), "hello").unwrap();
    std::fs::write(server.files().join(".hidden"), "secret").unwrap();
    std::fs::create_dir(server.files().join("sub")).unwrap();
    let request = |name: &str| {
        let request = json!({ "opt": "download", "filename": name });
        frame(request.to_string().as_bytes())
    };
    refused_each(
        &server,
        &[
            case(
                frame(br#"{"opt": "upload", "filename": "a.txt"}"#),
                "unknown opt \"upload\"",
            ),
            case(frame(br#"{"opt": "download"}"#), "missing field `filename`"),
            case(frame(b"\xff"), "request is not UTF-8"),
            case((-1_i32).to_le_bytes().to_vec(), "negative length -1"),
        ],
    );
    let mut names = vec![
        (
            "nope.txt",
            "no file \"nope.txt\" to download (there is none)",
        ),
        (".hidden", "a name starting with a dot is hidden"),
        (
            "sub",
            "no file \"sub\" to download (only regular files are served)",
        ),
    ];
    names.extend(BAD_NAMES);
    let mut stream = server.connect();
    for (name, why) in names {
        stream.write_all(&request(name)).unwrap();
        let error = error_reply(&mut stream);
        assert!(error.contains(why), "{name:?}: {error}");
        server.wait_for("the client may ask for another");
    }
    assert!(server.is_running());
    stream.write_all(&request("a.txt")).unwrap();
    let header = read_frame(&mut stream).expect("a header");
    assert!(String::from_utf8_lossy(&header).contains("\"filesize\": 5"));
    assert_eq!(classroom::testing::read_n(&mut stream, 5), b"hello");
}

/// `case` server: bad type frames, names, lengths and files.
#[test]
fn the_case_server_refuses_bad_frames_and_goes_on() {
    let mut server = Server::start("case");
    let msg = frame(br#"{"msg_type": "msg"}"#);
    let file = |name: &str| {
        frame(
            json!({"msg_type": "file", "file_name": name})
                .to_string()
                .as_bytes(),
        )
    };
    let joined = |parts: &[&[u8]]| parts.concat();
    let mut cases = vec![
        case((-2_i32).to_le_bytes().to_vec(), "negative length -2"),
        case(
            (1_000_000_i32).to_le_bytes().to_vec(),
            "length 1000000 exceeds the cap of 65536 bytes",
        ),
        case(
            joined(&[&msg, &(64 * 1024 * 1024 + 1_i32).to_le_bytes()]),
            "exceeds the cap of 67108864 bytes",
        ),
        case(vec![1, 0, 0], "after 3 of 4 header bytes"),
        case(
            joined(&[&msg, &[5, 0, 0, 0, b'h']]),
            "after 1 of 5 data bytes",
        ),
        case(msg.clone(), "before the frame its type frame announced"),
        case(frame(b"\xc3\x28"), "type frame is not UTF-8"),
        case(frame(b"[1, 2"), "type frame is not valid JSON"),
        case(
            frame(br#"{"msg_type": "video"}"#),
            "unknown msg_type \"video\"",
        ),
        case(frame(br#"{"msg_type": "file"}"#), "needs a file_name"),
        case(
            joined(&[&file("a.bin"), &(-1_i32).to_le_bytes()]),
            "negative length -1",
        ),
        // A client that stops mid-file.
        case(
            joined(&[&file("a.bin"), &100_i32.to_le_bytes(), &[0u8; 40]]),
            "after 40 of 100 data bytes",
        ),
    ];
    for (name, why) in BAD_NAMES {
        cases.push(case(joined(&[&file(name), &frame(b"hello")]), why));
    }
    refused_each(&server, &cases);
    assert_eq!(tree(server.root.path()), ["files"], "nothing was written");
    assert!(server.is_running());

    let mut stream = server.connect();
    stream
        .write_all(&joined(&[
            &file("ok.bin"),
            &frame(b"data"),
            &frame(b"close"),
        ]))
        .unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_frame(&mut stream), None);
    server.wait_for("close: the client is done");
    assert_eq!(
        std::fs::read(server.files().join("ok.bin")).unwrap(),
        b"data"
    );
}

/// A client whose connection is reset in the middle of a file (a crash, a
/// pulled cable): nothing to tell it, nothing left on disk.
#[test]
fn a_reset_in_the_middle_of_a_file_leaves_nothing_behind() {
    for step in ["json-header", "case"] {
        let server = Server::start(step);
        let mut stream = server.connect();
        let start = if step == "case" {
            let mut s = frame(br#"{"msg_type": "file", "file_name": "big.bin"}"#);
            s.extend_from_slice(&1_000_000_i32.to_le_bytes());
            s
        } else {
            upload_header("big.bin", 1_000_000)
        };
        stream.write_all(&start).unwrap();
        stream.write_all(&[9u8; 300_000]).unwrap();
        // Be sure the server is in the middle of the file: its temporary
        // .part file exists.
        let started = std::time::Instant::now();
        while !tree(server.root.path())
            .iter()
            .any(|p| p.starts_with("files/.part-"))
        {
            assert!(started.elapsed() < PATIENCE, "{step}: no .part file");
            std::thread::yield_now();
        }
        SockRef::from(&stream)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(stream);
        let log = server.wait_for("that connection").join("\n");
        assert!(
            log.contains("reset") || log.contains("data bytes"),
            "{step}: {log}"
        );
        assert_eq!(tree(server.root.path()), ["files"], "{step}");
    }
}

/// `ack` server: its refusals are a line of text instead of `ok`.
#[test]
fn the_ack_server_refuses_bad_headers_and_goes_on() {
    let mut server = Server::start("ack");
    let header = |name: &str| {
        json!({"opt": "upload", "filename": name, "filesize": 5})
            .to_string()
            .into_bytes()
    };
    let mut cases: Vec<(Vec<u8>, &str)> = vec![
        (b"{not json}".to_vec(), "not valid JSON"),
        (b"\"\xff\"".to_vec(), "not UTF-8"),
        ([header("a.txt"), b"hello".to_vec()].concat(), "wait for ok"),
        (
            br#"{"opt": "upload", "filename": "a.txt""#.to_vec(),
            "unfinished header",
        ),
    ];
    for (name, why) in BAD_NAMES {
        cases.push((header(name), why));
    }
    for (bytes, expected) in cases {
        let mut stream = server.connect();
        stream.write_all(&bytes).unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        let log = server.wait_for("gave up on").join("\n");
        assert!(log.contains(expected), "{expected}: {log}");
        assert!(
            reply.starts_with("error: ") && reply.contains(expected),
            "{expected}: {reply:?}"
        );
    }
    // Stopping mid-file after the ok.
    let mut stream = server.connect();
    stream.write_all(&header("half.txt")).unwrap();
    let mut ok = [0u8; 2];
    stream.read_exact(&mut ok).unwrap();
    assert_eq!(&ok, b"ok");
    stream.write_all(b"he").unwrap();
    drop(stream);
    server.wait_for("after 2 of 5 data bytes");
    assert_eq!(tree(server.root.path()), ["files"]);
    assert!(server.is_running());
}

/// `ready` server: a command that is not text, and a client that does not
/// say `start`.
#[test]
fn the_ready_server_answers_bad_commands_and_goes_on() {
    let mut server = Server::start("ready");
    let mut stream = server.connect();
    stream.write_all(b"\xff\xfe").unwrap();
    let mut reply = [0u8; 1024];
    let n = stream.read(&mut reply).unwrap();
    assert_eq!(&reply[..n], b"error: the command is not UTF-8 text");
    // The connection goes on: an empty folder lists as nothing.
    stream.write_all(b"ls").unwrap();
    let n = stream.read(&mut reply).unwrap();
    assert_eq!(&reply[..n], b"cmd error...");
    stream.write_all(b"help").unwrap();
    let n = stream.read(&mut reply).unwrap();
    assert!(reply[..n].starts_with(b"ready|"));
    stream.write_all(b"go").unwrap();
    let n = stream.read(&mut reply).unwrap();
    assert_eq!(&reply[..n], b"error: expected start");
    server.wait_for("did not answer start");
    // A client that leaves instead of answering start.
    let mut stream = server.connect();
    stream.write_all(b"help").unwrap();
    let n = stream.read(&mut reply).unwrap();
    assert!(reply[..n].starts_with(b"ready|"));
    drop(stream);
    server.wait_for("closed instead of answering start");
    assert!(server.is_running());
    let mut stream = server.connect();
    stream.write_all(b"exit").unwrap();
    server.wait_for("recv #1: 4 bytes \"exit\"");
    server.wait_for("waiting for a connection");
}

/// The error reply reaches a client that is still sending when the server
/// refuses it (the server drains instead of resetting).
#[test]
fn a_refusal_reaches_a_client_that_is_still_sending() {
    let server = Server::start("json-header");
    let mut stream = server.connect();
    let mut bytes = upload_header("../x", 200_000);
    bytes.extend_from_slice(&vec![0u8; 200_000]);
    stream.write_all(&bytes).unwrap();
    assert!(error_reply(&mut stream).contains("path separator"));
}

/// The download client reads a server's bytes too: a reply that is JSON
/// but not a file header, or a header naming another file or a path, is a
/// clear error, not a panic, and leaves nothing in its folder.
#[test]
fn the_download_client_refuses_malformed_replies() {
    let replies: [(&[u8], &str); 4] = [
        (b"[1, 2]", "the reply is JSON, but not an object"),
        (b"{}", "the reply lacks a field or has a wrong one"),
        (
            br#"{"filename": "../x", "filesize": 1, "md5": "0"}"#,
            "refused file name \"../x\"",
        ),
        (
            br#"{"filename": "b.txt", "filesize": 1, "md5": "0"}"#,
            "asked for \"a.txt\", got \"b.txt\"",
        ),
    ];
    for (reply, expected) in replies {
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port().to_string();
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            read_frame(&mut conn).expect("the download request");
            conn.write_all(&frame(reply)).unwrap();
            conn.shutdown(Shutdown::Write).unwrap();
            let _ = conn.read_to_end(&mut Vec::new());
        });
        let output = run_command(
            Command::new(BIN)
                .args(["client", "download", "a.txt", "--port", &port])
                .current_dir(dir.path()),
            "",
        );
        server.join().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "no panic: {stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert_eq!(tree(dir.path()), ["downloads"]);
    }
}
