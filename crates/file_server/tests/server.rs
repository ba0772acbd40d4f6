//! The file server as a student runs it: a server process on its own port
//! and folder, and the client binary. Uploads arrive byte for byte, a
//! broken download resumes, wrong bytes are not resumed from, and a
//! refused download leaves no trace.

mod common;

use std::io::Read;
use std::net::{Shutdown, TcpListener};
use std::process::Command;

use classroom::testing::{ServerProcess, assert_same_every_run, run_command, succeeded};
use common::{BIN, client, server_with};
use serde_json::{Value, json};
use struct_header_fix::frame::{recv_framed, recv_reply, send_json};

/// `file_server server --port 0 --dir ROOT/files`, and the scratch root.
fn server() -> (ServerProcess, tempfile::TempDir) {
    server_with(&[], |_| {})
}

/// Bytes that are not text, the same every time; 251 is prime, so the
/// pattern never lines up with a buffer's size.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ 0xa5).collect()
}

#[test]
fn an_upload_comes_back_byte_identical() {
    let (server, root) = server();
    let data = binary(3 * 1024 * 1024 + 17);
    std::fs::write(root.path().join("big.bin"), &data).unwrap();
    let (up, ok) = client(&server, root.path(), &["upload", "big.bin"]);
    assert!(ok && up.contains("uploaded big.bin"), "{up}");
    let (down, ok) = client(&server, root.path(), &["download", "--dir", "back", "1"]);
    assert!(ok && down.contains(" 1.  3145745 bytes  big.bin"), "{down}");
    assert_eq!(
        std::fs::read(root.path().join("back/big.bin")).unwrap(),
        data
    );
}

#[test]
fn an_interrupted_download_resumes_where_it_stopped() {
    let (server, root) = server();
    let data = binary(300_000);
    std::fs::write(root.path().join("files/a.bin"), &data).unwrap();
    // An earlier try left the first 100000 bytes.
    let back = root.path().join("downloads");
    std::fs::create_dir(&back).unwrap();
    std::fs::write(back.join(".a.bin.part"), &data[..100_000]).unwrap();
    let (out, ok) = client(&server, root.path(), &["download", "a.bin"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("held 100000 bytes from an earlier try"),
        "{out}"
    );
    assert!(
        out.contains("received 200000 bytes from byte 100000 on"),
        "{out}"
    );
    assert_eq!(std::fs::read(back.join("a.bin")).unwrap(), data);
    assert!(!back.join(".a.bin.part").exists());
}

#[test]
fn a_resumed_download_from_wrong_bytes_fails_its_md5_and_starts_over() {
    let (server, root) = server();
    let data = binary(10_000);
    std::fs::write(root.path().join("files/a.bin"), &data).unwrap();
    let back = root.path().join("downloads");
    std::fs::create_dir(&back).unwrap();
    std::fs::write(back.join(".a.bin.part"), b"not the file").unwrap();
    let (out, ok) = client(&server, root.path(), &["download", "a.bin"]);
    assert!(!ok && out.contains("md5 mismatch"), "{out}");
    assert!(
        !back.join(".a.bin.part").exists(),
        "the wrong bytes are gone"
    );
    let (out, ok) = client(&server, root.path(), &["download", "a.bin"]);
    assert!(ok, "{out}");
    assert_eq!(std::fs::read(back.join("a.bin")).unwrap(), data);
}

/// A name the server has no file for is said, costs no trace in the
/// download folder, and the client goes on with the next name.
#[test]
fn a_refused_download_leaves_no_part_file_and_the_client_goes_on() {
    let (server, root) = server();
    std::fs::write(root.path().join("files/a.txt"), "hello").unwrap();
    let args = ["download", "nope.txt", "../x", "a.txt"];
    let (out, ok) = client(&server, root.path(), &args);
    assert!(ok, "{out}");
    for says in [
        "[client] the server refused: no file \"nope.txt\" to download (there is none)",
        "[client] refused file name \"../x\": the name contains a path separator",
        "[client] saved a.txt (5 bytes",
    ] {
        assert!(out.contains(says), "{says}: {out}");
    }
    let downloads: Vec<_> = std::fs::read_dir(root.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(downloads, ["a.txt"]);
    server.wait_for("no file \"nope.txt\" to download");
}

#[test]
fn a_download_offset_past_the_end_is_refused() {
    let (server, root) = server();
    std::fs::write(root.path().join("files/a.txt"), "hello").unwrap();
    let mut stream = server.connect();
    let request = json!({ "opt": "download", "filename": "a.txt", "offset": 6 });
    send_json(&mut stream, &request).unwrap();
    let err = recv_reply::<Value>(&mut stream).unwrap_err();
    assert!(
        err.to_string()
            .contains("offset 6 is past the end of a.txt (5 bytes)"),
        "{err}"
    );
}

/// The client reads a server's bytes too: a listing that is JSON but not
/// `{"files": [...]}` is a clear error, not a panic, and writes nothing.
#[test]
fn the_client_refuses_a_malformed_listing() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let fake = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        recv_framed(&mut conn, 1024)
            .unwrap()
            .expect("the list request");
        send_json(&mut conn, &json!([1, 2])).unwrap();
        conn.shutdown(Shutdown::Write).unwrap();
        let _ = conn.read_to_end(&mut Vec::new());
    });
    let mut command = Command::new(BIN);
    command
        .args(["client", "download", "a.txt", "--port", &port])
        .current_dir(dir.path());
    let output = run_command(&mut command, "");
    fake.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "no panic: {stderr}");
    assert!(
        stderr.contains("the reply is JSON, but not an object"),
        "{stderr}"
    );
    let written: Vec<_> = std::fs::read_dir(dir.path().join("downloads"))
        .unwrap()
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn the_demos_print_the_same_every_run() {
    assert_same_every_run(BIN, &["demo", "all"], 10, &[]);
    let text = succeeded(run_command(
        Command::new(BIN).args(["demo", "download"]),
        "",
    ));
    assert!(
        text.contains("received 2000 bytes from byte 1000 on"),
        "{text}"
    );
}
