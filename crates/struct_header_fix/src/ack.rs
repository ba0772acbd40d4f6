//! `ack`: document 004's first fix (§二、解决粘包, port 8001). The client
//! sends a JSON header, *waits for the server's `ok`*, then sends the file:
//! nothing else is in flight, so nothing glues (粘包). It costs a round trip
//! per upload, and the header has no length (document 004: `recv(100)`).

use std::io::{self, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use classroom::bytes::escape;
use classroom::files::ScratchDir;
use classroom::tcp::{RECV_SIZE, name_timeout};
use classroom::{Side, Traced, narrate, run_roles, runner};
use serde::de::IgnoredAny;

use crate::files::{FileHeader, file_name, sample_text, save_file, send_file};
use crate::frame::{HEADER_CAP, dumps, gone, invalid, pack_i, recv_framed};

/// The document's port for this step.
pub const PORT: u16 = 8001;

/// The server's go-ahead, the document's `b'ok'`.
pub const OK: &[u8] = b"ok";

// ANCHOR: server
/// The server's half, for one client: for each upload, read the header,
/// answer `ok`, then receive exactly `filesize` bytes into `folder`.
pub fn server(listener: &TcpListener, folder: &Path) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sk.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    let uploaded = wait_then_receive(&mut conn, folder);
    uploaded.or_else(|e| refuse(&mut conn, e))
}

fn wait_then_receive(conn: &mut Traced<TcpStream>, folder: &Path) -> io::Result<()> {
    while let Some(raw) = read_json_header(conn)? {
        let header = parse_upload(&raw)?; // Python: dic = json.loads(str_dic)
        conn.write_all(OK)?; // Python: conn.send(b'ok')  # 防止粘包
        let (name, size) = (&header.filename, header.filesize);
        // Python: while dic['filesize']: content = conn.recv(1024); f.write(content)
        save_file(conn, folder, name, size, None)?; // no md5 in this header
        conn.say(format!("saved {} ({size} bytes)", escape(name))); // a name a peer chose
    }
    Ok(()) // the client closed between two uploads
}
// ANCHOR_END: server

/// Read a JSON header that has no length in front of it: keep reading
/// until the JSON is complete. `None` if the client closed before any.
pub fn read_json_header(conn: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; RECV_SIZE];
    loop {
        // FIX: document 004 reads `recv(100)` once, so a longer header is
        // cut off; we read until the JSON is complete, up to a cap.
        let n = conn.read(&mut chunk)?;
        if n == 0 && raw.is_empty() {
            return Ok(None);
        } else if n == 0 {
            let got = raw.len();
            let why = format!("the peer closed after {got} bytes of an unfinished header");
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, why));
        }
        raw.extend_from_slice(&chunk[..n]);
        match serde_json::from_slice::<IgnoredAny>(&raw) {
            Err(e) if e.is_eof() => {} // not complete yet: read more
            _ => return Ok(Some(raw)), // complete, or broken: the parser will say
        }
        if raw.len() as u64 > HEADER_CAP {
            let why = format!("the header exceeds the cap of {HEADER_CAP} bytes");
            return Err(invalid(why));
        }
    }
}

/// Check an upload header: one JSON object, `opt` upload, a name, a size.
fn parse_upload(raw: &[u8]) -> io::Result<FileHeader> {
    // Anything after the JSON: a client that did not wait for `ok` glued
    // the file to the header (粘包).
    let mut values = serde_json::Deserializer::from_slice(raw).into_iter::<IgnoredAny>();
    let complete = matches!(values.next(), Some(Ok(_)));
    if complete && !raw[values.byte_offset()..].trim_ascii().is_empty() {
        let why = "bytes followed the header before the ok: wait for ok before sending the file";
        return Err(invalid(why));
    }
    FileHeader::upload(raw)
}

/// Refuse an upload: this protocol's answer is a line of text, not `ok`.
fn refuse(conn: &mut Traced<TcpStream>, error: io::Error) -> io::Result<()> {
    let error = name_timeout(error);
    if !gone(&error) {
        let _ = conn.write_all(format!("error: {error}").as_bytes());
    }
    Err(error)
}

