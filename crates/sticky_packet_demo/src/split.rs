//! `split` (拆包): one message can come out of several reads, and a read
//! of a fixed size can end inside a message, or inside a character
//! (documents 000 and 004, 拆包机制). Three exchanges, each on its own
//! connection: 4000 bytes read with `recv(1024)`; document 004's two files
//! of 1500 bytes read 1000 at a time; `lbw正在吃翔` read 4 bytes at a time.
//! Each receiver waits until everything is in its buffer, so only the read
//! size decides where the reads are cut, the same on every run.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::str::Utf8Error;

use classroom::tcp::RECV_SIZE;
use classroom::{Traced, narrate};

use crate::wait::wait_until_buffered;

/// The size of the one big message of part 1.
pub const BIG: usize = 4000;

/// Document 004's example: two files of 1500 bytes, read 1000 at a time.
pub const FILE_SIZE: usize = 1500;
/// The fixed read size of document 004's receiver.
pub const FIXED_READ: usize = 1000;

/// The read size of part 3: small enough to cut characters.
pub const TINY_READ: usize = 4;

/// Part 3's message: document 002's two messages as one.
pub const TEXT: &str = "lbw正在吃翔";

// ANCHOR: recv_in_pieces_of
/// The receiver's half, as document 004 draws it: read `size` bytes at a
/// time until `total` bytes came, whatever they belong to. `each` looks at
/// every read as it comes.
pub fn recv_in_pieces_of(
    size: usize,
    conn: &mut Traced<TcpStream>,
    total: usize,
    mut each: impl FnMut(&Traced<TcpStream>, &[u8]),
) -> io::Result<Vec<Vec<u8>>> {
    let mut buf = vec![0u8; size];
    let (mut reads, mut got) = (Vec::new(), 0);
    while got < total {
        // BUG: a read of a fixed size knows nothing of where a message
        // ends: it may stop inside one, or run on into the next.
        let n = conn.read(&mut buf)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        each(conn, &buf[..n]);
        reads.push(buf[..n].to_vec());
        got += n;
    }
    Ok(reads)
}
// ANCHOR_END: recv_in_pieces_of

/// Connect, send each message with its own write, close, and let the
/// receiver wait until all of it is in its buffer. Returns the receiver's
/// end and how many bytes wait there.
fn send_then_wait(messages: &[&[u8]]) -> io::Result<(Traced<TcpStream>, usize)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut stream = Traced::client(TcpStream::connect(listener.local_addr()?)?);
    let conn = Traced::server(listener.accept()?.0);
    for message in messages {
        stream.write_all(message)?;
    }
    drop(stream);
    let total = messages.iter().map(|m| m.len()).sum();
    let waiting = wait_until_buffered(&conn, total)?;
    conn.say(format!("{waiting} bytes are waiting in the receive buffer"));
    Ok((conn, total))
}

/// Part 1: one big send, several reads.
pub fn one_message_many_reads() -> io::Result<Vec<usize>> {
    let message: Vec<u8> = b"0123456789".iter().copied().cycle().take(BIG).collect();
    let (mut conn, total) = send_then_wait(&[&message])?;
    let reads = recv_in_pieces_of(RECV_SIZE, &mut conn, total, |_, _| ())?;
    Ok(reads.iter().map(Vec::len).collect())
}

/// How many bytes of `read` belong to file 1 (all `1`s) and to file 2 (all
/// `2`s).
pub fn composition(read: &[u8]) -> (usize, usize) {
    let ones = read.iter().filter(|&&b| b == b'1').count();
    (ones, read.len() - ones)
}

/// Part 2: document 004's two files and a reader that reads 1000 at a time.
pub fn two_files_fixed_reads() -> io::Result<Vec<(usize, usize)>> {
    let (file1, file2) = (vec![b'1'; FILE_SIZE], vec![b'2'; FILE_SIZE]);
    let (mut conn, total) = send_then_wait(&[&file1, &file2])?;
    let reads = recv_in_pieces_of(FIXED_READ, &mut conn, total, |conn, read| {
        let parts = match composition(read) {
            (one, 0) => format!("{one} bytes of file 1"),
            (0, two) => format!("{two} bytes of file 2"),
            (one, two) => format!("{one} bytes of file 1 + {two} bytes of file 2"),
        };
        conn.say(format!("  = {parts}"));
    })?;
    Ok(reads.iter().map(|read| composition(read)).collect())
}

