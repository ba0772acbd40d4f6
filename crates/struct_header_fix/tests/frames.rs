//! The shared pieces a student reads, tested on their own: `struct.pack('i')`,
//! the frame, JSON as Python writes it, the file header, and files that
//! appear only when complete. The frame is property-tested: any messages,
//! cut into any read sizes down to single bytes, come out the same; a stream
//! cut short says where; random bytes never panic nor pass the cap.

use std::io::{self, ErrorKind, Read, Write};

use proptest::prelude::*;
use serde_json::json;
use struct_header_fix::files::{FileHeader, PartFile, hex_digest, md5_of_file};
use struct_header_fix::frame::{
    MESSAGE_CAP, dumps, pack_i, parse, recv_framed, send_framed, unpack_i, unpack_len,
};

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

fn frame(data: &[u8]) -> Vec<u8> {
    let mut wire = Vec::new();
    send_framed(&mut wire, data).unwrap();
    wire
}

fn encode_all(messages: &[Vec<u8>]) -> Vec<u8> {
    messages.iter().flat_map(|m| frame(m)).collect()
}

fn read_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=40, 1..20)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_messages_in_any_read_sizes_come_out_the_same(
        messages in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..12),
        sizes in read_sizes(),
    ) {
        let mut reader = Chunky::new(encode_all(&messages), sizes);
        for message in &messages {
            let frame = recv_framed(&mut reader, MESSAGE_CAP).unwrap();
            prop_assert_eq!(frame.as_ref(), Some(message));
        }
        prop_assert!(recv_framed(&mut reader, MESSAGE_CAP).unwrap().is_none());
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
        let mut reader = Chunky::new(wire[..at].to_vec(), sizes);
        let result = loop {
            match recv_framed(&mut reader, MESSAGE_CAP) {
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
        let mut reader = Chunky::new(wire, sizes);
        while let Ok(Some(frame)) = recv_framed(&mut reader, cap) {
            prop_assert!(frame.len() as u64 <= cap);
        }
    }
}

#[test]
fn the_documents_examples_of_struct_pack() {
    assert_eq!(pack_i(199).unwrap(), [0xc7, 0x00, 0x00, 0x00]);
    assert_eq!(pack_i(2_140_000_000).unwrap(), [0x00, 0xcf, 0x8d, 0x7f]);
    assert_eq!(unpack_i([0xc7, 0, 0, 0]), 199);
}

#[test]
fn the_range_of_i_is_that_of_an_i32() {
    let (min, max) = (i64::from(i32::MIN), i64::from(i32::MAX));
    assert_eq!(pack_i(max).unwrap(), [0xff, 0xff, 0xff, 0x7f]);
    assert_eq!(pack_i(min).unwrap(), [0x00, 0x00, 0x00, 0x80]);
    for n in [max + 1, min - 1] {
        let err = pack_i(n).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(
            err.to_string().starts_with(&format!("{n} does not fit")),
            "{err}"
        );
    }
}

#[test]
fn network_order_read_as_little_endian_gives_the_lessons_absurd_lengths() {
    assert_eq!(unpack_i(5i32.to_be_bytes()), 83_886_080);
    assert_eq!(unpack_i(200i32.to_be_bytes()), -939_524_096);
}

#[test]
fn bad_lengths_are_refused_before_allocating() {
    let err = unpack_len((-5i32).to_le_bytes(), MESSAGE_CAP).unwrap_err();
    assert_eq!(err.to_string(), "negative length -5 in the 4-byte header");
    let mut huge: &[u8] = &i32::MAX.to_le_bytes();
    let err = recv_framed(&mut huge, MESSAGE_CAP).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData);
    assert_eq!(
        err.to_string(),
        "length 2147483647 exceeds the cap of 67108864 bytes"
    );
}

#[test]
fn eof_inside_a_frame_says_where() {
    let wire = frame(b"hello");
    let err = recv_framed(&mut &wire[..2], MESSAGE_CAP).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the peer closed the connection after 2 of 4 header bytes"
    );
    let err = recv_framed(&mut &wire[..7], MESSAGE_CAP).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    assert_eq!(
        err.to_string(),
        "the peer closed the connection after 3 of 5 data bytes"
    );
}

#[test]
fn an_empty_message_is_a_frame_too() {
    // Raw TCP cannot send an empty message; a frame can: 00 00 00 00.
    let wire = frame(b"");
    assert_eq!(wire, [0, 0, 0, 0]);
    assert_eq!(
        recv_framed(&mut &wire[..], MESSAGE_CAP).unwrap().unwrap(),
        b""
    );
}

#[test]
fn json_is_written_as_python_writes_it() {
    assert_eq!(
        dumps(&json!({"msg_type": "msg"})),
        br#"{"msg_type": "msg"}"#
    );
    assert_eq!(dumps(&json!([1, 2])), b"[1, 2]");
    assert_eq!(dumps("a\"b\\c\n\x7f"), br#""a\"b\\c\n\u007f""#);
    // Outside the BMP: a surrogate pair, as in Python.
    assert_eq!(dumps("😀"), br#""\ud83d\ude00""#);
    let v = json!({"file_name": "正在吃 😀.txt", "file_size": 12});
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&dumps(&v)).unwrap(),
        v
    );
}

#[test]
fn we_send_document_004s_keys_plus_md5() {
    let header = FileHeader::new("upload", "a.txt", 5, None);
    assert_eq!(
        dumps(&header),
        br#"{"opt": "upload", "filename": "a.txt", "filesize": 5}"#
    );
    let md5 = "5d41402abc4b2a76b9719d911017c592".to_owned();
    let header = FileHeader::new("upload", "a.txt", 5, Some(md5));
    assert!(dumps(&header).ends_with(br#""md5": "5d41402abc4b2a76b9719d911017c592"}"#));
}

#[test]
fn document_000s_header_is_an_upload_too() {
    let raw =
        br#"{"file_size": 5, "file_name": "a.txt", "md5": "5d41402abc4b2a76b9719d911017c592"}"#;
    let header: FileHeader = parse(raw, "header").unwrap();
    assert_eq!(
        (
            header.opt.as_str(),
            header.filename.as_str(),
            header.filesize
        ),
        ("upload", "a.txt", 5)
    );
}

#[test]
fn bad_headers_say_what_is_wrong() {
    let cases: [(&[u8], &str); 4] = [
        (b"\xff\xfe", "not UTF-8"),
        (b"{\"opt\": ", "not valid JSON"),
        (br#"{"opt": "upload", "filename": "a"}"#, "lacks a field"),
        (
            br#"{"opt": "upload", "filename": "a", "filesize": -1}"#,
            "wrong one",
        ),
    ];
    for (raw, says) in cases {
        let err = parse::<FileHeader>(raw, "header").unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[test]
fn md5_matches_pythons_hashlib() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hello.txt");
    std::fs::write(&path, b"hello").unwrap();
    assert_eq!(
        md5_of_file(&path).unwrap(),
        "5d41402abc4b2a76b9719d911017c592"
    );
    assert_eq!(hex_digest(&[0x0f, 0xa0]), "0fa0");
}

#[test]
fn a_part_file_appears_only_when_committed() {
    let dir = tempfile::tempdir().unwrap();
    let mut part = PartFile::create(dir.path(), "a.txt").unwrap();
    part.write_all(b"half").unwrap();
    drop(part);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let mut part = PartFile::create(dir.path(), "a.txt").unwrap();
    part.write_all(b"whole").unwrap();
    part.commit().unwrap();
    assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), b"whole");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
