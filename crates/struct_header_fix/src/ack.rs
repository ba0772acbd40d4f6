//! `ack`: document 004's first fix (§二、解决粘包, port 8001). The client
//! sends a JSON header describing the file, *waits for the server's `ok`*,
//! and only then sends the file's bytes.
//!
//! ```text
//! client                                     server
//!   {"opt": "upload", "filename": …, "filesize": N}  ──►
//!                                         ◄──  ok
//!   N bytes of file data                     ──►
//! ```
//!
//! While the client waits, nothing else is in flight, so the header cannot
//! glue to the data (粘包). It works, but every upload pays one extra round
//! trip, and the header still has no length: the server reads until the
//! JSON is complete (document 004 reads `recv(100)` and hopes).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use classroom::{Side, narrate, run_roles};

use crate::conn::Conn;
use crate::conn::Turns;
use crate::decoder::FrameReader;
use crate::files::{Folder, checked_name};
use crate::frame::{HEADER_CAP, MESSAGE_CAP, encode_frame};
use crate::header::{FileHeader, fields, invalid, json};
use crate::py_json::dumps;
use classroom::tcp::demo_pair;

use crate::serve::DemoDir;
use crate::transfer::{gone, receive_unhashed, send_file};

/// The document's port for this step.
pub const PORT: u16 = 8001;

/// The server's go-ahead, the document's `b'ok'`.
pub const OK: &[u8] = b"ok";

/// Read a JSON header that has no length in front of it: keep reading
/// until the JSON is complete. `None` if the client closed before sending
/// anything.
pub fn read_json_header(conn: &mut impl Read, cap: u64) -> io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            if raw.is_empty() {
                return Ok(None);
            }
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the peer closed the connection after {} bytes of an unfinished header",
                    raw.len()
                ),
            ));
        }
        raw.extend_from_slice(&chunk[..n]);
        match serde_json::from_slice::<serde::de::IgnoredAny>(&raw) {
            Err(e) if e.is_eof() => {} // not complete yet: read more
            _ => return Ok(Some(raw)), // complete, or broken: the parser will say
        }
        if raw.len() as u64 > cap {
            return Err(invalid(format!(
                "the header exceeds the cap of {cap} bytes"
            )));
        }
    }
}

// ANCHOR: serve
/// The server's half: for each upload, read the header, answer `ok`, then
/// receive exactly `filesize` bytes into `folder`.
pub fn serve(conn: &mut impl Conn, out: &mut Side, folder: &Folder) -> io::Result<()> {
    loop {
        let raw = match read_json_header(conn, HEADER_CAP) {
            Ok(None) => return Ok(()), // the client closed between uploads
            Ok(Some(raw)) => raw,
            Err(e) => return refuse(conn, e, out),
        };
        out.received(&raw);
        let header = match parse_upload(&raw) {
            Ok(header) => header,
            Err(e) => return refuse(conn, e, out),
        };
        out.sent(OK);
        conn.write_all(OK)?; // the client may send the data now
        let mut reader = FrameReader::new(&mut *conn);
        let name = &header.filename;
        if let Err(e) = receive_unhashed(&mut reader, header.filesize, folder, name) {
            return refuse(conn, e, out);
        }
        out.say(format!(
            "saved {} ({} bytes)",
            folder.show(name),
            header.filesize
        ));
    }
}
// ANCHOR_END: serve

/// Check an upload header: JSON with a plain file name and a size.
fn parse_upload(raw: &[u8]) -> io::Result<FileHeader> {
    if glued(raw) {
        return Err(invalid(
            "bytes followed the header before the ok: wait for ok before sending the file",
        ));
    }
    let header: FileHeader = fields(json(raw, "header")?, "header")?;
    checked_name(&header.filename)?;
    Ok(header)
}

/// Whether more than whitespace follows a complete JSON value: a client
/// that did not wait for `ok` glued the file to the header (粘包).
fn glued(raw: &[u8]) -> bool {
    let mut values = serde_json::Deserializer::from_slice(raw).into_iter::<serde::de::IgnoredAny>();
    matches!(values.next(), Some(Ok(_)))
        && raw[values.byte_offset()..]
            .iter()
            .any(|b| !b.is_ascii_whitespace())
}

/// Refuse an upload: this protocol's answer is a line of text instead of
/// `ok`.
fn refuse(conn: &mut impl Conn, error: io::Error, out: &mut Side) -> io::Result<()> {
    let error = classroom::tcp::name_timeout(error);
    if !gone(&error) {
        let reply = format!("error: {error}");
        out.sent(reply.as_bytes());
        let _ = conn.write_all(reply.as_bytes());
    }
    Err(error)
}

