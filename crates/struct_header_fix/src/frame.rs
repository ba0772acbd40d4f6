//! Length-prefixed frames, the way document 002 builds them: a 4-byte
//! `struct.pack('i', len)` header, then `len` bytes of data.
//!
//! ```text
//! +-------------+----------------------+
//! | 0c 00 00 00 | lbw正在吃 (12 bytes)  |
//! +-------------+----------------------+
//!   length (i32,   data
//!   little endian)
//! ```
//!
//! The receiver reads exactly 4 bytes, learns the length, and reads exactly
//! that many more. "Exactly" is the whole trick: one `read` returns whatever
//! has arrived, which may be less (拆包, split) or run into the next message
//! (粘包, sticky), so both reads loop until they have the count
//! ([`recv_exact`], the document's `while has_read_size < 4` loop).
//!
//! A length comes from the network, so it is checked before it is used:
//! negative, or above a cap, is an error, never an allocation.

use std::fmt;
use std::io::{self, ErrorKind, Read, Write};

use classroom::Side;

use crate::pack::{OutOfRange, pack_i, unpack_i};

/// The largest message a server accepts: 64 MiB. Files are not messages:
/// they are streamed to disk and limited only by the disk.
pub const MESSAGE_CAP: u64 = 64 * 1024 * 1024;

/// The largest JSON header a server accepts: 64 KiB is far more than a file
/// name, a size and an md5 need.
pub const HEADER_CAP: u64 = 64 * 1024;

/// What can go wrong while reading a frame. Each case is its own error so a
/// server can say exactly what the client did.
#[derive(Debug)]
pub enum FrameError {
    /// The 4-byte header held a negative number.
    Negative(i32),
    /// The header asked for more than the receiver accepts.
    TooLong {
        /// The length the peer sent.
        len: u64,
        /// The receiver's cap.
        cap: u64,
    },
    /// The peer closed inside the 4-byte header.
    EofInHeader {
        /// Header bytes that did arrive (1 to 3).
        got: usize,
    },
    /// The peer closed inside the data.
    EofInBody {
        /// Data bytes that did arrive.
        got: u64,
        /// The length the header announced.
        want: u64,
    },
    /// The socket itself failed (reset, timeout, …).
    Io(io::Error),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Negative(n) => write!(f, "negative length {n} in the 4-byte header"),
            FrameError::TooLong { len, cap } => {
                write!(f, "length {len} exceeds the cap of {cap} bytes")
            }
            FrameError::EofInHeader { got } => write!(
                f,
                "the peer closed the connection after {got} of the 4 header bytes"
            ),
            FrameError::EofInBody { got, want } => write!(
                f,
                "the peer closed the connection after {got} of {want} data bytes"
            ),
            FrameError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for FrameError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FrameError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        FrameError::Io(e)
    }
}

impl From<FrameError> for io::Error {
    fn from(e: FrameError) -> Self {
        match e {
            FrameError::Io(inner) => inner,
            bad @ (FrameError::Negative(_) | FrameError::TooLong { .. }) => {
                io::Error::new(ErrorKind::InvalidData, bad)
            }
            cut @ (FrameError::EofInHeader { .. } | FrameError::EofInBody { .. }) => {
                io::Error::new(ErrorKind::UnexpectedEof, cut)
            }
        }
    }
}

/// The header for `len` bytes of data. A length past `i32::MAX` cannot be
/// sent this way (Python would raise `struct.error`).
pub fn pack_len(len: u64) -> Result<[u8; 4], OutOfRange> {
    // Past i64::MAX it is all the more out of range for 'i'.
    pack_i(i64::try_from(len).unwrap_or(i64::MAX))
}

// ANCHOR: unpack_len
/// Turn a received header into a length the receiver is willing to read.
pub fn unpack_len(header: [u8; 4], cap: u64) -> Result<u64, FrameError> {
    let n = unpack_i(header);
    // 'i' is signed: a peer (or a byte-order mix-up) can send -939524096.
    let len = u64::try_from(n).map_err(|_| FrameError::Negative(n))?;
    // FIX: check the cap *before* anything is allocated for the data.
    if len > cap {
        return Err(FrameError::TooLong { len, cap });
    }
    Ok(len)
}
// ANCHOR_END: unpack_len

// ANCHOR: recv_exact
/// Read until `buf` is full, looping over short reads: the document's
/// `while has_read_size < 4: chunk = conn.recv(4 - has_read_size)`.
///
/// Returns `buf.len()`, or fewer if the peer closed first (0 means it
/// closed before sending anything).
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

