//! What a hostile or a slow client does to the file server, and what a
//! mistyped name does to its client: each test here failed once. The slow
//! ones run the server with `--patience 1`.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use classroom::testing::{ServerProcess, run_command, succeeded};
use common::{BIN, client, server_with};
use serde_json::{Value, json};
use struct_header_fix::frame::{recv_framed, recv_reply, send_json};

/// Run the client in `cwd`; it must succeed. What it printed.
fn client_ok(server: &ServerProcess, cwd: &Path, args: &[&str]) -> String {
    let (printed, ok) = client(server, cwd, args);
    assert!(ok, "{printed}");
    printed
}

/// Run `step` every 50 ms on another thread, as a slow client does, until
/// it fails or 4 s have passed. The server (`--patience 1`) must let the
/// client go within 3 s of `started`, when its time is up.
fn assert_let_go_in_time(
    server: &ServerProcess,
    started: Instant,
    mut step: impl FnMut() -> bool + Send + 'static,
) {
    let slow = std::thread::spawn(move || {
        while started.elapsed() < Duration::from_secs(4) && step() {
            // Deliberate: the pace of a slow client, not an ordering of events.
            std::thread::sleep(Duration::from_millis(50)); // allow-sleep
        }
    });
    let log = server.wait_for("that connection").join("\n");
    let took = started.elapsed();
    assert!(log.contains("the connection's 1 s are up"), "{log}");
    assert!(took < Duration::from_secs(3), "let go after {took:?}");
    slow.join().unwrap();
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The server's answer to one request, or its error.
fn ask(stream: &mut TcpStream, request: &Value) -> std::io::Result<Option<Value>> {
    send_json(stream, request)?;
    recv_reply(stream)
}

/// A client that uploads a big file one byte every 50 ms never waits long
/// enough for a per-call timeout: only the connection's deadline lets it
/// go, within its second, and the next client is served.
#[test]
fn a_trickling_upload_is_let_go_within_patience() {
    let (server, root) = server_with(&["--patience", "1"], |_| {});
    let started = Instant::now();
    let mut stream = server.connect();
    let request = json!({ "opt": "upload", "filename": "big.bin", "filesize": 1_000_000 });
    send_json(&mut stream, &request).unwrap();
    assert_let_go_in_time(&server, started, move || stream.write_all(b"x").is_ok());
    assert!(names(&root.path().join("files")).is_empty());
    let listed = ask(&mut server.connect(), &json!({ "opt": "list" })).unwrap();
    assert_eq!(listed, Some(json!({ "files": [] })));
}

/// A client that reads a download 64 KiB every 50 ms: every write the
/// server makes gets room soon enough, so only the deadline ends it.
#[test]
fn a_slow_reader_of_a_download_is_let_go_within_patience() {
    let (server, _root) = server_with(&["--patience", "1"], |root| {
        std::fs::write(root.join("files/big.bin"), vec![7u8; 32 * 1024 * 1024]).unwrap();
    });
    let started = Instant::now();
    let mut stream = server.connect();
    let request = json!({ "opt": "download", "filename": "big.bin" });
    send_json(&mut stream, &request).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    assert_let_go_in_time(&server, started, move || {
        matches!(stream.read(&mut buf), Ok(1..))
    });
}

/// A name made to take over a terminal, uploaded by one student and listed
/// by another: the listing prints it escaped.
#[test]
fn a_name_one_student_uploads_reaches_another_escaped() {
    let evil = "\x1b]0;PWNED\x07\x1b[2J…\r[server] saved ok.txt";
    let (server, root) = server_with(&[], |_| {});
    let mut stream = server.connect();
    let request = json!({ "opt": "upload", "filename": evil, "filesize": 2 });
    let mut upload = Vec::new();
    send_json(&mut upload, &request).unwrap();
    upload.extend_from_slice(b"hi");
    stream.write_all(&upload).unwrap();
    recv_reply::<Value>(&mut stream).unwrap().expect("saved");
    drop(stream); // one student at a time
    let printed = server.wait_for("saved ").join("\n");
    let shown = r"\u{1b}]0;PWNED\u{7}\u{1b}[2J…\r[server] saved ok.txt";
    assert!(
        printed.contains(&format!("[server] saved {shown}")),
        "{printed}"
    );
    let listed = client_ok(&server, root.path(), &["download"]);
    assert!(listed.contains(&format!("2 bytes  {shown}")), "{listed}");
    assert!(!(printed + &listed).contains(['\x1b', '\x07', '\r']));
}

/// A link out of the folder and a FIFO are not served (nor listed).
#[cfg(unix)]
#[test]
fn links_and_fifos_are_not_served() {
    let (server, _root) = server_with(&[], |root| {
        std::fs::write(root.join("secret.txt"), "not yours").unwrap();
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("files/x")).unwrap();
        let made = run_command(Command::new("mkfifo").arg(root.join("files/pipe")), "");
        assert!(made.status.success(), "mkfifo");
    });
    let mut stream = server.connect();
    let listed = ask(&mut stream, &json!({ "opt": "list" })).unwrap();
    assert_eq!(listed, Some(json!({ "files": [] })));
    for (name, why) in [
        ("x", "no file \"x\" to download (a symbolic link)"),
        (
            "pipe",
            "no file \"pipe\" to download (only regular files are served)",
        ),
    ] {
        let err = ask(&mut stream, &json!({ "opt": "download", "filename": name })).unwrap_err();
        assert!(err.to_string().contains(why), "{name}: {err}");
    }
}

