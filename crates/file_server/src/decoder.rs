//! Frames from a buffer: read whatever has arrived, then parse as many whole
//! frames out of it as there are (the design of tokio's mini-redis
//! `Connection::read_frame`).
//!
//! Lesson 05's `recv_framed` asks the socket for exactly the bytes it needs
//! next: at least two system calls per frame. A [`FrameReader`] reads big
//! chunks into a buffer instead, and lets a pure *parse step*,
//! [`FrameDecoder::decode`], say whether a whole frame is there yet. The
//! parse step never touches the socket, so it can be tested on its own with
//! any way of cutting the stream (`tests/decoder.rs` cuts it down to single
//! bytes). The frame is lesson 05's: a 4-byte `struct.pack('i')` length,
//! checked against a cap before anything is allocated, then the data.

use std::io::{self, ErrorKind, Read, Write};

use struct_header_fix::files::CHUNK;
use struct_header_fix::frame::{cut_short, unpack_len};

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
    pub fn decode(&mut self, cap: u64) -> io::Result<Option<Vec<u8>>> {
        let Some(len) = self.peek_len(cap)? else {
            return Ok(None); // fewer than 4 bytes so far
        };
        let end = 4 + len as usize; // len <= cap, checked by peek_len
        if self.buffer.len() < end {
            // Room for the whole frame, once: growing step by step would
            // copy it each time and hold up to twice its size.
            self.buffer.reserve_exact(end - self.buffer.len());
            return Ok(None); // the length is here, the data is not all here
        }
        // In place: the buffer becomes the frame. Only what came after it
        // (at most one read's worth) moves to a new buffer.
        let after = self.buffer.split_off(end);
        let mut frame = std::mem::replace(&mut self.buffer, after);
        frame.drain(..4); // the length goes; the data slides down in place
        Ok(Some(frame))
    }

    /// The length at the front of the buffer, checked against `cap` as soon
    /// as its 4 bytes are here (before any data is waited for).
    fn peek_len(&self, cap: u64) -> io::Result<Option<u64>> {
        match self.buffer.first_chunk::<4>() {
            Some(header) => unpack_len(*header, cap).map(Some),
            None => Ok(None),
        }
    }
}
// ANCHOR_END: decode

impl FrameDecoder {
    /// How many bytes are waiting in the buffer.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The error for an end of stream with the buffer as it is: none
    /// between frames, otherwise which part of a frame was cut off.
    pub fn at_eof(&self, cap: u64) -> io::Result<()> {
        match self.buffer.len() {
            0 => Ok(()),
            got @ 1..=3 => Err(cut_short(got as u64, 4, "header")),
            got => {
                let want = self.peek_len(cap)?.unwrap_or(0);
                Err(cut_short(got as u64 - 4, want, "data"))
            }
        }
    }
}

/// A reader of frames: a socket (or anything `Read`) and a [`FrameDecoder`].
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    decoder: FrameDecoder,
}

impl<R: Read> FrameReader<R> {
    /// Wrap `inner`.
    pub fn new(inner: R) -> Self {
        let decoder = FrameDecoder::default();
        FrameReader { inner, decoder }
    }

    /// The wrapped reader, to write answers on the same socket.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The next whole frame, or `None` if the peer closed between frames.
    pub fn read_frame(&mut self, cap: u64) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(frame) = self.decoder.decode(cap)? {
                return Ok(Some(frame));
            }
            if self.fill()? == 0 {
                // The end of the stream: clean only between two frames.
                return self.decoder.at_eof(cap).map(|()| None);
            }
        }
    }

    /// Copy exactly `len` bytes that follow a frame (a file's data) to
    /// `sink`: first what the buffer holds, then straight from the socket
    /// through a buffer no bigger than `len` or [`CHUNK`]. `each` sees every
    /// piece (to hash it, to move a progress bar).
    pub fn copy_data(
        &mut self,
        len: u64,
        sink: &mut impl Write,
        mut each: impl FnMut(&[u8]),
    ) -> io::Result<()> {
        let held = (len.min(self.decoder.buffered() as u64)) as usize;
        let piece: Vec<u8> = self.decoder.buffer.drain(..held).collect();
        each(&piece);
        sink.write_all(&piece)?;
        let left = len - held as u64;
        let mut buf = vec![0u8; left.min(CHUNK as u64) as usize];
        let mut copied = 0;
        while copied < left {
            let want = (left - copied).min(buf.len() as u64) as usize;
            let n = match self.inner.read(&mut buf[..want]) {
                Ok(0) => return Err(cut_short(held as u64 + copied, len, "data")),
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            each(&buf[..n]);
            sink.write_all(&buf[..n])?;
            copied += n as u64;
        }
        Ok(())
    }

    /// One read from the socket into the decoder; 0 at the end of stream.
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