// ANCHOR: recv_frame
/// Read one frame: header, check, data, printing each read. `None` at a
/// clean end of stream (the peer closed between two frames).
pub fn recv_frame(
    reader: &mut impl Read,
    cap: u64,
    out: &mut Side,
) -> Result<Option<Vec<u8>>, FrameError> {
    let mut header = [0u8; 4];
    let got = recv_exact(reader, &mut header)?;
    if got == 0 {
        out.eof();
        return Ok(None);
    }
    out.received(&header[..got]);
    if got < 4 {
        return Err(FrameError::EofInHeader { got });
    }
    let len = unpack_len(header, cap)?;
    let mut data = vec![0; len as usize]; // safe: len <= cap
    let got = recv_exact(reader, &mut data)?;
    out.received(&data[..got]);
    if got < data.len() {
        return Err(FrameError::EofInBody {
            got: got as u64,
            want: len,
        });
    }
    Ok(Some(data))
}
// ANCHOR_END: recv_frame

/// A frame as bytes: header then data.
pub fn encode_frame(data: &[u8]) -> io::Result<Vec<u8>> {
    let header = pack_len(data.len() as u64)?;
    let mut frame = Vec::with_capacity(4 + data.len());
    frame.extend_from_slice(&header);
    frame.extend_from_slice(data);
    Ok(frame)
}

// ANCHOR: send_frame
/// Send one frame the way document 002's client does: the header, then the
/// data, each printed as its own send.
pub fn send_frame(stream: &mut impl Write, data: &[u8], out: &mut Side) -> io::Result<()> {
    let header = pack_len(data.len() as u64)?;
    out.sent(&header);
    stream.write_all(&header)?;
    out.sent(data);
    stream.write_all(data)
}
// ANCHOR_END: send_frame

/// Send a frame without printing it (replies, bulk sends).
pub fn write_frame(stream: &mut impl Write, data: &[u8]) -> io::Result<()> {
    stream.write_all(&encode_frame(data)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn two_frames_come_apart_whatever_the_read_size() {
        let mut wire = encode_frame("lbw正在吃".as_bytes()).unwrap();
        wire.extend(encode_frame("翔".as_bytes()).unwrap());
        for step in [1, 3, 5, 1024] {
            let mut r = Trickle { data: &wire, step };
            assert_eq!(
                recv_frame(&mut r, MESSAGE_CAP, &mut Side::server())
                    .unwrap()
                    .unwrap(),
                "lbw正在吃".as_bytes()
            );
            assert_eq!(
                recv_frame(&mut r, MESSAGE_CAP, &mut Side::server())
                    .unwrap()
                    .unwrap(),
                "翔".as_bytes()
            );
            assert!(
                recv_frame(&mut r, MESSAGE_CAP, &mut Side::server())
                    .unwrap()
                    .is_none()
            );
        }
    }

    #[test]
    fn bad_lengths_are_refused_before_allocating() {
        let negative = (-5i32).to_le_bytes();
        assert!(matches!(
            unpack_len(negative, MESSAGE_CAP),
            Err(FrameError::Negative(-5))
        ));
        let huge = i32::MAX.to_le_bytes();
        let mut r = Trickle {
            data: &huge,
            step: 4,
        };
        let err = recv_frame(&mut r, MESSAGE_CAP, &mut Side::server()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "length 2147483647 exceeds the cap of 67108864 bytes"
        );
    }

    #[test]
    fn eof_inside_a_frame_says_where() {
        let wire = encode_frame(b"hello").unwrap();
        let mut r = Trickle {
            data: &wire[..2],
            step: 8,
        };
        assert!(matches!(
            recv_frame(&mut r, MESSAGE_CAP, &mut Side::server()),
            Err(FrameError::EofInHeader { got: 2 })
        ));
        let mut r = Trickle {
            data: &wire[..7],
            step: 8,
        };
        let err = recv_frame(&mut r, MESSAGE_CAP, &mut Side::server()).unwrap_err();
        assert!(matches!(err, FrameError::EofInBody { got: 3, want: 5 }));
        assert_eq!(io::Error::from(err).kind(), ErrorKind::UnexpectedEof);
    }

    #[test]
    fn an_empty_message_is_a_frame_too() {
        // Raw TCP cannot send an empty message; a frame can: 00 00 00 00.
        let wire = encode_frame(b"").unwrap();
        assert_eq!(wire, [0, 0, 0, 0]);
        let mut r = Trickle {
            data: &wire,
            step: 1,
        };
        assert_eq!(
            recv_frame(&mut r, MESSAGE_CAP, &mut Side::server())
                .unwrap()
                .unwrap(),
            b""
        );
    }
}
