//! Lesson 05: fixing sticky packets (粘包), each fix the way a document
//! makes it, in the documents' order.
//!
//! TCP delivers a stream of bytes, not messages (lesson 04); every fix here
//! tells the receiver where a message ends. The steps, one module each and
//! in lesson order: [`ack`], [`ready`], [`pack`], [`pack_broken`],
//! [`length`], [`json_header`], [`case`], [`download`]. Each holds its own
//! `accept` and `connect`, and none imports another. What they share is in
//! [`frame`] (the 4-byte length, `recv_exact`, frames of JSON) and [`files`]
//! (the file header, which files a server serves, streaming a file, a
//! temporary file renamed when complete). The finished file server, beyond
//! the documents, is `crates/file_server`.
#![warn(missing_docs)]

pub mod ack;
pub mod case;
pub mod download;
pub mod files;
pub mod frame;
pub mod json_header;
pub mod length;
pub mod pack;
pub mod pack_broken;
pub mod ready;
