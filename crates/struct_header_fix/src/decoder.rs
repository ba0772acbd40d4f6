//! Frames from a buffer: read whatever has arrived, then parse as many whole
//! frames out of it as there are (the design of tokio's mini-redis
//! `Connection::read_frame`).
//!
//! [`recv_frame`](crate::frame::recv_frame) asks the socket for exactly the
//! bytes it needs next. A [`FrameReader`] instead reads big chunks into a
//! buffer and lets a pure *parse step*, [`FrameDecoder::decode`], decide
//! whether a whole frame is there yet. The parse step never touches the
//! socket, so it can be tested on its own with any way of cutting the stream
//! (the property test in `tests/decoder.rs` cuts it down to single bytes).
//!
//! The `json-header` and `case` servers read through a [`FrameReader`]: small
//! frames (types, headers, messages) whole, and a file's data streamed
//! straight to disk with [`FrameReader::copy_data`].

use std::io::{self, ErrorKind, Read, Write};

use crate::files::CHUNK;
use crate::frame::{FrameError, unpack_len};

/// How much one read asks the socket for.
const READ_SIZE: usize = 8 * 1024;

/// The parse step: bytes in, whole frames out.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
}

// ANCHOR: decode
impl FrameDecoder {
    /// Add bytes that arrived.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Take one whole frame out of the buffer if there is one. `Ok(None)`
    /// means "not yet: read more"; the bytes stay in the buffer.
    pub fn decode(&mut self, cap: u64) -> Result<Option<Vec<u8>>, FrameError> {
        let Some(len) = self.peek_len(cap)? else {
            return Ok(None); // fewer than 4 bytes so far
        };
        let end = 4 + len as usize; // len <= cap, checked by peek_len
        if self.buffer.len() < end {
            return Ok(None); // the header is here, the data is not all here
        }
        let data = self.buffer[4..end].to_vec();
        self.buffer.drain(..end);
        Ok(Some(data))
    }

    /// The length in the header at the front of the buffer, checked against
    /// `cap` as soon as its 4 bytes are here (before any data is waited for).
    fn peek_len(&self, cap: u64) -> Result<Option<u64>, FrameError> {
        match self.buffer.first_chunk::<4>() {
            Some(header) => unpack_len(*header, cap).map(Some),
            None => Ok(None),
        }
    }
}
// ANCHOR_END: decode

impl FrameDecoder {
    /// Take only a header off the front, for data that will be streamed.
    pub fn decode_len(&mut self, cap: u64) -> Result<Option<u64>, FrameError> {
        let len = self.peek_len(cap)?;
        if len.is_some() {
            self.buffer.drain(..4);
        }
        Ok(len)
    }

    /// Take up to `max` buffered bytes off the front.
    pub fn take(&mut self, max: usize) -> Vec<u8> {
        let n = max.min(self.buffer.len());
        self.buffer.drain(..n).collect()
    }

    /// How many bytes are waiting in the buffer.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The error for an end of stream with `self` as it is: none between
    /// frames, otherwise which part of a frame was cut off.
    pub fn at_eof(&self, cap: u64) -> Result<(), FrameError> {
        match self.buffer.len() {
            0 => Ok(()),
            got @ 1..=3 => Err(FrameError::EofInHeader { got }),
            got => {
                let want = self.peek_len(cap)?.unwrap_or(0);
                Err(FrameError::EofInBody {
                    got: got as u64 - 4,
                    want,
                })
            }
        }
    }
}

/// A reader of frames: a socket (or anything `Read`) plus a [`FrameDecoder`].
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    decoder: FrameDecoder,
}

impl<R: Read> FrameReader<R> {
    /// Wrap `inner`.
    pub fn new(inner: R) -> Self {
        FrameReader {
            inner,
            decoder: FrameDecoder::default(),
        }
    }

    /// The wrapped reader, to write replies on the same socket.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    // ANCHOR: read_frame
    /// The next whole frame, or `None` if the peer closed between frames.
    pub fn read_frame(&mut self, cap: u64) -> Result<Option<Vec<u8>>, FrameError> {
        loop {
            if let Some(frame) = self.decoder.decode(cap)? {
                return Ok(Some(frame));
            }
            if self.fill()? == 0 {
                // End of stream: clean only if nothing was left half-read.
                return self.decoder.at_eof(cap).map(|()| None);
            }
        }
    }
    // ANCHOR_END: read_frame

