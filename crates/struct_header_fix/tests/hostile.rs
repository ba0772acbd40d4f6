//! What a hostile or a slow client, and a mistyped name, do to the
//! servers and clients: each test here failed once. A slow client is let go
//! within the connection's deadline (`--patience 1` keeps these tests
//! short); names a peer chose never reach the terminal raw; a server serves
//! only regular files and saves no dot-files; a stopped server leaves no
//! temporary file behind (`file_server` sweeps what a killed one left).

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use classroom::testing::read_n;
use common::{Server, error_reply, frame, read_frame, run_client_in, tree};
use serde_json::json;

/// The JSON header of an upload of `size` bytes named `name`.
fn upload_header(name: &str, size: u64) -> Vec<u8> {
    let header = json!({ "opt": "upload", "filename": name, "filesize": size });
    frame(header.to_string().as_bytes())
}

/// What starts an upload of `size` bytes named `name` in `step`'s protocol
/// (for `ack`, the header; the `ok` must be read before the data).
fn upload_start(step: &str, name: &str, size: u64) -> Vec<u8> {
    match step {
        "case" => {
            let kind = json!({ "msg_type": "file", "file_name": name });
            let mut start = frame(kind.to_string().as_bytes());
            start.extend_from_slice(&(size as i32).to_le_bytes());
            start
        }
        "ack" => json!({ "opt": "upload", "filename": name, "filesize": size })
            .to_string()
            .into_bytes(),
        _ => upload_header(name, size),
    }
}

/// Connect and start an upload in `step`'s protocol.
fn start_upload(server: &Server, step: &str, name: &str, size: u64) -> TcpStream {
    let mut stream = server.connect();
    stream.write_all(&upload_start(step, name, size)).unwrap();
    if step == "ack" {
        assert_eq!(read_n(&mut stream, 2), b"ok");
    }
    stream
}

/// The server's log up to its next "that connection" line: how it ended.
fn ending(server: &Server) -> String {
    server.wait_for("that connection").join("\n")
}

// ------------------------------------------------------------ slow clients

/// A client that uploads a big file one byte every 50 ms: each read gets
/// its byte long before a per-call timeout, so only a deadline for the
/// whole connection ends it. The server must let it go within its second
/// (`--patience 1`) and then serve the next client.
#[test]
fn a_trickling_upload_is_let_go_within_patience() {
    for step in ["json-header", "case", "ack"] {
        let server = Server::start_with(step, &["--patience", "1"], |_| {});
        let started = Instant::now();
        let mut stream = start_upload(&server, step, "big.bin", 1_000_000);
        let trickle = std::thread::spawn(move || {
            while started.elapsed() < Duration::from_secs(4) {
                if stream.write_all(b"x").is_err() {
                    return;
                }
                // Deliberate: the pace of a trickle, not an ordering of events.
                std::thread::sleep(Duration::from_millis(50)); // allow-sleep
            }
        });
        let log = ending(&server);
        let took = started.elapsed();
        assert!(log.contains("the connection's 1 s are up"), "{step}: {log}");
        assert!(
            took < Duration::from_secs(3),
            "{step}: let go after {took:?}"
        );
        trickle.join().unwrap();
        assert_eq!(tree(server.root.path()), ["files"], "{step}: no part file");
        // The next client is served.
        let mut stream = start_upload(&server, step, "ok.txt", 2);
        stream.write_all(b"hi").unwrap();
        server.wait_for("saved ok.txt");
    }
}

/// A client that asks for a big file and never reads it: the server's
/// writes stop being taken once the buffers are full; the deadline ends the
/// connection, and the next client is served.
#[test]
fn a_download_to_a_client_that_never_reads_is_let_go_within_patience() {
    let big = vec![7u8; 16 * 1024 * 1024];
    let server = Server::start_with("download", &["--patience", "1"], |root| {
        std::fs::write(root.join("files/big.bin"), &big).unwrap();
        std::fs::write(root.join("files/a.txt"), "hello").unwrap();
    });
    let started = Instant::now();
    let mut silent = server.connect();
    let request = |name: &str| {
        let request = json!({ "opt": "download", "filename": name });
        frame(request.to_string().as_bytes())
    };
    silent.write_all(&request("big.bin")).unwrap();
    let log = ending(&server);
    let took = started.elapsed();
    assert!(log.contains("the connection's 1 s are up"), "{log}");
    assert!(took < Duration::from_secs(3), "let go after {took:?}");
    let mut next = server.connect();
    next.write_all(&request("a.txt")).unwrap();
    read_frame(&mut next).expect("a header");
    assert_eq!(read_n(&mut next, 5), b"hello");
    drop(silent);
}

