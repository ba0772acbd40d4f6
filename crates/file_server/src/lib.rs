//! Lesson 05's finished program: one file server for uploads, a listing of
//! its folder, and downloads that resume where a broken one stopped.
//!
//! Lesson 05 (`struct_header_fix`) builds each of the documents' fixes on
//! its own; this crate puts them together the way a program you would run
//! does, and goes past the documents:
//!
//! * [`decoder`]: frames read from a buffer with a separate parse step, the
//!   way tokio's mini-redis reads its frames, instead of one `recv` per
//!   piece.
//! * [`part`]: a download's `.NAME.part` file, kept when the connection
//!   breaks, so the next try asks only for the rest (断点续传).
//! * [`server`] and [`client`]: the protocol, lesson 05's JSON headers with
//!   an `offset`, and a progress bar on a terminal ([`progress`]).
//! * [`sweep`]: a server starting on a folder removes the temporary files
//!   a killed server left there.
//!
//! The framing, the header type, the md5 and the temporary files that are
//! renamed when complete are lesson 05's own (`struct_header_fix::frame`,
//! `struct_header_fix::files`).
#![warn(missing_docs)]

pub mod client;
pub mod decoder;
mod os;
pub mod part;
pub mod progress;
pub mod server;
pub mod sweep;

use serde::{Deserialize, Serialize};

/// The documents' port, lesson 05's file server's.
pub const PORT: u16 = 8001;

/// What a client asks for, one JSON frame each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "opt", rename_all = "lowercase")]
pub enum Request {
    /// A file follows: lesson 05's upload header.
    Upload {
        /// A plain file name.
        filename: String,
        /// How many bytes follow.
        filesize: u64,
        /// Their md5, when the client sends one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        md5: Option<String>,
    },
    /// Name the files in the served folder.
    List,
    /// Send a file, from `offset` on.
    Download {
        /// A plain file name from the listing.
        filename: String,
        /// How many bytes the client already has.
        #[serde(default)]
        offset: u64,
    },
}

/// The server's answer to a download: the whole file's size and md5, then
/// `filesize - offset` bytes from `offset` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadHeader {
    /// The file's name.
    pub filename: String,
    /// The whole file's size.
    pub filesize: u64,
    /// The whole file's md5, so a resumed copy is checked end to end.
    pub md5: String,
    /// Where the bytes that follow start.
    pub offset: u64,
}

/// One entry of the answer to `list`: `{"files": [{"name": …, "size": …}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    /// A plain file name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// The answer to `list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// The files, sorted by name.
    pub files: Vec<Listed>,
}
