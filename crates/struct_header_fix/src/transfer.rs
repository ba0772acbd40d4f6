//! Moving a file's bytes, and the short JSON replies around them.
//!
//! Both directions stream: a fixed buffer of [`CHUNK`] bytes is filled and
//! emptied until the announced size has gone through, hashing on the way.
//! Nothing ever holds a whole file in memory.

use std::fs::File;
use std::io::{self, ErrorKind, Read, Write};
use std::path::Path;
use std::time::Duration;

use classroom::Side;
use md5::{Digest, Md5};
use serde::Serialize;
use serde_json::{Value, json};

use crate::conn::Conn;
use crate::decoder::FrameReader;
use crate::files::{CHUNK, Folder, PartFile, hex};
use crate::frame::{MESSAGE_CAP, send_frame};
use crate::header::{invalid, json as parse_json};
use crate::progress;
use crate::py_json::dumps;

// ANCHOR: receive_file
/// Receive `len` bytes into `folder/name`: streamed into a temporary file,
/// checked (size, and md5 when the sender gave one), then renamed.
/// Returns the md5 of what arrived.
pub fn receive_file<R: Read>(
    reader: &mut FrameReader<R>,
    len: u64,
    folder: &Folder,
    name: &str,
    md5: Option<&str>,
) -> io::Result<String> {
    let mut hasher = Md5::new();
    let part = receive_part(reader, len, folder, name, |piece| hasher.update(piece))?;
    let got = hex(&hasher.finalize());
    if let Some(want) = md5
        && !want.eq_ignore_ascii_case(&got)
    {
        // Returning drops `part`, which deletes the temporary file.
        return Err(invalid(format!(
            "md5 mismatch: the header says {want}, the data hashes to {got}"
        )));
    }
    part.commit()?;
    Ok(got)
}

/// Stream `len` bytes into a temporary file for `folder/name`, showing
/// each piece to `each` on the way. The file gets its real name only when
/// the caller commits it.
fn receive_part<R: Read>(
    reader: &mut FrameReader<R>,
    len: u64,
    folder: &Folder,
    name: &str,
    mut each: impl FnMut(&[u8]),
) -> io::Result<PartFile> {
    let mut part = PartFile::create(folder.path(), name)?;
    let bar = progress::bar(len, 0);
    reader.copy_data(len, &mut part, |piece| {
        each(piece);
        bar.inc(piece.len() as u64);
    })?; // EOF before `len` bytes: an error, and `part` deletes itself
    bar.finish_and_clear();
    Ok(part)
}
// ANCHOR_END: receive_file

/// [`receive_file`] for protocols that send no checksum (documents 002's
/// `case` and 004's `ack`): only the size is checked, and nothing is hashed.
pub fn receive_unhashed<R: Read>(
    reader: &mut FrameReader<R>,
    len: u64,
    folder: &Folder,
    name: &str,
) -> io::Result<()> {
    receive_part(reader, len, folder, name, |_| {})?.commit()
}

/// Send `len` bytes of the file at `path` (from `offset`), in chunks, with
/// a progress bar for big files. Small files are shown as one send.
pub fn send_file(
    stream: &mut impl Write,
    path: &Path,
    offset: u64,
    len: u64,
    out: &mut Side,
) -> io::Result<()> {
    let mut file = File::open(path)?;
    io::Seek::seek(&mut file, io::SeekFrom::Start(offset))?;
    let mut left = len - offset;
    if left <= CHUNK as u64 {
        let mut data = vec![0u8; left as usize];
        file.read_exact(&mut data).map_err(|e| shrunk(e, path))?;
        out.sent(&data);
        return stream.write_all(&data);
    }
    let bar = progress::bar(len, offset);
    let mut buf = vec![0u8; CHUNK];
    while left > 0 {
        let want = left.min(CHUNK as u64) as usize;
        file.read_exact(&mut buf[..want])
            .map_err(|e| shrunk(e, path))?;
        stream.write_all(&buf[..want])?;
        bar.inc(want as u64);
        left -= want as u64;
    }
    bar.finish_and_clear();
    out.say(format!(
        "sent {} bytes of file data, {} at a time",
        len - offset,
        CHUNK
    ));
    Ok(())
}

fn shrunk(e: io::Error, path: &Path) -> io::Error {
    if e.kind() == ErrorKind::UnexpectedEof {
        io::Error::new(
            ErrorKind::UnexpectedEof,
            format!("{} got shorter while it was being sent", path.display()),
        )
    } else {
        e
    }
}

/// Send a JSON value as one frame (document 000's `mysend`).
pub fn send_json(
    stream: &mut impl Write,
    value: &impl Serialize,
    out: &mut Side,
) -> io::Result<()> {
    send_frame(stream, &dumps(value), out)
}

// ANCHOR: refuse
/// Tell a client what was wrong with what it sent, as a `{"error": …}`
/// frame, and return the error for the server's log.
///
/// The server then stops reading this connection. Closing a socket that
/// still has unread bytes makes the kernel send a reset, which can destroy
/// the reply before the client reads it; so we half-close, and read (and
/// drop) a bounded amount of whatever the client was still sending.
pub fn refuse(conn: &mut impl Conn, error: io::Error, out: &mut Side) -> io::Result<()> {
    let error = classroom::tcp::name_timeout(error);
    if gone(&error) {
        return Err(error); // nobody left to tell
    }
    let reply = json!({ "error": error.to_string() });
    if send_json(conn, &reply, out).is_ok() && conn.finish_sending().is_ok() {
        let _ = conn.tcp().set_read_timeout(Some(Duration::from_secs(2)));
        let _ = io::copy(&mut Read::take(&mut *conn, 1024 * 1024), &mut io::sink());
    }
    Err(error)
}
// ANCHOR_END: refuse

/// Errors that mean the client has gone (a reset, a broken pipe).
pub fn gone(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe
    )
}

/// The client is done: half-close, then wait for the server to close too.
/// The `length` and `case` servers answer only to say what was wrong, so
/// their `{"error": …}` becomes an `Err` here, and any other reply is one
/// we did not expect.
pub fn finish_and_wait_for_close(stream: &mut impl Conn, out: &mut Side) -> io::Result<()> {
    stream.finish_sending()?;
    let mut reader = FrameReader::new(stream);
    match recv_reply(&mut reader, out)? {
        None => Ok(()),
        Some(reply) => Err(io::Error::other(format!("unexpected reply {reply}"))),
    }
}

/// Read one JSON reply frame (document 000's `myrecv`). `Ok(None)` if the
/// server closed without replying, as document 004's servers do; an
/// `{"error": …}` reply becomes an `Err` with the server's words.
pub fn recv_reply<R: Read>(
    reader: &mut FrameReader<R>,
    out: &mut Side,
) -> io::Result<Option<Value>> {
    let Some(raw) = reader.read_frame(MESSAGE_CAP)? else {
        out.eof();
        return Ok(None);
    };
    out.received(&raw);
    let value = parse_json(&raw, "reply")?;
    if let Some(error) = value.get("error") {
        let text = error
            .as_str()
            .map_or_else(|| error.to_string(), str::to_owned);
        return Err(io::Error::other(format!("the server refused: {text}")));
    }
    Ok(Some(value))
}
