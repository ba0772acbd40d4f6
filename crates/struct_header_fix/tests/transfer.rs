//! Files arrive byte for byte, whichever step carries them, and are
//! streamed: a server's memory does not grow with the file.

mod common;

use common::{Server, binary, run_client_in};

/// Run our client binary in the server's folder with the server's port.
fn client(server: &Server, args: &[&str]) -> String {
    run_client_in(server.root.path(), args, server.addr.port())
}

#[test]
fn a_few_mib_go_up_and_come_back_byte_identical() {
    let up = Server::start("json-header");
    let data = binary(3 * 1024 * 1024 + 17);
    std::fs::write(up.root.path().join("big.bin"), &data).unwrap();
    let printed = client(&up, &["client", "json-header", "big.bin"]);
    // 1 MiB per write: a few lines, not one per kilobyte.
    let sends = printed.lines().filter(|l| l.contains("] send #")).count();
    assert!((4..=12).contains(&sends), "{printed}");
    assert_eq!(std::fs::read(up.files().join("big.bin")).unwrap(), data);
    let log = up.wait_for("saved big.bin").join("\n");
    assert!(
        log.contains("received 3145745 bytes of file data (reads not printed"),
        "{log}"
    );

    // A download server on the same folder sends it back.
    let down = Server::start("download");
    std::fs::copy(up.files().join("big.bin"), down.files().join("big.bin")).unwrap();
    let printed = client(&down, &["client", "download", "--dir", "back", "big.bin"]);
    assert!(
        printed.contains("saved big.bin (3145745 bytes, md5 verified"),
        "{printed}"
    );
    let back = down.root.path().join("back/big.bin");
    assert_eq!(std::fs::read(back).unwrap(), data);
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
fn the_ack_upload_is_byte_identical_too() {
    let server = Server::start("ack");
    let data = binary(1024 * 1024 + 3);
    std::fs::write(server.root.path().join("a.bin"), &data).unwrap();
    client(&server, &["client", "ack", "a.bin"]);
    server.wait_for("saved a.bin");
    assert_eq!(std::fs::read(server.files().join("a.bin")).unwrap(), data);
}

/// Linux only: the peak memory of a process comes from /proc.
#[cfg(target_os = "linux")]
mod memory {
    use std::io::{Read, Write};

    use crate::common::{Server, binary, frame, read_frame};

    const SIZE: usize = 32 * 1024 * 1024;

    /// The peak memory of a process, from /proc (Linux only).
    fn peak_kib(pid: u32) -> u64 {
        classroom::memory::peak_rss_kib(pid).expect("VmHWM in /proc/PID/status")
    }

    /// How much a server's peak memory grew while `run` talked to it.
    fn growth(server: &Server, run: impl FnOnce()) -> u64 {
        let before = peak_kib(server.pid());
        run();
        peak_kib(server.pid()).saturating_sub(before)
    }

    /// 32 MiB in, 32 MiB out: neither server's peak memory comes near the
    /// file's size, because neither holds more than a chunk.
    #[test]
    fn memory_does_not_grow_with_the_file() {
        let up = Server::start("json-header");
        let grew = growth(&up, || {
            let mut stream = up.connect();
            let header =
                format!(r#"{{"opt": "upload", "filename": "big.bin", "filesize": {SIZE}}}"#);
            stream.write_all(&frame(header.as_bytes())).unwrap();
            let chunk = binary(64 * 1024);
            for _ in 0..SIZE / chunk.len() {
                stream.write_all(&chunk).unwrap();
            }
            let reply = read_frame(&mut stream).expect("a reply");
            assert!(String::from_utf8_lossy(&reply).contains("\"saved\""));
        });
        assert!(grew < 8 * 1024, "the upload grew the server by {grew} KiB");

        let down = Server::start("download");
        std::fs::copy(up.files().join("big.bin"), down.files().join("big.bin")).unwrap();
        let grew = growth(&down, || {
            let mut stream = down.connect();
            let request = r#"{"opt": "download", "filename": "big.bin"}"#;
            stream.write_all(&frame(request.as_bytes())).unwrap();
            read_frame(&mut stream).expect("a download header");
            let mut left = SIZE;
            let mut buf = vec![0u8; 1 << 20];
            while left > 0 {
                let n = stream.read(&mut buf[..left.min(1 << 20)]).unwrap();
                assert!(n > 0, "the whole file comes back");
                left -= n;
            }
        });
        assert!(
            grew < 8 * 1024,
            "the download grew the server by {grew} KiB"
        );
    }

    /// A message at `case`'s 64 MiB cap is read into one buffer of its
    /// size, and no copy of it is made: the peak grows by the cap, not by
    /// twice the cap.
    #[test]
    fn a_message_at_the_cap_is_held_once() {
        const CAP: usize = 64 * 1024 * 1024;
        let server = Server::start("case");
        let grew = growth(&server, || {
            let mut stream = server.connect();
            stream.write_all(&frame(br#"{"msg_type": "msg"}"#)).unwrap();
            stream.write_all(&(CAP as i32).to_le_bytes()).unwrap();
            let chunk = vec![b'x'; 1024 * 1024];
            for _ in 0..CAP / chunk.len() {
                stream.write_all(&chunk).unwrap();
            }
            stream.write_all(&frame(b"close")).unwrap();
            stream.shutdown(std::net::Shutdown::Write).unwrap();
            assert_eq!(read_frame(&mut stream), None);
            server.wait_for("close: the client is done");
        });
        let cap_kib = (CAP / 1024) as u64;
        assert!(
            grew < cap_kib + 8 * 1024,
            "a {cap_kib} KiB message grew the server by {grew} KiB"
        );
    }
}
