//! Lesson 05: fixing sticky packets (粘包), each fix the way a document
//! makes it, in the documents' order.
//!
//! TCP delivers a stream of bytes, not messages (lesson 04). Every fix here
//! gives the receiver a way to know where one message ends:
//!
//! | step | fix | module | documents |
//! |---|---|---|---|
//! | `ack` | header, wait for `ok`, then the data | [`ack`] | 004 §二、解决粘包 |
//! | `ready` | `ready\|SIZE`, `start`, read until SIZE | [`ready`] | 001 §粘包的解决办法 |
//! | `pack`, `pack-broken` | `struct.pack('i', n)`: 4 bytes, little endian | [`pack`] | 002, 004 |
//! | `length` | 4-byte length, then the data | [`length`], [`frame`] | 002 §如何解决粘包 |
//! | `json-header` | length of a JSON header, the header, the file | [`json_header`] | 000 §struct模块, 004 §使用struct优化 |
//! | `case` | messages and uploads over one connection | [`case`] | 002 §案例 |
//! | `download` | what document 004 leaves as `pass` | [`download`] | 004 |
//!
//! Underneath: [`frame`] (the document's receive loop, `recv_exact`),
//! [`decoder`] (a buffer and a parse step, as production code frames),
//! [`files`] (safe names, temporary files renamed when verified),
//! [`transfer`] (streaming with a fixed buffer).
#![warn(missing_docs)]

pub mod ack;
pub mod case;
pub mod conn;
pub mod decoder;
pub mod download;
pub mod files;
pub mod frame;
pub mod header;
pub mod json_header;
pub mod length;
pub mod pack;
pub mod progress;
pub mod py_json;
pub mod ready;
pub mod serve;
pub mod transfer;
