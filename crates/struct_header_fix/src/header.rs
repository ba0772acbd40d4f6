//! The JSON headers the documents put in front of a file, and the requests
//! our file server understands.
//!
//! Document 004's programs (port 8001) send
//! `{"opt": "upload", "filename": "a.txt", "filesize": 5}`; document 000's
//! example header spells the keys `file_name` and `file_size` and adds an
//! `md5`. We send document 004's keys, so a Python server written like
//! document 004 understands us, plus document 000's `md5`, which such a
//! server simply ignores. We accept either spelling, so a Python client
//! written like either document understands us too.

use std::io::{self, ErrorKind};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a file upload announces before its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHeader {
    /// `"upload"`, document 004's menu choice. Document 000's header has no
    /// `opt`: a header that only describes a file is an upload.
    #[serde(default = "upload")]
    pub opt: String,
    /// A plain file name (document 000: `file_name`).
    #[serde(alias = "file_name")]
    pub filename: String,
    /// How many bytes of data follow the header (document 000: `file_size`).
    #[serde(alias = "file_size")]
    pub filesize: u64,
    /// The data's md5 as 32 hex digits (document 000); absent in document
    /// 004's header, when only the size can be checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

fn upload() -> String {
    "upload".into()
}

impl FileHeader {
    /// The header for uploading `filename`.
    pub fn upload(filename: &str, filesize: u64, md5: Option<String>) -> Self {
        FileHeader {
            opt: upload(),
            filename: filename.to_owned(),
            filesize,
            md5,
        }
    }
}

/// `{"opt": "download", "filename": NAME, "offset": N}`: what document 004
/// leaves as `pass`. `offset` is how much of the file the client already
/// has, so a broken download can be resumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadRequest {
    /// Always `"download"`.
    pub opt: String,
    /// A plain file name from the server's folder.
    pub filename: String,
    /// Bytes the client already has.
    #[serde(default)]
    pub offset: u64,
}

/// The server's answer to a download: the file's header, then
/// `filesize - offset` bytes of data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadHeader {
    /// The file's name.
    pub filename: String,
    /// The whole file's size.
    pub filesize: u64,
    /// The whole file's md5.
    pub md5: String,
    /// Where the data that follows starts.
    pub offset: u64,
}

/// The server's answer to an upload: what it saved, and the md5 of the
/// bytes it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// The file's name in the server's folder.
    pub saved: String,
    /// Its size.
    pub filesize: u64,
    /// The md5 of what arrived.
    pub md5: String,
}

/// One entry of `{"files": [...]}`, the answer to `{"opt": "list"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    /// A plain file name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// A request to the file server (`server json-header` / `server download`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// A file follows the header.
    Upload(FileHeader),
    /// Name the files in the served folder.
    List,
    /// Send a file back.
    Download(DownloadRequest),
}

/// Text that must be UTF-8, or a clear error saying what it was meant to be.
pub fn utf8<'a>(raw: &'a [u8], what: &str) -> io::Result<&'a str> {
    std::str::from_utf8(raw).map_err(|e| {
        io::Error::new(
            ErrorKind::InvalidData,
            format!("the {what} is not UTF-8 text ({e})"),
        )
    })
}

/// Parse JSON, or a clear error.
pub fn json(raw: &[u8], what: &str) -> io::Result<Value> {
    let text = utf8(raw, what)?;
    serde_json::from_str(text).map_err(|e| {
        io::Error::new(
            ErrorKind::InvalidData,
            format!("the {what} is not valid JSON ({e})"),
        )
    })
}

/// Turn a JSON value into one of our header types, or a clear error.
pub fn fields<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> io::Result<T> {
    serde_json::from_value(value).map_err(|e| {
        io::Error::new(
            ErrorKind::InvalidData,
            format!("the {what} lacks a field or has a wrong one ({e})"),
        )
    })
}

// ANCHOR: parse_request
/// Read a request header: UTF-8, then JSON, then the fields its `opt` needs.
pub fn parse_request(raw: &[u8]) -> io::Result<Request> {
    let value = json(raw, "header")?;
    let opt = match value.get("opt") {
        None => "upload", // document 000's header describes a file: an upload
        Some(Value::String(opt)) => opt.as_str(),
        Some(other) => return Err(invalid(format!("opt must be a string, not {other}"))),
    };
    match opt {
        "upload" => Ok(Request::Upload(fields(value, "header")?)),
        "list" => Ok(Request::List),
        "download" => Ok(Request::Download(fields(value, "header")?)),
        other => Err(invalid(format!(
            "unknown opt {other:?} (upload, download or list)"
        ))),
    }
}
// ANCHOR_END: parse_request

/// An `InvalidData` error with this message.
pub fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, message.into())
}

/// An md5 must be 32 hex digits.
pub fn check_md5(md5: &str) -> io::Result<()> {
    if md5.len() == 32 && md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(invalid(format!("md5 {md5:?} is not 32 hex digits")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::py_json::dumps;

    #[test]
    fn we_send_document_004s_keys_plus_md5() {
        let header = FileHeader::upload("a.txt", 5, None);
        assert_eq!(
            dumps(&header),
            br#"{"opt": "upload", "filename": "a.txt", "filesize": 5}"#
        );
        let header =
            FileHeader::upload("a.txt", 5, Some("5d41402abc4b2a76b9719d911017c592".into()));
        assert!(dumps(&header).ends_with(br#""md5": "5d41402abc4b2a76b9719d911017c592"}"#));
    }

    #[test]
    fn document_000s_header_is_an_upload_too() {
        let raw =
            br#"{"file_size": 5, "file_name": "a.txt", "md5": "5d41402abc4b2a76b9719d911017c592"}"#;
        let Request::Upload(header) = parse_request(raw).unwrap() else {
            panic!("an upload")
        };
        assert_eq!((header.filename.as_str(), header.filesize), ("a.txt", 5));
    }

    #[test]
    fn bad_headers_say_what_is_wrong() {
        let cases: [(&[u8], &str); 5] = [
            (b"\xff\xfe", "not UTF-8"),
            (b"{\"opt\": ", "not valid JSON"),
            (br#"{"opt": "upload", "filename": "a"}"#, "lacks a field"),
            (
                br#"{"opt": "upload", "filename": "a", "filesize": -1}"#,
                "wrong one",
            ),
            (br#"{"opt": "delete"}"#, "unknown opt"),
        ];
        for (raw, says) in cases {
            let err = parse_request(raw).unwrap_err();
            assert!(err.to_string().contains(says), "{err}");
        }
    }
}
