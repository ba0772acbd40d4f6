//! `pack` and `pack-broken`: what Python's `struct.pack('i', n)` puts on the
//! wire (document 002 §如何解决粘包, document 004 §二、解决粘包).
//!
//! `'i'` is a C `int`: 4 bytes, signed, in the machine's own byte order
//! (Python's "native" order when the format has no `<`, `>` or `!` prefix).
//! Every laptop in a classroom (x86-64, ARM) is little endian, so the
//! documents' programs put the *lowest* byte first: 199 is `c7 00 00 00`.
//!
//! We write [`LittleEndian`] explicitly rather than "whatever this machine
//! uses": a wire format must not change with the computer that compiled the
//! program. For a protocol of your own, network order (big endian,
//! [`NetworkEndian`], `struct.pack('!i', n)`) is the convention; the only
//! thing that matters is that both ends agree, and `demo pack-broken` shows
//! what happens when they do not.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;

use byteorder::{ByteOrder, LittleEndian, NetworkEndian};
use classroom::{Side, narrate, run_roles};

use crate::frame::{self, MESSAGE_CAP};

/// The smallest number `struct.pack('i', n)` accepts.
pub const I_MIN: i64 = i32::MIN as i64;
/// The largest number `struct.pack('i', n)` accepts.
pub const I_MAX: i64 = i32::MAX as i64;

/// A number that does not fit in `'i'`: Python raises `struct.error` here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange(pub i64);

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} does not fit in struct 'i' (4 signed bytes: {I_MIN}..={I_MAX})",
            self.0
        )
    }
}

impl std::error::Error for OutOfRange {}

impl From<OutOfRange> for io::Error {
    fn from(e: OutOfRange) -> Self {
        io::Error::new(io::ErrorKind::InvalidInput, e)
    }
}

// ANCHOR: pack_i
/// `struct.pack('i', n)`: 4 bytes, signed, little endian (lowest byte first).
pub fn pack_i(n: i64) -> Result<[u8; 4], OutOfRange> {
    // FIX: a checked conversion. `n as i32` would silently keep the low 32
    // bits, so 2147483648 would go out as -2147483648.
    let n = i32::try_from(n).map_err(|_| OutOfRange(n))?;
    let mut bytes = [0; 4];
    LittleEndian::write_i32(&mut bytes, n);
    Ok(bytes)
}

/// `struct.unpack('i', bytes)[0]`: every 4 bytes are some `i32`.
pub fn unpack_i(bytes: [u8; 4]) -> i32 {
    LittleEndian::read_i32(&bytes)
}
// ANCHOR_END: pack_i

/// `struct.pack('!i', n)`: network byte order (big endian), the convention
/// for protocols designed today.
pub fn pack_network(n: i32) -> [u8; 4] {
    let mut bytes = [0; 4];
    NetworkEndian::write_i32(&mut bytes, n);
    bytes
}

/// The `pack` step: no sockets, just numbers and their bytes.
pub fn demo() -> io::Result<()> {
    let hex = classroom::bytes::hex;
    for n in [199, 2_140_000_000] {
        println!("struct.pack('i', {n}) = {}", hex(&pack_i(n)?));
    }
    // Document 002 prints each byte with bin(): the same bits, lowest byte first.
    for byte in pack_i(199)? {
        println!("  byte {byte:02x} = {byte:>3} = {byte:#010b}");
    }
    let v1 = pack_i(199)?;
    println!("struct.unpack('i', {}) = {}", hex(&v1), unpack_i(v1));
    for n in [-1, I_MAX, I_MIN] {
        println!("struct.pack('i', {n}) = {}", hex(&pack_i(n)?));
    }
    for n in [I_MAX + 1, I_MIN - 1] {
        match pack_i(n) {
            Ok(bytes) => println!("struct.pack('i', {n}) = {}", hex(&bytes)),
            Err(e) => println!("struct.pack('i', {n}) -> error: {e}"),
        }
    }
    println!("struct.pack('!i', 199) = {}", hex(&pack_network(199)));
    narrate(
        "'i' is always 4 bytes, whatever the number, so a receiver can read exactly 4 and know how much follows",
    );
    narrate(
        "past 2147483647 Python raises struct.error; Rust's i32::try_from refuses it too instead of wrapping around",
    );
    narrate(
        "little endian puts the lowest byte first (c7 00 00 00); network order puts it last (00 00 00 c7)",
    );
    Ok(())
}