/// Dot-files: not created or overwritten by an upload, not downloaded.
#[test]
fn dot_names_are_refused_for_uploads_and_downloads() {
    let why = "refused file name \".bashrc\": a name starting with a dot is hidden";
    let (server, root) = server_with(&[], |root| {
        std::fs::write(root.join("files/.profile"), "secret").unwrap();
    });
    let mut stream = server.connect();
    let request = json!({ "opt": "upload", "filename": ".bashrc", "filesize": 2 });
    let err = ask(&mut stream, &request).unwrap_err();
    assert!(err.to_string().contains(why), "{err}");
    assert_eq!(names(&root.path().join("files")), [".profile"]);
    drop(stream);
    let mut stream = server.connect();
    let request = json!({ "opt": "download", "filename": ".profile" });
    let err = ask(&mut stream, &request).unwrap_err();
    assert!(
        err.to_string().contains("a name starting with a dot"),
        "{err}"
    );
}

/// A 250-byte name goes up and comes back: neither the server's temporary
/// name nor the client's `.NAME.part` may make it longer than 255 bytes.
#[test]
fn a_250_byte_name_goes_up_and_comes_back() {
    let name = format!("{}.txt", "長".repeat(82));
    assert_eq!(name.len(), 250);
    let (server, root) = server_with(&[], |root| {
        std::fs::write(root.join(&name), "hello").unwrap();
    });
    let up = client_ok(&server, root.path(), &["upload", &name]);
    assert!(up.contains("uploaded 長長"), "{up}");
    client_ok(&server, root.path(), &["download", "1"]);
    let back = std::fs::read(root.path().join("downloads").join(&name)).unwrap();
    assert_eq!(back, b"hello");
}

/// SIGTERM in the middle of an upload: the temporary file goes too.
#[cfg(unix)]
#[test]
fn a_server_stopped_mid_upload_leaves_no_temporary_file() {
    let (server, root) = server_with(&[], |_| {});
    let files = root.path().join("files");
    let mut stream = server.connect();
    let request = json!({ "opt": "upload", "filename": "big.bin", "filesize": 1_000_000 });
    send_json(&mut stream, &request).unwrap();
    stream.write_all(&[1u8; 100_000]).unwrap();
    let started = Instant::now();
    while !names(&files).iter().any(|n| n.starts_with('.')) {
        assert!(
            started.elapsed() < classroom::testing::PATIENCE,
            "no temporary file"
        );
        std::thread::yield_now();
    }
    let pid = server.pid().to_string();
    assert!(
        run_command(Command::new("kill").args(["-TERM", &pid]), "")
            .status
            .success()
    );
    assert!(!server.wait_exit().success());
    assert!(names(&files).is_empty(), "{:?}", names(&files));
}

/// A temporary file that a killed server left (its process is gone) is
/// removed when the server starts on the folder, and the server says so.
/// One of a running process, and anything not named like ours, stays.
#[test]
fn a_restarted_server_sweeps_what_a_killed_one_left() {
    let mut gone = Command::new(BIN)
        .arg("--help")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stale = format!(".part-{}-3", gone.id());
    gone.wait().unwrap();
    let live = format!(".part-{}-0", std::process::id());
    let (server, root) = server_with(&[], |root| {
        for name in [&stale, &live, ".part-notes", "a.part"] {
            std::fs::write(root.join("files").join(name), "half").unwrap();
        }
    });
    assert_eq!(
        server.next_line(),
        format!(
            "[server] removed {stale}: a temporary file left by a server that was stopped mid-upload"
        )
    );
    let mut kept = vec![live, ".part-notes".into(), "a.part".into()];
    kept.sort();
    assert_eq!(names(&root.path().join("files")), kept);
}

/// An array is not a request, though serde would read one as a struct.
#[test]
fn a_request_that_is_not_a_json_object_is_refused() {
    let (server, root) = server_with(&[], |_| {});
    for request in [json!(["upload", "a.txt", 2]), json!(["list"])] {
        let mut stream = server.connect();
        send_json(&mut stream, &request).unwrap();
        stream.write_all(b"hi").unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let err = recv_reply::<Value>(&mut stream).unwrap_err();
        assert!(
            err.to_string()
                .contains("the request is JSON, but not an object"),
            "{err}"
        );
        assert!(recv_framed(&mut stream, 1024).unwrap().is_none());
    }
    assert!(names(&root.path().join("files")).is_empty());
}

/// The demo's broken download is a client leaving early, and the server
/// says so calmly.
#[test]
fn the_demo_server_ends_a_reset_connection_calmly() {
    let text = succeeded(run_command(
        Command::new(BIN).args(["demo", "download"]),
        "",
    ));
    assert!(
        text.contains("[server] the client left that connection early"),
        "{text}"
    );
    assert!(!text.contains("gave up"), "{text}");
}
