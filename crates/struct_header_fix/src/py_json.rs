//! JSON written byte for byte the way Python's `json.dumps(obj)` writes it.
//!
//! Any JSON parser reads compact JSON too, so this is not needed to be
//! understood. It is there so that our headers have the *same length* as the
//! documents' headers, and the 4-byte length in front of them is the same
//! number a student sees when running the Python program: Python's defaults
//! are `", "` and `": "` as separators and `ensure_ascii=True`, which writes
//! every character outside printable ASCII as `\uXXXX`.
//!
//! `ensure_ascii` also explains a detail of document 004: it measures the
//! header with `len(str_dic)`, a count of *characters*. That equals the count
//! of bytes only because `json.dumps` has escaped everything non-ASCII. We
//! always measure bytes.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

/// `json.dumps(value).encode("utf-8")`.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Header { msg_type: &'static str, file_name: &'static str }
/// let bytes = struct_header_fix::py_json::dumps(&Header { msg_type: "file", file_name: "翔.txt" });
/// assert_eq!(bytes, br#"{"msg_type": "file", "file_name": "\u7fd4.txt"}"#);
/// ```
pub fn dumps<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer = Serializer::with_formatter(&mut out, PythonFormatter);
    // Serializing our own header structs into a Vec cannot fail.
    value
        .serialize(&mut serializer)
        .expect("a header always serializes");
    out
}

/// serde_json's compact formatter with Python's separators and escapes.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    /// serde_json has already escaped quotes, backslashes and control
    /// characters; Python also escapes DEL and everything non-ASCII.
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        for c in fragment.chars() {
            if (' '..='~').contains(&c) {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn separators_and_escapes_are_pythons() {
        let v = json!({"msg_type": "msg"});
        assert_eq!(dumps(&v), br#"{"msg_type": "msg"}"#);
        assert_eq!(dumps(&json!([1, 2])), b"[1, 2]");
        assert_eq!(dumps("a\"b\\c\n\x7f"), br#""a\"b\\c\n\u007f""#);
        // A character outside the BMP becomes a surrogate pair, as in Python.
        assert_eq!(dumps("😀"), br#""\ud83d\ude00""#);
    }

    #[test]
    fn what_we_write_reads_back() {
        let v = json!({"file_name": "正在吃 😀.txt", "file_size": 12});
        let back: serde_json::Value = serde_json::from_slice(&dumps(&v)).unwrap();
        assert_eq!(back, v);
    }
}
