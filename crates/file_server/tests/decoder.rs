//! The buffered framing, property-tested: any messages, cut into any read
//! sizes down to single bytes, come out as the same messages; a stream cut
//! short is an error that says where; random bytes never panic.

use std::io::{self, ErrorKind, Read};

use file_server::decoder::{FrameDecoder, FrameReader};
use proptest::prelude::*;
use struct_header_fix::frame::{MESSAGE_CAP, send_framed};

/// A reader that returns the stream in chunks of the given sizes, in turn:
/// what a TCP socket may do to you.
struct Chunky {
    data: Vec<u8>,
    pos: usize,
    sizes: Vec<usize>,
    turn: usize,
}

impl Read for Chunky {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.sizes[self.turn % self.sizes.len()];
        self.turn += 1;
        let n = size.min(buf.len()).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn chunky(data: Vec<u8>, sizes: Vec<usize>) -> Chunky {
    Chunky {
        data,
        pos: 0,
        sizes,
        turn: 0,
    }
}

fn frame(data: &[u8]) -> Vec<u8> {
    let mut wire = Vec::new();
    send_framed(&mut wire, data).unwrap();
    wire
}

fn encode_all(messages: &[Vec<u8>]) -> Vec<u8> {
    messages.iter().flat_map(|m| frame(m)).collect()
}

fn messages() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..12)
}

fn read_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=40, 1..20)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_messages_in_any_read_sizes_come_out_the_same(
        messages in messages(),
        sizes in read_sizes(),
    ) {
        let mut reader = FrameReader::new(chunky(encode_all(&messages), sizes));
        for message in &messages {
            let frame = reader.read_frame(MESSAGE_CAP).unwrap();
            prop_assert_eq!(frame.as_ref(), Some(message));
        }
        prop_assert!(reader.read_frame(MESSAGE_CAP).unwrap().is_none());
    }

    #[test]
    fn the_parse_step_alone_copes_with_any_cut(
        messages in messages(),
        cuts in prop::collection::vec(1usize..=40, 1..20),
    ) {
        let wire = encode_all(&messages);
        let mut decoder = FrameDecoder::default();
        let mut decoded = Vec::new();
        let (mut pos, mut turn) = (0, 0);
        while pos < wire.len() {
            let n = cuts[turn % cuts.len()].min(wire.len() - pos);
            decoder.feed(&wire[pos..pos + n]);
            pos += n;
            turn += 1;
            while let Some(frame) = decoder.decode(MESSAGE_CAP).unwrap() {
                decoded.push(frame);
            }
        }
        prop_assert_eq!(decoded, messages);
        prop_assert!(decoder.at_eof(MESSAGE_CAP).is_ok());
    }

    #[test]
    fn a_stream_cut_inside_a_frame_is_an_error_that_says_where(
        messages in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..50), 1..6),
        cut in any::<prop::sample::Index>(),
        sizes in read_sizes(),
    ) {
        let wire = encode_all(&messages);
        let mut boundaries = vec![0];
        for m in &messages {
            boundaries.push(boundaries.last().unwrap() + 4 + m.len());
        }
        let at = cut.index(wire.len());
        let mut reader = FrameReader::new(chunky(wire[..at].to_vec(), sizes));
        let result = loop {
            match reader.read_frame(MESSAGE_CAP) {
                Ok(Some(_)) => continue,
                other => break other,
            }
        };
        if boundaries.contains(&at) {
            prop_assert!(matches!(result, Ok(None)), "cut at a boundary {} gave {:?}", at, result);
        } else {
            let err = result.unwrap_err();
            prop_assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
            prop_assert!(err.to_string().contains("the peer closed the connection after"));
        }
    }

    #[test]
    fn random_bytes_never_panic_nor_exceed_the_cap(
        wire in prop::collection::vec(any::<u8>(), 0..200),
        sizes in read_sizes(),
    ) {
        let cap = 64;
        let mut reader = FrameReader::new(chunky(wire, sizes));
        while let Ok(Some(frame)) = reader.read_frame(cap) {
            prop_assert!(frame.len() as u64 <= cap);
        }
    }
}

#[test]
fn a_frame_fed_byte_by_byte_appears_once_complete() {
    let wire = frame(b"hi");
    let mut decoder = FrameDecoder::default();
    for (i, byte) in wire.iter().enumerate() {
        assert!(decoder.decode(MESSAGE_CAP).unwrap().is_none(), "byte {i}");
        decoder.feed(&[*byte]);
    }
    assert_eq!(decoder.decode(MESSAGE_CAP).unwrap().unwrap(), b"hi");
    assert_eq!(decoder.buffered(), 0);
}

#[test]
fn the_cap_is_checked_as_soon_as_the_length_is_in() {
    let mut decoder = FrameDecoder::default();
    decoder.feed(&1000i32.to_le_bytes());
    let err = decoder.decode(100).unwrap_err();
    assert_eq!(err.to_string(), "length 1000 exceeds the cap of 100 bytes");
}

#[test]
fn data_after_a_frame_starts_with_what_was_buffered() {
    let data: Vec<u8> = (0..3 * 1024 * 1024).map(|i| i as u8).collect();
    let mut wire = frame(b"header");
    wire.extend_from_slice(&data);
    wire.extend(frame(b"next"));
    let mut reader = FrameReader::new(&wire[..]);
    assert_eq!(reader.read_frame(MESSAGE_CAP).unwrap().unwrap(), b"header");
    let (mut sink, mut pieces) = (Vec::new(), 0);
    reader
        .copy_data(data.len() as u64, &mut sink, |_| pieces += 1)
        .unwrap();
    assert_eq!(sink, data);
    assert!(pieces >= 3, "read through a fixed buffer, not at once");
    assert_eq!(reader.read_frame(MESSAGE_CAP).unwrap().unwrap(), b"next");
    assert!(reader.read_frame(MESSAGE_CAP).unwrap().is_none());
}

#[test]
fn data_cut_short_is_an_error() {
    let mut wire = frame(b"h");
    wire.extend_from_slice(b"he");
    let mut reader = FrameReader::new(&wire[..]);
    reader.read_frame(MESSAGE_CAP).unwrap();
    let err = reader.copy_data(5, &mut io::sink(), |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the peer closed the connection after 2 of 5 data bytes"
    );
}