// ANCHOR: decode_naive
/// Decode one read on its own, as calling `.decode('utf-8')` on every
/// `recv` does.
pub fn decode_naive(read: &[u8]) -> Result<&str, Utf8Error> {
    // BUG: a read can end inside a character; the first bytes of a
    // character are not text on their own.
    std::str::from_utf8(read)
}
// ANCHOR_END: decode_naive

// ANCHOR: utf8_carry
/// Decodes a stream of reads, keeping the first bytes of a character cut
/// off at the end of one read until the rest comes with the next.
#[derive(Debug, Default)]
pub struct Utf8Carry {
    pending: Vec<u8>,
}

impl Utf8Carry {
    /// Add one read; return the text it completes.
    pub fn push(&mut self, read: &[u8]) -> Result<String, Utf8Error> {
        self.pending.extend_from_slice(read);
        let complete = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // FIX: a character cut off at the very end (`error_len()` is
            // None) is not an error yet: keep its bytes for the next read.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => {
                self.pending.clear();
                return Err(e); // bytes that are not UTF-8 at all
            }
        };
        let rest = self.pending.split_off(complete);
        let text = std::mem::replace(&mut self.pending, rest);
        Ok(String::from_utf8(text).expect("checked by from_utf8 above"))
    }

    /// How many bytes wait for the rest of their character.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}
// ANCHOR_END: utf8_carry

/// Part 3: reads that cut characters, decoded on their own and with a carry.
pub fn cut_characters() -> io::Result<String> {
    let (mut conn, total) = send_then_wait(&[TEXT.as_bytes()])?;
    let mut carry = Utf8Carry::default();
    let mut joined = String::new();
    let mut bad = None;
    recv_in_pieces_of(TINY_READ, &mut conn, total, |conn, read| {
        match decode_naive(read) {
            Ok(text) => conn.say(format!("  decoded on its own: {text:?}")),
            Err(e) => conn.say(format!("  decoded on its own: error: {e}")),
        }
        match carry.push(read) {
            Ok(text) => {
                let kept = carry.pending();
                let unit = if kept == 1 { "byte" } else { "bytes" };
                conn.say(format!(
                    "  decoded with a carry: {text:?} ({kept} {unit} kept for the next read)"
                ));
                joined.push_str(&text);
            }
            Err(e) => bad = Some(e),
        }
    })?;
    match bad {
        Some(e) => Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        None => Ok(joined),
    }
}

/// The three parts, narrated.
pub fn demo() -> io::Result<()> {
    narrate(format!(
        "1) one send of {BIG} bytes, read with recv({RECV_SIZE})"
    ));
    let reads = one_message_many_reads()?;
    narrate(format!(
        "1 send of {BIG} bytes came out of {} recvs: recv({RECV_SIZE}) takes at most {RECV_SIZE} bytes at a time",
        reads.len()
    ));
    narrate(
        "on a real network the sender also cuts it into segments of one MSS (1460 bytes under a 1500 MTU)",
    );
    narrate(format!(
        "2) document 004's two files of {FILE_SIZE} bytes, read {FIXED_READ} bytes at a time"
    ));
    let parts = two_files_fixed_reads()?;
    let mixed = parts
        .iter()
        .filter(|(one, two)| *one > 0 && *two > 0)
        .count();
    narrate(format!(
        "{mixed} of {} reads held the end of file 1 and the start of file 2: a fixed-size read mixes them",
        parts.len()
    ));
    narrate(format!(
        "3) {TEXT:?} read {TINY_READ} bytes at a time, decoded after every read"
    ));
    let joined = cut_characters()?;
    narrate(format!(
        "decoding each {TINY_READ}-byte read alone fails; carrying cut bytes to the next read gives {joined:?}"
    ));
    narrate("lesson 05 sends each message's length first, so the receiver knows where to cut");
    Ok(())
}
