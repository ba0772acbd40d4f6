//! The framing, property-tested: any messages, cut into any read sizes down
//! to single bytes, come out as the same messages; a stream cut short is an
//! error that says where; random bytes never panic.

use std::io::{self, Read};

use classroom::Side;
use proptest::prelude::*;
use struct_header_fix::decoder::{FrameDecoder, FrameReader};
use struct_header_fix::frame::{FrameError, MESSAGE_CAP, encode_frame, recv_frame};

/// A reader that returns the stream in chunks of the given sizes, in turn:
/// what a TCP socket may do to you.
struct Chunky {
    data: Vec<u8>,
    pos: usize,
    sizes: Vec<usize>,
    turn: usize,
}

impl Chunky {
    fn new(data: Vec<u8>, sizes: Vec<usize>) -> Self {
        Chunky {
            data,
            pos: 0,
            sizes,
            turn: 0,
        }
    }
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

fn encode_all(messages: &[Vec<u8>]) -> Vec<u8> {
    messages
        .iter()
        .flat_map(|m| encode_frame(m).unwrap())
        .collect()
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
        let mut reader = FrameReader::new(Chunky::new(encode_all(&messages), sizes));
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
        // Frame boundaries: cutting there is a clean end, anywhere else not.
        let mut boundaries = vec![0];
        for m in &messages {
            boundaries.push(boundaries.last().unwrap() + 4 + m.len());
        }
        let at = cut.index(wire.len());
        let mut reader = FrameReader::new(Chunky::new(wire[..at].to_vec(), sizes));
        let result = loop {
            match reader.read_frame(MESSAGE_CAP) {
                Ok(Some(_)) => continue,
                other => break other,
            }
        };
        if boundaries.contains(&at) {
            let clean = matches!(result, Ok(None));
            prop_assert!(clean, "cut at a boundary {} gave {:?}", at, result);
        } else {
            let cut_inside = matches!(
                result,
                Err(FrameError::EofInHeader { .. } | FrameError::EofInBody { .. })
            );
            prop_assert!(cut_inside, "cut at {} gave {:?}", at, result);
        }
    }

    #[test]
    fn random_bytes_never_panic_nor_exceed_the_cap(
        wire in prop::collection::vec(any::<u8>(), 0..200),
        sizes in read_sizes(),
    ) {
        let cap = 64;
        let mut reader = FrameReader::new(Chunky::new(wire, sizes));
        while let Ok(Some(frame)) = reader.read_frame(cap) {
            prop_assert!(frame.len() as u64 <= cap);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// `recv_frame` prints every read (it is the demos' receive), so this
    /// one runs fewer, smaller cases.
    #[test]
    fn the_documents_loop_copes_with_any_read_size_too(
        messages in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 0..4),
        sizes in read_sizes(),
    ) {
        let mut reader = Chunky::new(encode_all(&messages), sizes);
        let mut out = Side::server();
        for message in &messages {
            let frame = recv_frame(&mut reader, MESSAGE_CAP, &mut out).unwrap();
            prop_assert_eq!(frame.as_ref(), Some(message));
        }
        prop_assert!(recv_frame(&mut reader, MESSAGE_CAP, &mut out).unwrap().is_none());
    }
}
