//! The buffered framing against lesson 05's own loop: for any bytes, cut
//! into any read sizes down to single bytes, a `FrameReader` gives the same
//! frames, and the same errors, as `recv_framed` reading one exact piece at
//! a time. The parse step alone copes with any cut.

use std::collections::VecDeque;
use std::io::{self, Read};

use file_server::decoder::{FrameDecoder, FrameReader};
use proptest::prelude::*;
use struct_header_fix::frame::{MESSAGE_CAP, recv_framed, send_framed};

/// A stream handed out in the pieces it was cut into, one per read (or
/// less, if the read asks for less): what a TCP socket may do to you.
struct Pieces(VecDeque<Vec<u8>>);

impl Pieces {
    fn cut(wire: &[u8], sizes: &[usize]) -> Pieces {
        let mut pieces = VecDeque::new();
        let (mut at, mut turn) = (0, 0);
        while at < wire.len() {
            let n = sizes[turn % sizes.len()].min(wire.len() - at);
            pieces.push_back(wire[at..at + n].to_vec());
            (at, turn) = (at + n, turn + 1);
        }
        Pieces(pieces)
    }
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(mut piece) = self.0.pop_front() else {
            return Ok(0);
        };
        let n = piece.len().min(buf.len());
        buf[..n].copy_from_slice(&piece[..n]);
        if n < piece.len() {
            self.0.push_front(piece.split_off(n));
        }
        Ok(n)
    }
}

fn frame(data: &[u8]) -> Vec<u8> {
    let mut wire = Vec::new();
    send_framed(&mut wire, data).unwrap();
    wire
}

/// Every frame, then the end or the error, as text: what a reader saw.
fn seen(mut next: impl FnMut() -> io::Result<Option<Vec<u8>>>) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match next() {
            Ok(Some(frame)) => seen.push(format!("{frame:?}")),
            Ok(None) => return [seen, vec!["end".into()]].concat(),
            Err(e) => return [seen, vec![format!("{:?}: {e}", e.kind())]].concat(),
        }
    }
}

/// The wire both readers get: framed messages cut anywhere, or noise.
fn wires() -> impl Strategy<Value = Vec<u8>> {
    let messages = prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..12);
    let framed = (messages, any::<prop::sample::Index>()).prop_map(|(messages, cut)| {
        let wire: Vec<u8> = messages.iter().flat_map(|m| frame(m)).collect();
        let at = if wire.is_empty() {
            0
        } else {
            cut.index(wire.len() + 1)
        };
        wire[..at].to_vec()
    });
    prop_oneof![framed, prop::collection::vec(any::<u8>(), 0..200)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_buffered_reader_sees_what_the_documents_loop_sees(
        wire in wires(),
        sizes in prop::collection::vec(1usize..=40, 1..20),
        cap in prop_oneof![Just(64u64), Just(MESSAGE_CAP)],
    ) {
        let mut exact = Pieces::cut(&wire, &sizes);
        let mut buffered = FrameReader::new(Pieces::cut(&wire, &sizes));
        let by_loop = seen(|| recv_framed(&mut exact, cap));
        let by_buffer = seen(|| buffered.read_frame(cap));
        prop_assert_eq!(by_buffer, by_loop);
    }

    #[test]
    fn the_parse_step_alone_copes_with_any_cut(
        messages in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..12),
        sizes in prop::collection::vec(1usize..=40, 1..20),
    ) {
        let wire: Vec<u8> = messages.iter().flat_map(|m| frame(m)).collect();
        let mut decoder = FrameDecoder::default();
        let mut decoded = Vec::new();
        for piece in Pieces::cut(&wire, &sizes).0 {
            decoder.feed(&piece);
            while let Some(frame) = decoder.decode(MESSAGE_CAP).unwrap() {
                decoded.push(frame);
            }
        }
        prop_assert_eq!(decoded, messages);
        prop_assert!(decoder.at_eof(MESSAGE_CAP).is_ok());
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
