//! `case`: document 002's worked example (§案例:消息 & 文件上传, port
//! 8001): chat messages and file uploads over one connection, every piece a
//! frame, a small JSON *type frame* saying what the next frame is. A file's
//! size is a 4-byte `'i'` like any length: no file of 2 GiB or more.

use std::io::{self, ErrorKind, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;

use classroom::bytes::escape;
use classroom::files::{ScratchDir, checked_name};
use classroom::{Side, Traced, narrate, runner};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::files::{file_name, sample_text, save_file, send_file};
use crate::frame::{HEADER_CAP, MESSAGE_CAP, dumps, invalid, pack_i, parse};
use crate::frame::{recv_framed, recv_len, recv_reply, refuse, send_framed, send_held};

/// The document's port for this step.
pub const PORT: u16 = 8001;

/// The frame that ends a session: the text `close`, not JSON.
pub const CLOSE: &[u8] = b"close";

/// The type frame: `{"msg_type": "msg"}` or
/// `{"msg_type": "file", "file_name": "a.png"}`.
#[derive(Debug, Serialize, Deserialize)]
struct TypeFrame {
    msg_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_name: Option<String>,
}

// ANCHOR: server
/// The server's half, for one client: a type frame, then what it
/// announces, until `close`.
pub fn server(listener: &TcpListener, folder: &Path) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sock.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    let received = receive(&mut conn, folder);
    received.or_else(|e| refuse(&mut conn, e))
}

fn receive(conn: &mut Traced<TcpStream>, folder: &Path) -> io::Result<()> {
    // Python: message_type = recv_data(conn).decode('utf-8')
    while let Some(raw) = recv_framed(conn, HEADER_CAP)? {
        if raw == CLOSE {
            conn.say("close: the client is done");
            return Ok(());
        }
        let kind: TypeFrame = parse(&raw, "type frame")?; // Python: json.loads(message_type)
        match (kind.msg_type.as_str(), kind.file_name) {
            ("msg", _) => {
                recv_framed(conn, MESSAGE_CAP)?.ok_or_else(missing)?; // Python: recv_data(conn)
            }
            ("file", Some(name)) => {
                // Python: recv_file(conn, file_name): its size is a 4-byte 'i' too
                let name = checked_name(&name)?;
                let size = recv_len(conn, i32::MAX as u64)?.ok_or_else(missing)?;
                save_file(conn, folder, name, size, None)?; // no md5 in this protocol
                conn.say(format!("saved {} ({size} bytes)", escape(name))); // a peer's name
            }
            ("file", None) => return Err(invalid("a file type frame needs a file_name")),
            (other, _) => return Err(invalid(format!("unknown msg_type {other:?} (msg or file)"))),
        }
    }
    conn.say("the client closed without sending close");
    Ok(())
}
// ANCHOR_END: server

fn missing() -> io::Error {
    let why = "the peer closed the connection before the frame its type frame announced";
    io::Error::new(ErrorKind::UnexpectedEof, why)
}

// ANCHOR: client
/// The client's half: one line at a time, as the document's input loop,
/// then `close`. With `hold` the writes leave together in one send.
pub fn client(
    addr: SocketAddr,
    typed: impl IntoIterator<Item = String>,
    hold: bool,
) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: client.connect(('127.0.0.1', 8001))
    let mut stream = Traced::connected(stream)?;
    send_held(&mut stream, hold, |out| send_lines(out, typed))?; // Python: input(">>>"), each
    stream.shutdown(Shutdown::Write)?; // Python: client.close(), but we still listen
    // The server answers only to say what was wrong: that becomes an error.
    recv_reply::<IgnoredAny>(&mut stream).map(drop)
}

fn send_lines(stream: &mut dyn Write, lines: impl IntoIterator<Item = String>) -> io::Result<()> {
    for line in lines {
        if line.eq_ignore_ascii_case("q") {
            break;
        }
        // The document's `content.split('|')` must give exactly two parts.
        match line.split('|').collect::<Vec<_>>()[..] {
            ["msg", text] => {
                let kind = TypeFrame {
                    msg_type: "msg".into(),
                    file_name: None,
                };
                send_framed(stream, &dumps(&kind))?; // Python: send_data(client, json.dumps(...))
                send_framed(stream, text.as_bytes())?; // Python: send_data(client, info)
            }
            ["file", path] => upload(stream, Path::new(path))?,
            _ => Side::client().say("format error: type msg|TEXT, file|PATH or Q"),
        }
    }
    send_framed(stream, CLOSE) // Python: send_data(client, "close"), also at the end of input
}
// ANCHOR_END: client

/// Send one file: its type frame, its size as a 4-byte `'i'`, its bytes.
fn upload(stream: &mut dyn Write, path: &Path) -> io::Result<()> {
    let size = std::fs::metadata(path)?.len(); // Python: os.stat(file_path).st_size
    // Checked before anything is sent: 'i' stops at 2 GiB (json-header does not).
    let header = pack_i(i64::try_from(size).unwrap_or(i64::MAX))?;
    let kind = TypeFrame {
        msg_type: "file".into(),
        file_name: Some(file_name(path)?),
    };
    send_framed(stream, &dumps(&kind))?;
    stream.write_all(&header)?; // Python: conn.sendall(struct.pack('i', file_size))
    send_file(stream, &mut std::fs::File::open(path)?, size) // Python: conn.sendall(chunk)
}

/// A message, a file, a line in the wrong format, then Q.
pub fn demo() -> io::Result<()> {
    let scratch = ScratchDir::new("struct_header_fix-demo")?;
    let folder = scratch.sub("files")?;
    let path = scratch.sub("client")?.join("notes.txt");
    std::fs::write(&path, sample_text(200))?;
    let file = format!("file|{}", path.display());
    let lines = ["msg|你好呀", &file, "hello", "Q"].map(str::to_owned);
    runner::pair(
        move |l| server(l, &folder),
        |addr| client(addr, lines, true),
    )?;
    narrate("every piece had its own length, so the server took apart frames that came together");
    narrate("a type frame told the server what came next: a message to print, or a file to save");
    Ok(())
}
