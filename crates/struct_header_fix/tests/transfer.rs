//! Files arrive byte for byte, whichever step carries them, and are streamed:
//! the server's memory does not grow with the file.

mod common;

use std::process::Command;

use classroom::testing::run_command;
use common::{BIN, Server, binary, run_client_in};

/// Run our client binary in the server's folder with the server's port.
fn client(server: &Server, args: &[&str]) -> String {
    run_client_in(server.root.path(), args, server.addr.port())
}

#[test]
fn a_few_mib_go_up_and_come_back_byte_identical() {
    let server = Server::start("json-header");
    let data = binary(3 * 1024 * 1024 + 17);
    std::fs::write(server.root.path().join("big.bin"), &data).unwrap();

    let up = client(&server, &["client", "json-header", "big.bin"]);
    assert!(up.contains("sent 3145745 bytes of file data"), "{up}");
    assert_eq!(std::fs::read(server.files().join("big.bin")).unwrap(), data);

    let down = client(&server, &["client", "download", "--dir", "back", "big.bin"]);
    assert!(
        down.contains("saved back/big.bin (3145745 bytes, md5 verified"),
        "{down}"
    );
    assert_eq!(
        std::fs::read(server.root.path().join("back/big.bin")).unwrap(),
        data
    );
}

#[test]
fn the_case_upload_is_byte_identical_too() {
    let server = Server::start("case");
    let data = binary(2 * 1024 * 1024 + 5);
    std::fs::write(server.root.path().join("photo.png"), &data).unwrap();
    client(&server, &["client", "case", "file|photo.png", "Q"]);
    server.wait_for("close: the client is done");
    assert_eq!(
        std::fs::read(server.files().join("photo.png")).unwrap(),
        data
    );
}

#[test]
fn an_interrupted_download_resumes_where_it_stopped() {
    let server = Server::start("download");
    let data = binary(300_000);
    std::fs::write(server.files().join("a.bin"), &data).unwrap();
    // An earlier try left the first 100000 bytes.
    std::fs::create_dir(server.root.path().join("downloads")).unwrap();
    std::fs::write(
        server.root.path().join("downloads/.a.bin.part"),
        &data[..100_000],
    )
    .unwrap();
    let out = client(&server, &["client", "download", "a.bin"]);
    assert!(
        out.contains("holds 100000 bytes from an earlier try"),
        "{out}"
    );
    assert!(out.contains("received 200000 bytes of file data"), "{out}");
    let back = server.root.path().join("downloads");
    assert_eq!(std::fs::read(back.join("a.bin")).unwrap(), data);
    assert!(!back.join(".a.bin.part").exists());
}

#[test]
fn a_resumed_download_from_wrong_bytes_fails_its_md5_and_starts_over() {
    let server = Server::start("download");
    let data = binary(10_000);
    std::fs::write(server.files().join("a.bin"), &data).unwrap();
    let back = server.root.path().join("downloads");
    std::fs::create_dir(&back).unwrap();
    std::fs::write(back.join(".a.bin.part"), b"not the file").unwrap();
    let port = server.addr.port().to_string();
    let output = run_command(
        Command::new(BIN)
            .args(["client", "download", "a.bin", "--port", &port])
            .current_dir(server.root.path()),
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("md5 mismatch"));
    assert!(
        !back.join(".a.bin.part").exists(),
        "the wrong bytes are gone"
    );
    client(&server, &["client", "download", "a.bin"]);
    assert_eq!(std::fs::read(back.join("a.bin")).unwrap(), data);
}

/// Linux only: the peak memory of a process comes from /proc.
#[cfg(target_os = "linux")]
mod memory {
    use std::io::Write;

    use crate::common::{Server, binary, frame, read_frame};

    /// The peak memory of a process, from /proc (Linux only).
    fn peak_kib(pid: u32) -> u64 {
        classroom::memory::peak_rss_kib(pid).expect("VmHWM in /proc/PID/status")
    }

    /// 32 MiB in, 32 MiB out: the server's peak memory stays far below the
    /// file's size, because it never holds more than a chunk.
    #[test]
    fn memory_does_not_grow_with_the_file() {
        const SIZE: usize = 32 * 1024 * 1024;
        let server = Server::start("json-header");
        let before = peak_kib(server.pid());
        let mut stream = server.connect();
        let header = format!(r#"{{"opt": "upload", "filename": "big.bin", "filesize": {SIZE}}}"#);
        stream.write_all(&frame(header.as_bytes())).unwrap();
        let chunk = binary(64 * 1024);
        for _ in 0..SIZE / chunk.len() {
            stream.write_all(&chunk).unwrap();
        }
        let reply = read_frame(&mut stream).expect("a reply");
        assert!(String::from_utf8_lossy(&reply).contains("\"saved\""));

        // And back out again.
        let request = r#"{"opt": "download", "filename": "big.bin", "offset": 0}"#;
        stream.write_all(&frame(request.as_bytes())).unwrap();
        read_frame(&mut stream).expect("a download header");
        let mut left = SIZE;
        let mut buf = vec![0u8; 1 << 20];
        while left > 0 {
            let n = std::io::Read::read(&mut stream, &mut buf[..left.min(1 << 20)]).unwrap();
            assert!(n > 0, "the whole file comes back");
            left -= n;
        }
        let grew = peak_kib(server.pid()).saturating_sub(before);
        assert!(
            grew < 8 * 1024,
            "the server's peak memory grew by {grew} KiB for a {} KiB file",
            SIZE / 1024
        );
    }
}