// ------------------------------------------------------------ names on the terminal

/// A name made to take over a terminal: set its title, clear it, and print
/// a forged `[server]` line over the real one.
const EVIL: &str = "\x1b]0;PWNED\x07\x1b[2J…\r[server] saved ok.txt";

/// What the evil name looks like once escaped.
const EVIL_SHOWN: &str = r"\u{1b}]0;PWNED\u{7}\u{1b}[2J…\r[server] saved ok.txt";

/// No control character a peer chose reaches the terminal.
fn assert_escaped(printed: &[String]) {
    for line in printed {
        assert!(
            !line.contains(['\x1b', '\x07', '\r']),
            "a raw control character: {line:?}"
        );
    }
}

#[test]
fn uploaded_names_are_printed_escaped() {
    for step in ["json-header", "case", "ack"] {
        let server = Server::start(step);
        let mut stream = start_upload(&server, step, EVIL, 2);
        stream.write_all(b"hi").unwrap();
        let printed = server.wait_for(" (2 bytes"); // the "saved" line
        assert_escaped(&printed);
        let saved = printed.last().unwrap();
        assert!(
            saved.starts_with(&format!("[server] saved {EVIL_SHOWN} (2 bytes")),
            "{step}: {saved}"
        );
        // The file itself has its name: only the terminal was protected.
        assert_eq!(std::fs::read(server.files().join(EVIL)).unwrap(), b"hi");
    }
}

#[test]
fn a_downloaded_name_is_printed_escaped() {
    let server = Server::start_with("download", &[], |root| {
        std::fs::write(root.join("files").join(EVIL), "hi").unwrap();
    });
    let args = ["client", "download", EVIL];
    let printed = run_client_in(server.root.path(), &args, server.addr.port());
    let lines: Vec<String> = printed.lines().map(str::to_owned).collect();
    assert_escaped(&lines);
    assert!(
        printed.contains(&format!("[client] saved {EVIL_SHOWN} (2 bytes")),
        "{printed}"
    );
}

// ------------------------------------------------------------ which files

/// A link in the served folder to a file outside it, and a FIFO: neither is
/// served (a FIFO would make a plain `open` wait for a writer for ever).
#[cfg(unix)]
#[test]
fn links_and_fifos_are_not_served() {
    let server = Server::start_with("download", &[], |root| {
        std::fs::write(root.join("secret.txt"), "not yours").unwrap();
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("files/x")).unwrap();
        let made = classroom::testing::run_command(
            std::process::Command::new("mkfifo").arg(root.join("files/pipe")),
            "",
        );
        assert!(made.status.success(), "mkfifo");
    });
    let mut stream = server.connect();
    for (name, why) in [
        ("x", "no file \"x\" to download (a symbolic link)"),
        (
            "pipe",
            "no file \"pipe\" to download (only regular files are served)",
        ),
    ] {
        let request = json!({ "opt": "download", "filename": name });
        stream
            .write_all(&frame(request.to_string().as_bytes()))
            .unwrap();
        let error = error_reply(&mut stream);
        assert!(error.contains(why), "{name}: {error}");
    }
}

/// An upload may not create or overwrite a dot-file (`.bashrc` in a folder
/// served with `--dir .`), and a download may not read one.
#[test]
fn dot_names_are_refused_for_uploads_and_downloads() {
    let why = "refused file name \".bashrc\": a name starting with a dot is hidden";
    for step in ["json-header", "case"] {
        let server = Server::start(step);
        let mut start = upload_start(step, ".bashrc", 2);
        start.extend_from_slice(b"hi");
        let mut stream = server.connect();
        stream.write_all(&start).unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        assert!(error_reply(&mut stream).contains(why), "{step}");
        assert_eq!(tree(server.root.path()), ["files"], "{step}");
    }
    let server = Server::start("ack");
    let mut stream = server.connect();
    stream
        .write_all(&upload_start("ack", ".bashrc", 2))
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert_eq!(reply, format!("error: {why}"));

    let server = Server::start_with("download", &[], |root| {
        std::fs::write(root.join("files/.bashrc"), "alias ls=rm").unwrap();
    });
    let args = ["client", "download", ".bashrc"];
    let printed = run_client_in(server.root.path(), &args, server.addr.port());
    assert!(printed.contains(why), "{printed}");
}

// ------------------------------------------------------------ temporary files