// ANCHOR: pack_broken
/// The sender's mistake: the length in network order (`struct.pack('!i')`)
/// while the receiver reads `struct.unpack('i')`.
pub fn send_big_endian(stream: &mut TcpStream, data: &[u8], out: &mut Side) -> io::Result<()> {
    let len = i32::try_from(data.len()).map_err(|_| OutOfRange(data.len() as i64))?;
    let header = pack_network(len); // BUG: the receiver expects little endian
    out.sent(&header);
    stream.write_all(&header)?;
    out.sent(data);
    stream.write_all(data)
}
// ANCHOR_END: pack_broken

/// The `pack-broken` step: two messages whose lengths are sent big endian
/// and read little endian. The receiver's cap turns an absurd length into a
/// clear error instead of a gigabyte allocation.
pub fn demo_broken() -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}"));
    let messages: [Vec<u8>; 2] = [b"hello".to_vec(), vec![b'x'; 200]];
    let (sent_tx, sent) = mpsc::channel::<()>();
    let (done_tx, done) = mpsc::channel::<()>();
    run_roles(
        move || {
            for _ in 0..2 {
                let (mut conn, _) = listener.accept()?;
                // Read only once the client has printed its sends, so the
                // two lanes print in the same order every run.
                let _ = sent.recv();
                let mut header = [0u8; 4];
                conn.read_exact(&mut header)?;
                server.received(&header);
                let n = unpack_i(header);
                server.say(format!("struct.unpack('i') reads {n}"));
                if n < 0 {
                    server.say(format!(
                        "as an unsigned number that would be {} bytes",
                        u32::from_le_bytes(header)
                    ));
                }
                match frame::unpack_len(header, MESSAGE_CAP) {
                    Ok(len) => server.say(format!("would read {len} bytes")),
                    Err(e) => server.say(format!("error: {e}; closing this connection")),
                }
                let _ = done_tx.send(());
            }
            Ok(())
        },
        || {
            let mut client = Side::client();
            for data in &messages {
                let mut stream = TcpStream::connect(addr)?;
                send_big_endian(&mut stream, data, &mut client)?;
                let _ = sent_tx.send(());
                let _ = done.recv();
            }
            Ok(())
        },
    )?;
    narrate(
        "5 went out as 00 00 00 05 and was read as 83886080: the cap stops it before a single byte is allocated",
    );
    narrate(
        "200 went out as 00 00 00 c8 and was read as a negative number: Python's recv() would raise ValueError",
    );
    narrate("both ends must agree on the byte order; `demo length` does it the documents' way");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_examples() {
        assert_eq!(pack_i(199).unwrap(), [0xc7, 0x00, 0x00, 0x00]);
        assert_eq!(pack_i(2_140_000_000).unwrap(), [0x00, 0xcf, 0x8d, 0x7f]);
        assert_eq!(unpack_i([0xc7, 0, 0, 0]), 199);
    }

    #[test]
    fn the_range_is_that_of_an_i32() {
        assert_eq!(pack_i(I_MAX).unwrap(), [0xff, 0xff, 0xff, 0x7f]);
        assert_eq!(pack_i(I_MIN).unwrap(), [0x00, 0x00, 0x00, 0x80]);
        assert_eq!(pack_i(I_MAX + 1), Err(OutOfRange(2_147_483_648)));
        assert_eq!(pack_i(I_MIN - 1), Err(OutOfRange(-2_147_483_649)));
    }

    #[test]
    fn network_order_is_the_reverse() {
        assert_eq!(pack_network(199), [0, 0, 0, 0xc7]);
        // Read with the wrong order: the absurd lengths the lesson shows.
        assert_eq!(unpack_i(pack_network(5)), 83_886_080);
        assert_eq!(unpack_i(pack_network(200)), -939_524_096);
    }
}