// ANCHOR: upload
/// The client's half: header, wait for `ok`, then the data.
pub fn upload(stream: &mut impl Conn, path: &Path, out: &mut Side) -> io::Result<()> {
    let name = file_name(path)?;
    let size = std::fs::metadata(path)?.len();
    let header = dumps(&FileHeader::upload(&name, size, None));
    out.sent(&header);
    stream.write_all(&header)?;
    // FIX: wait for the go-ahead. Nothing else is in flight while we wait,
    // so the header cannot glue to the data that follows.
    let mut reply = [0u8; 1024];
    let n = stream.read(&mut reply)?;
    out.received(&reply[..n]);
    if &reply[..n] != OK {
        let text = String::from_utf8_lossy(&reply[..n]);
        return Err(io::Error::other(format!("no ok from the server: {text:?}")));
    }
    send_file(stream, path, 0, size, out)
}
// ANCHOR_END: upload

/// The last part of a path, as the documents' `os.path.basename`.
pub fn file_name(path: &Path) -> io::Result<String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} does not end in a UTF-8 file name", path.display()),
            )
        })
}

/// Upload each file named in `messages` (or typed on stdin), one
/// connection each, as the document's client does.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut out = Side::client();
    for path in classroom::cli::input_lines(messages) {
        if path.is_empty() || path == "q" {
            break;
        }
        let mut stream = classroom::tcp::connect(addr)?;
        out.say(format!("connected to {addr}; uploading {path}"));
        upload(&mut stream, Path::new(&path), &mut out)?;
    }
    Ok(())
}

/// How many uploads the timing part of the demo makes each way.
pub const TIMED: u32 = 200;

/// One upload, then a measurement of what the ok costs.
pub fn demo() -> io::Result<()> {
    let dir = DemoDir::new()?;
    let folder = dir.folder("files")?;
    let path = dir.client_file("notes.txt", 300)?;

    let (saved_tx, saved) = mpsc::channel();
    let server_folder = folder.clone();
    demo_pair(
        move |mut conn: Turns, out| {
            let result = serve(&mut conn, out, &server_folder);
            let _ = saved_tx.send(());
            result
        },
        |mut stream: Turns, out| {
            upload(&mut stream, &path, out)?;
            stream.finish_sending()?; // no more uploads: the server sees EOF
            let _ = saved.recv();
            Ok(())
        },
    )?;
    narrate("the client waited for ok, so the header and the file could not stick together");

    let (with_ok, without) = time_uploads(TIMED)?;
    let client = Side::client();
    client.say(format!(
        "{TIMED} uploads waiting for ok:      {with_ok:.1?} per upload"
    ));
    client.say(format!(
        "{TIMED} uploads with a length header: {without:.1?} per upload"
    ));
    narrate(
        "each ok is one more round trip per upload (a network round trip is often tens of milliseconds)",
    );
    narrate("a length in front of the header removes the wait: `demo length`, `demo json-header`");
    Ok(())
}

/// Time `count` tiny uploads both ways on loopback: waiting for `ok` after
/// each header, and sending header and data straight away with a length
/// in front. Both measured until the server has read everything.
pub fn time_uploads(count: u32) -> io::Result<(Duration, Duration)> {
    let header = dumps(&FileHeader::upload("a.txt", 5, None));
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let per_upload = |elapsed: Duration| elapsed / count;
    run_roles(
        move || {
            {
                // With ok: read the header, answer, read the 5 bytes.
                let (mut conn, _) = listener.accept()?;
                let mut data = [0u8; 5];
                while read_json_header(&mut conn, HEADER_CAP)?.is_some() {
                    conn.write_all(OK)?;
                    conn.read_exact(&mut data)?;
                }
            } // closing the connection tells the client we have it all
            // Without: length, header, data, as they come.
            let (conn, _) = listener.accept()?;
            let mut reader = FrameReader::new(conn);
            while reader.read_frame(HEADER_CAP)?.is_some() {
                let len = reader.read_len(MESSAGE_CAP)?.unwrap_or(0);
                reader.copy_data(len, &mut io::sink(), |_| {})?;
            }
            Ok(())
        },
        || {
            // TCP_NODELAY on both: otherwise Nagle's algorithm (lesson 04)
            // holds back small writes and we would time that instead.
            let mut stream = TcpStream::connect(addr)?;
            stream.set_nodelay(true)?;
            let start = Instant::now();
            let mut ok = [0u8; 2];
            for _ in 0..count {
                stream.write_all(&header)?;
                stream.read_exact(&mut ok)?;
                stream.write_all(b"hello")?;
            }
            stream.shutdown(std::net::Shutdown::Write)?;
            let _ = stream.read(&mut ok)?; // the server closes when it has read all
            let with_ok = per_upload(start.elapsed());

            let mut stream = TcpStream::connect(addr)?;
            stream.set_nodelay(true)?;
            let mut upload = encode_frame(&header)?;
            upload.extend(encode_frame(b"hello")?);
            let start = Instant::now();
            for _ in 0..count {
                stream.write_all(&upload)?;
            }
            stream.shutdown(std::net::Shutdown::Write)?;
            let _ = stream.read(&mut ok)?;
            Ok((with_ok, per_upload(start.elapsed())))
        },
    )
}
