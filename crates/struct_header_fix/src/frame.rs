//! What the steps share on the wire: the documents' frame, a 4-byte
//! `struct.pack('i', len)` then `len` bytes (document 002 §如何解决粘包),
//! and the JSON that travels in frames (documents 000 and 004). A length
//! comes from the network, so it is checked before it is used: negative, or
//! above a cap, is an error, never an allocation.

use std::io::{self, BufWriter, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use classroom::Traced;
use classroom::bytes::escape;
use classroom::tcp::name_timeout;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::ser::{Formatter, Serializer};
use serde_json::{Value, json};

/// The largest message a server accepts (files are streamed to disk).
pub const MESSAGE_CAP: u64 = 64 * 1024 * 1024;

/// The largest JSON header a server accepts: a name, a size and an md5 need far less.
pub const HEADER_CAP: u64 = 64 * 1024;

// ANCHOR: pack_i
/// `struct.pack('i', n)`: 4 bytes, signed, little endian (lowest byte
/// first). Outside the range of an `i32` it is an error, as Python's
/// `struct.error`.
pub fn pack_i(n: i64) -> io::Result<[u8; 4]> {
    // FIX: a checked conversion. `n as i32` would silently keep the low 32
    // bits, so 2147483648 would go out as -2147483648.
    let n = i32::try_from(n).map_err(|_| {
        let why = format!("{n} does not fit in struct 'i' (4 signed bytes: {I_RANGE})");
        io::Error::new(ErrorKind::InvalidInput, why)
    })?;
    Ok(n.to_le_bytes()) // le: little endian, whatever this machine is
}

/// `struct.unpack('i', bytes)[0]`: every 4 bytes are some `i32`.
pub fn unpack_i(bytes: [u8; 4]) -> i32 {
    i32::from_le_bytes(bytes)
}
// ANCHOR_END: pack_i

/// What `'i'` holds, as Python's `struct.error` says it.
const I_RANGE: &str = "-2147483648..=2147483647";

// ANCHOR: unpack_len
/// Turn a received header into a length the receiver is willing to read.
pub fn unpack_len(header: [u8; 4], cap: u64) -> io::Result<u64> {
    let n = unpack_i(header);
    // 'i' is signed: a peer (or a byte-order mix-up) can send -939524096.
    let len = u64::try_from(n)
        .map_err(|_| invalid(format!("negative length {n} in the 4-byte header")))?;
    // FIX: check the cap *before* anything is allocated for the data.
    if len > cap {
        return Err(invalid(format!(
            "length {len} exceeds the cap of {cap} bytes"
        )));
    }
    Ok(len)
}
// ANCHOR_END: unpack_len

// ANCHOR: recv_exact
/// Read until `buf` is full, looping over short reads: the document's
/// `while has_read_size < 4: chunk = conn.recv(4 - has_read_size)`. Fewer
/// than `buf.len()` bytes means the peer closed first (0: before any).
pub fn recv_exact(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break, // EOF: the caller decides what a short count means
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
// ANCHOR_END: recv_exact

// ANCHOR: send_framed
/// Send one frame the way document 002's client does: the 4-byte length,
/// then the data, two writes like its two `sendall` calls.
pub fn send_framed(stream: &mut (impl Write + ?Sized), data: &[u8]) -> io::Result<()> {
    let header = pack_i(i64::try_from(data.len()).unwrap_or(i64::MAX))?;
    stream.write_all(&header)?; // Python: client.sendall(header1)
    stream.write_all(data) // Python: client.sendall(data1)
}
// ANCHOR_END: send_framed

// ANCHOR: recv_framed
/// Read one frame: the length, checked against `cap`, then exactly that
/// many bytes. `None` if the peer closed between two frames.
pub fn recv_framed(reader: &mut impl Read, cap: u64) -> io::Result<Option<Vec<u8>>> {
    let Some(len) = recv_len(reader, cap)? else {
        return Ok(None);
    };
    let mut data = vec![0; len as usize]; // safe: len <= cap
    let got = recv_exact(reader, &mut data)?;
    if got < data.len() {
        return Err(cut_short(got as u64, len, "data"));
    }
    Ok(Some(data))
}

/// Read a frame's 4-byte length alone: `None` if the peer closed before it.
pub fn recv_len(reader: &mut impl Read, cap: u64) -> io::Result<Option<u64>> {
    let mut header = [0u8; 4];
    match recv_exact(reader, &mut header)? {
        0 => Ok(None),
        4 => unpack_len(header, cap).map(Some),
        got => Err(cut_short(got as u64, 4, "header")),
    }
}
// ANCHOR_END: recv_framed

/// The error for bytes that ended after `got` of `want`.
pub fn cut_short(got: u64, want: u64, what: &str) -> io::Error {
    let why = format!("the peer closed the connection after {got} of {want} {what} bytes");
    io::Error::new(ErrorKind::UnexpectedEof, why)
}

/// An `InvalidData` error: the peer sent something we do not accept.
pub fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, message.into())
}

