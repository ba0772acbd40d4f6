//! `case`: document 002's worked example, messages and file uploads over one
//! connection (§案例:消息 & 文件上传, port 8001; the server saves into
//! `files/`).
//!
//! The client reads lines: `msg|TEXT` sends a message, `file|PATH` uploads a
//! file, `Q` ends. On the wire every piece is a frame, a 4-byte
//! `struct.pack('i', len)` then the bytes:
//!
//! ```text
//! msg|你好呀     [len]{"msg_type": "msg"}                    [len]你好呀
//! file|a.png    [len]{"msg_type": "file", "file_name": "a.png"}  [size]…size bytes…
//! Q             [len]close
//! ```
//!
//! The first frame of each pair says what the second one is (the type
//! frame); `close` is plain text, not JSON. A file's size travels in the
//! same 4-byte `'i'` header as any frame, so this protocol cannot carry a
//! file of 2 GiB or more (`struct.pack` would raise); `json-header` puts the
//! size in JSON instead. The server never answers, except here to say what
//! was wrong before it closes the connection.

use std::io;
use std::net::SocketAddr;
use std::path::Path;

use classroom::{Side, narrate};
use serde::{Deserialize, Serialize};

use crate::ack::file_name;
use crate::conn::Conn;
use crate::conn::Turns;
use crate::decoder::FrameReader;
use crate::files::{Folder, checked_name};
use crate::frame::{HEADER_CAP, MESSAGE_CAP, pack_len, send_frame};
use crate::header::{fields, invalid, json};
use crate::pack::I_MAX;
use crate::py_json::dumps;
use classroom::tcp::demo_pair;

use crate::serve::DemoDir;
use crate::transfer::{finish_and_wait_for_close, receive_unhashed, refuse, send_file};

/// The document's port for this step.
pub const PORT: u16 = 8001;

/// The frame that ends a session: the text `close`, not JSON.
pub const CLOSE: &[u8] = b"close";

/// What the client says when a line is neither `msg|…`, `file|…` nor `Q`.
pub const FORMAT_HELP: &str = "format error: type msg|TEXT, file|PATH or Q";

/// The type frame: `{"msg_type": "msg"}` or
/// `{"msg_type": "file", "file_name": "a.png"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeFrame {
    /// `"msg"` or `"file"`.
    pub msg_type: String,
    /// For a file: its plain name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

// ANCHOR: serve
/// The server's half: a type frame, then what it announces, until `close`.
pub fn serve(conn: &mut impl Conn, out: &mut Side, folder: &Folder) -> io::Result<()> {
    let mut reader = FrameReader::new(conn);
    loop {
        match next(&mut reader, out, folder) {
            Ok(true) => continue,
            Ok(false) => return Ok(()),
            Err(e) => return refuse(reader.get_mut(), e, out),
        }
    }
}

/// Receive one message or one file; `false` once the client is done.
fn next<C: Conn>(reader: &mut FrameReader<C>, out: &mut Side, folder: &Folder) -> io::Result<bool> {
    let Some(raw) = reader.read_frame(HEADER_CAP)? else {
        out.say("the client closed without sending close");
        return Ok(false);
    };
    out.received(&raw);
    if raw == CLOSE {
        out.say("close: the client is done");
        return Ok(false);
    }
    let kind: TypeFrame = fields(json(&raw, "type frame")?, "type frame")?;
    match (kind.msg_type.as_str(), kind.file_name) {
        ("msg", _) => {
            let text = reader.read_frame(MESSAGE_CAP)?.ok_or_else(missing)?;
            out.received(&text);
        }
        ("file", Some(name)) => {
            let name = checked_name(&name)?;
            // The size is a frame header too: any non-negative 'i'.
            let size = reader.read_len(I_MAX as u64)?.ok_or_else(missing)?;
            out.say(format!("{size} bytes of file data follow"));
            receive_unhashed(reader, size, folder, name)?;
            out.say(format!("saved {} ({size} bytes)", folder.show(name)));
        }
        ("file", None) => return Err(invalid("a file type frame needs a file_name")),
        (other, _) => return Err(invalid(format!("unknown msg_type {other:?} (msg or file)"))),
    }
    Ok(true)
}
// ANCHOR_END: serve

fn missing() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the peer closed the connection before the frame its type frame announced",
    )
}

// ANCHOR: client
/// The client's half: one line at a time, as the document's input loop.
pub fn client(
    stream: &mut impl Conn,
    out: &mut Side,
    lines: impl Iterator<Item = String>,
) -> io::Result<()> {
    for line in lines {
        if line.eq_ignore_ascii_case("q") {
            break;
        }
        // The document's `content.split('|')` must give exactly two parts.
        match line.split('|').collect::<Vec<_>>()[..] {
            ["msg", text] => {
                send_frame(stream, &dumps(&message_type()), out)?;
                send_frame(stream, text.as_bytes(), out)?;
            }
            ["file", path] => upload(stream, Path::new(path), out)?,
            _ => out.say(FORMAT_HELP),
        }
    }
    send_frame(stream, CLOSE, out)?; // also at the end of input, not only at Q
    finish_and_wait_for_close(stream, out)
}
// ANCHOR_END: client

fn message_type() -> TypeFrame {
    TypeFrame {
        msg_type: "msg".into(),
        file_name: None,
    }
}

/// Send one file: its type frame, its size as a 4-byte header, its bytes.
/// A file that cannot be read, or is too big for `'i'`, is reported and
/// skipped before anything is sent.
fn upload(stream: &mut impl Conn, path: &Path, out: &mut Side) -> io::Result<()> {
    let checked = file_name(path).and_then(|name| {
        let size = std::fs::metadata(path)?.len();
        let header = pack_len(size).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{e}: this protocol's size header cannot carry it (json-header can)"),
            )
        })?;
        Ok((name, size, header))
    });
    let (name, size, header) = match checked {
        Ok(ok) => ok,
        Err(e) => {
            out.say(format!("cannot send {}: {e}", path.display()));
            return Ok(());
        }
    };
    let kind = TypeFrame {
        msg_type: "file".into(),
        file_name: Some(name),
    };
    send_frame(stream, &dumps(&kind), out)?;
    out.sent(&header);
    stream.write_all(&header)?;
    send_file(stream, path, 0, size, out)
}

/// Connect and send lines from `messages` or stdin.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    classroom::tcp::client_session(addr, |mut stream, out| {
        out.say("type msg|TEXT, file|PATH or Q");
        client(&mut stream, out, classroom::cli::input_lines(messages))
    })
}

/// A message, a file, a line in the wrong format, then Q.
pub fn demo() -> io::Result<()> {
    let dir = DemoDir::new()?;
    let folder = dir.folder("files")?;
    let path = dir.client_file("notes.txt", 200)?;
    let lines = vec![
        "msg|你好呀".to_owned(),
        format!("file|{}", path.display()),
        "hello".to_owned(),
        "Q".to_owned(),
    ];
    let server_folder = folder.clone();
    demo_pair(
        move |mut conn: Turns, out| serve(&mut conn, out, &server_folder),
        |mut stream: Turns, out| client(&mut stream, out, lines.into_iter()),
    )?;
    narrate(
        "every piece had its own length, so the server took apart frames that arrived together",
    );
    narrate(
        "the type frame told the server what the next frame was: a message to print, or a file to save",
    );
    Ok(())
}
