//! Lesson 05: fixing sticky packets (粘包), each fix the way a document
//! makes it, in the documents' order, one module per step: [`ack`],
//! [`ready`], [`pack`], [`pack_broken`], [`length`], [`json_header`],
//! [`case`], [`download`]. Each holds its own `accept` and `connect`; they
//! share [`frame`] (the 4-byte length, `recv_exact`, frames of JSON) and
//! [`files`] (the file header, served files, streaming, temporary files).
//! The finished file server, beyond the documents, is `crates/file_server`.
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