// ANCHOR: client
/// The client's half: upload each file named in `paths` (until `q`), each
/// one header, wait for `ok`, then the data.
pub fn client(addr: SocketAddr, paths: impl IntoIterator<Item = String>) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: sk.connect(("127.0.0.1", 8001))
    let mut stream = Traced::connected(stream)?;
    for path in paths.into_iter().take_while(|p| !p.is_empty() && p != "q") {
        let path = Path::new(&path);
        let size = std::fs::metadata(path)?.len(); // Python: os.path.getsize(file_path)
        let header = FileHeader::new("upload", &file_name(path)?, size, None);
        stream.write_all(&dumps(&header))?; // Python: sk.send(str_dic.encode("utf-8"))
        // FIX: wait for the go-ahead. Nothing else is in flight while we
        // wait, so the header cannot glue to the data that follows.
        let mut reply = [0u8; RECV_SIZE];
        let n = stream.read(&mut reply)?; // Python: sk.recv(1024)
        if &reply[..n] != OK {
            let text = String::from_utf8_lossy(&reply[..n]);
            return Err(io::Error::other(format!("no ok from the server: {text:?}")));
        }
        let mut file = std::fs::File::open(path)?;
        send_file(&mut stream, &mut file, size)?; // Python: sk.send(f.read(1024)), until filesize
    }
    Ok(()) // Python: sk.close(), when `stream` is dropped
}
// ANCHOR_END: client

/// One upload, each piece waiting for the one before; then the wait, timed.
pub fn demo() -> io::Result<()> {
    let scratch = ScratchDir::new("struct_header_fix-demo")?;
    let folder = scratch.sub("files")?;
    let path = scratch.sub("client")?.join("notes.txt");
    std::fs::write(&path, sample_text(300))?;
    let paths = [path.to_string_lossy().into_owned()];
    runner::pair(move |l| server(l, &folder), |addr| client(addr, paths))?;
    narrate("the client waited for ok, so the header and the file could not stick together");
    let (with_ok, with_length) = per_upload(200)?;
    let say =
        |how, each: Duration| Side::client().say(format!("200 uploads {how} {each:.1?} each"));
    say("waiting for ok:      ", with_ok);
    say("with a length header:", with_length);
    narrate("each ok is one more round trip per upload (across a network, often milliseconds)");
    narrate("a length in front of the header removes the wait: `demo length`, `demo json-header`");
    Ok(())
}

/// Time `count` 5-byte uploads each way, unprinted: waiting for `ok` after
/// each header, or a length, the header and the data at once.
pub fn per_upload(count: u32) -> io::Result<(Duration, Duration)> {
    let header = dumps(&FileHeader::new("upload", "a.txt", 5, None));
    let framed = [&pack_i(header.len() as i64)?[..], &header, b"hello"].concat();
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let server = move || {
        let (mut conn, _) = listener.accept()?; // waiting for ok
        while read_json_header(&mut conn)?.is_some() {
            conn.write_all(OK)?;
            conn.read_exact(&mut [0u8; 5])?;
        }
        drop(conn); // closing tells the client all was read
        let mut conn = BufReader::new(listener.accept()?.0); // with a length
        while recv_framed(&mut conn, HEADER_CAP)?.is_some() {
            conn.read_exact(&mut [0u8; 5])?;
        }
        Ok(())
    };
    run_roles(server, || {
        let with_ok = timed(addr, count, &mut |s| {
            s.write_all(&header)?;
            s.read_exact(&mut [0u8; 2])?;
            s.write_all(b"hello")
        })?;
        Ok((with_ok, timed(addr, count, &mut |s| s.write_all(&framed))?))
    })
}

type Upload<'a> = &'a mut dyn FnMut(&mut TcpStream) -> io::Result<()>;

/// The time per upload, until the server has read all `count` (it closes).
/// Nagle (lesson 04) is off, so what is timed is the round trip.
fn timed(addr: SocketAddr, count: u32, upload: Upload<'_>) -> io::Result<Duration> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let start = Instant::now();
    for _ in 0..count {
        upload(&mut stream)?;
    }
    stream.shutdown(Shutdown::Write)?;
    let _closed = stream.read(&mut [0u8; 1])?; // 0 bytes: the server has read all
    Ok(start.elapsed() / count)
}