/// A name of 250 bytes is legal (most systems allow 255), so the temporary
/// name must not add to it.
#[test]
fn a_250_byte_name_can_be_uploaded() {
    let name = format!("{}.txt", "長".repeat(82)); // 82 × 3 + 4 bytes
    assert_eq!(name.len(), 250);
    for step in ["json-header", "case"] {
        let server = Server::start(step);
        let mut stream = start_upload(&server, step, &name, 2);
        stream.write_all(b"hi").unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let line = loop {
            let line = server.next_line();
            if line.contains("saved ") || line.contains("that connection") {
                break line;
            }
        };
        assert!(line.contains("saved 長長"), "{step}: {line}");
        assert_eq!(std::fs::read(server.files().join(&name)).unwrap(), b"hi");
    }
}

/// A server stopped by SIGTERM in the middle of an upload removes its
/// temporary file on the way out.
#[cfg(unix)]
#[test]
fn a_server_stopped_mid_upload_leaves_no_temporary_file() {
    for step in ["json-header", "case"] {
        let server = Server::start(step);
        let mut stream = start_upload(&server, step, "big.bin", 1_000_000);
        stream.write_all(&[1u8; 100_000]).unwrap();
        let started = Instant::now();
        while !tree(server.root.path())
            .iter()
            .any(|p| p.starts_with("files/."))
        // a temporary file, whatever its name
        {
            assert!(
                started.elapsed() < classroom::testing::PATIENCE,
                "{step}: no temp file"
            );
            std::thread::yield_now();
        }
        let pid = server.pid().to_string();
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        let killed = kill.unwrap();
        assert!(killed.success());
        let (status, root) = server.wait_exit();
        assert!(!status.success(), "{step}: stopped by the signal");
        assert_eq!(tree(root.path()), ["files"], "{step}");
    }
}

// ------------------------------------------------------------ headers

/// serde fills a struct from a JSON array, field by field: an array must
/// not pass for a header (and an `ack` header's `opt` is checked too).
#[test]
fn a_header_that_is_not_a_json_object_is_refused() {
    let not_object = "is JSON, but not an object";
    let cases: [(&str, &[u8], &[u8]); 3] = [
        ("json-header", br#"["upload", "a.txt", 2]"#, b"hi"),
        ("case", br#"["file", "a.txt"]"#, &[2, 0, 0, 0, b'h', b'i']),
        ("download", br#"["download", "a.txt"]"#, b""),
    ];
    for (step, header, data) in cases {
        let server = Server::start(step);
        let mut stream = server.connect();
        stream
            .write_all(&[frame(header), data.to_vec()].concat())
            .unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let error = error_reply(&mut stream);
        assert!(error.contains(not_object), "{step}: {error}");
        assert_eq!(tree(server.root.path()), ["files"], "{step}");
    }
    let server = Server::start("ack");
    for (header, why) in [
        (r#"["delete", "a.txt", 2]"#, not_object),
        (
            r#"{"opt": "delete", "filename": "a.txt", "filesize": 2}"#,
            "unknown opt \"delete\" (upload)",
        ),
    ] {
        let mut stream = server.connect();
        stream.write_all(header.as_bytes()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(reply.contains(why), "{header}: {reply}");
    }
    assert_eq!(tree(server.root.path()), ["files"]);
}

// ------------------------------------------------------------ clients

/// Given MESSAGE arguments, a client reads no stdin, so it has no reason
/// to tell how to stop typing.
#[test]
fn clients_given_arguments_say_nothing_about_typing() {
    let cases: [(&str, &[&str]); 4] = [
        ("length", &["hi"]),
        ("case", &["msg|hi"]),
        ("ready", &["help"]),
        ("download", &["nope.txt"]),
    ];
    for (step, messages) in cases {
        let server = Server::start(step);
        let args = [&["client", step][..], messages].concat();
        let printed = run_client_in(server.root.path(), &args, server.addr.port());
        assert!(
            printed.contains("[client] connected to"),
            "{step}: {printed}"
        );
        for hint in ["quit", "q to", "Ctrl-D", ">>>"] {
            assert!(!printed.contains(hint), "{step}: {hint:?} in {printed}");
        }
    }
}

/// A mistyped name costs only that name: the download client says the
/// server has no such file and goes on with the next one.
#[test]
fn the_download_client_goes_on_after_a_mistyped_name() {
    let server = Server::start_with("download", &[], |root| {
        std::fs::write(root.join("files/hello.txt"), "hello").unwrap();
    });
    let args = ["client", "download", "helo.txt", "hello.txt"];
    let printed = run_client_in(server.root.path(), &args, server.addr.port());
    assert!(
        printed.contains(
            "[client] the server refused: no file \"helo.txt\" to download (there is none)"
        ),
        "{printed}"
    );
    assert!(
        printed.contains("[client] saved hello.txt (5 bytes"),
        "{printed}"
    );
    let saved = server.root.path().join("downloads/hello.txt");
    assert_eq!(std::fs::read(saved).unwrap(), b"hello");
}