    /// The next header alone, for data to be streamed with [`Self::copy_data`].
    /// `None` if the peer closed between frames.
    pub fn read_len(&mut self, cap: u64) -> Result<Option<u64>, FrameError> {
        loop {
            if let Some(len) = self.decoder.decode_len(cap)? {
                return Ok(Some(len));
            }
            if self.fill()? == 0 {
                return self.decoder.at_eof(cap).map(|()| None);
            }
        }
    }

    /// Copy exactly `len` data bytes to `sink` through a fixed-size buffer,
    /// whatever `len` is: memory use does not grow with the file. `each`
    /// sees every piece (to hash it, to move a progress bar).
    pub fn copy_data(
        &mut self,
        len: u64,
        sink: &mut impl Write,
        mut each: impl FnMut(&[u8]),
    ) -> Result<(), FrameError> {
        let mut left = len;
        // First whatever the decoder already holds, then the socket.
        while left > 0 && self.decoder.buffered() > 0 {
            let piece = self.decoder.take(left.min(READ_SIZE as u64) as usize);
            each(&piece);
            sink.write_all(&piece)?;
            left -= piece.len() as u64;
        }
        // A file's body goes through the same buffer size the sender uses.
        let mut buf = vec![0u8; CHUNK];
        while left > 0 {
            let want = left.min(CHUNK as u64) as usize;
            let n = match self.inner.read(&mut buf[..want]) {
                Ok(0) => {
                    return Err(FrameError::EofInBody {
                        got: len - left,
                        want: len,
                    });
                }
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            each(&buf[..n]);
            sink.write_all(&buf[..n])?;
            left -= n as u64;
        }
        Ok(())
    }

    /// One read from the socket into the decoder; 0 at end of stream.
    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; READ_SIZE];
        loop {
            match self.inner.read(&mut chunk) {
                Ok(n) => {
                    self.decoder.feed(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{MESSAGE_CAP, encode_frame};

    #[test]
    fn a_frame_fed_byte_by_byte_appears_once_complete() {
        let wire = encode_frame(b"hi").unwrap();
        let mut decoder = FrameDecoder::default();
        for (i, byte) in wire.iter().enumerate() {
            assert!(decoder.decode(MESSAGE_CAP).unwrap().is_none(), "byte {i}");
            decoder.feed(&[*byte]);
        }
        assert_eq!(decoder.decode(MESSAGE_CAP).unwrap().unwrap(), b"hi");
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn the_cap_is_checked_as_soon_as_the_header_is_in() {
        let mut decoder = FrameDecoder::default();
        decoder.feed(&1000i32.to_le_bytes());
        let err = decoder.decode(100).unwrap_err();
        assert!(matches!(
            err,
            FrameError::TooLong {
                len: 1000,
                cap: 100
            }
        ));
    }

    #[test]
    fn streamed_data_starts_with_what_was_buffered() {
        let data = vec![7u8; 3 * CHUNK];
        let mut wire = encode_frame(&data).unwrap();
        wire.extend(encode_frame(b"next").unwrap());
        let mut reader = FrameReader::new(&wire[..]);
        let len = reader.read_len(u64::MAX).unwrap().unwrap();
        let mut sink = Vec::new();
        let mut pieces = 0;
        reader.copy_data(len, &mut sink, |_| pieces += 1).unwrap();
        assert_eq!(sink, data);
        assert!(pieces >= 3, "read through a fixed buffer, not at once");
        assert_eq!(reader.read_frame(MESSAGE_CAP).unwrap().unwrap(), b"next");
        assert!(reader.read_frame(MESSAGE_CAP).unwrap().is_none());
    }

    #[test]
    fn a_stream_cut_inside_the_data_is_an_error() {
        let wire = encode_frame(b"hello").unwrap();
        let mut reader = FrameReader::new(&wire[..6]);
        let err = reader.read_frame(MESSAGE_CAP).unwrap_err();
        assert!(matches!(err, FrameError::EofInBody { got: 2, want: 5 }));
        let mut reader = FrameReader::new(&wire[..6]);
        let len = reader.read_len(MESSAGE_CAP).unwrap().unwrap();
        let err = reader.copy_data(len, &mut io::sink(), |_| {}).unwrap_err();
        assert!(matches!(err, FrameError::EofInBody { got: 2, want: 5 }));
    }
}