/// `json.dumps(value).encode()`, byte for byte (Python's `", "` and `": "`
/// separators, `\uXXXX` for all but printable ASCII), so that our headers
/// have the documents' lengths, and the 4 bytes in front of them too.
///
/// ```
/// let header = serde_json::json!({"file_name": "翔.txt"});
/// let bytes = struct_header_fix::frame::dumps(&header);
/// assert_eq!(bytes, br#"{"file_name": "\u7fd4.txt"}"#);
/// ```
pub fn dumps(value: &(impl Serialize + ?Sized)) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer = Serializer::with_formatter(&mut out, PythonFormatter);
    let written = value.serialize(&mut serializer);
    written.expect("our types serialize into a Vec");
    out
}

/// serde_json's compact formatter with Python's separators and escapes.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"" } else { b", " })
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"" } else { b", " })
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    /// serde_json escapes quotes, backslashes and control characters;
    /// Python's `ensure_ascii` also escapes DEL and everything non-ASCII.
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        for c in s.chars() {
            if (' '..='~').contains(&c) {
                w.write_all(&[c as u8])?;
            } else {
                for unit in c.encode_utf16(&mut [0u16; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// A JSON frame as a `T`: UTF-8, then a JSON object, then the fields `T`
/// needs, each refused with its own clear error (`what` names the frame).
pub fn parse<T: DeserializeOwned>(raw: &[u8], what: &str) -> io::Result<T> {
    let text = std::str::from_utf8(raw)
        .map_err(|e| invalid(format!("the {what} is not UTF-8 text ({e})")))?;
    let json: Value = serde_json::from_str(text)
        .map_err(|e| invalid(format!("the {what} is not valid JSON ({e})")))?;
    if !json.is_object() {
        // serde would fill a struct's fields from an array, in order.
        return Err(invalid(format!("the {what} is JSON, but not an object")));
    }
    serde_json::from_value(json)
        .map_err(|e| invalid(format!("the {what} lacks a field or has a wrong one ({e})")))
}

/// Send `value` as one JSON frame in one write: the length and the JSON are
/// put together first, as document 004 sends `b_len_dic + str_dic`.
pub fn send_json(stream: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut frame = Vec::new();
    send_framed(&mut frame, &dumps(value))?;
    stream.write_all(&frame)
}

/// Read one JSON answer (document 000's `myrecv`). `None` if the server
/// closed without one, as document 004's servers do; an `{"error": …}`
/// answer becomes an error with the server's words, escaped ([`refused`]).
pub fn recv_reply<T: DeserializeOwned>(stream: &mut impl Read) -> io::Result<Option<T>> {
    let Some(raw) = recv_framed(stream, MESSAGE_CAP)? else {
        return Ok(None);
    };
    if let Some(error) = parse::<Value>(&raw, "reply")?.get("error") {
        let text = error.as_str().unwrap_or("(not text)");
        let why = format!("the server refused: {}", escape(text));
        return Err(io::Error::other(why));
    }
    parse(&raw, "reply").map(Some)
}

/// Whether `error` is a server's `{"error": …}` answer to one request
/// (the connection may go on): the only `Other` error [`recv_reply`] makes.
pub fn refused(error: &io::Error) -> bool {
    error.kind() == ErrorKind::Other
}

/// A client's writes, made by `send`: straight to `stream`, or with `hold`
/// into a `BufWriter` that lets them all go together, in one send, once
/// `send` is done. A demo holds them so that they arrive glued on every
/// run, and says so.
pub fn send_held<S: Write>(
    stream: &mut Traced<S>,
    hold: bool,
    send: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if !hold {
        return send(stream);
    }
    stream.say("holding the writes in a BufWriter: they leave in one send");
    let mut held = BufWriter::new(stream);
    send(&mut held)?;
    held.flush()
}

// ANCHOR: refuse
/// Tell a client what was wrong with what it sent, as an `{"error": …}`
/// frame, and return the error for the server's log.
///
/// The server then stops reading this connection. Closing a socket that
/// still has unread bytes makes the kernel send a reset, which can destroy
/// the reply before the client reads it; so we half-close, and read (and
/// drop) what the client still sends until it closes (1 MiB, 2 s at most).
pub fn refuse(conn: &mut Traced<TcpStream>, error: io::Error) -> io::Result<()> {
    let error = name_timeout(error);
    if gone(&error) {
        return Err(error); // nobody left to tell
    }
    let reply = json!({ "error": error.to_string() });
    if send_json(conn, &reply).is_ok() && conn.shutdown(Shutdown::Write).is_ok() {
        let _ = drain(conn);
    }
    Err(error)
}
// ANCHOR_END: refuse

/// Read and drop what a refused client sends, for 2 s at most (within its deadline).
fn drain(conn: &mut Traced<TcpStream>) -> io::Result<u64> {
    conn.at_most(Duration::from_secs(2));
    io::copy(&mut conn.take(1024 * 1024), &mut io::sink())
}

/// Errors that mean the peer has gone (a reset, a broken pipe).
pub fn gone(error: &io::Error) -> bool {
    use ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset};
    matches!(
        error.kind(),
        ConnectionReset | ConnectionAborted | BrokenPipe
    )
}
