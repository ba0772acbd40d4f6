//! Lesson 01: TCP sockets, the way the documents build them, one idea per
//! module.
//!
//! Each module holds one step's two halves and their socket calls. The
//! server half takes a bound `&TcpListener`, calls `accept()` and serves one
//! client; the client half calls `TcpStream::connect`. Both read and write
//! through `classroom::Traced`, which prints one line per system call.
//! `demo STEP` runs both halves in one process (`classroom::runner::pair`);
//! `server STEP` serves one client after another (`runner::serve`).
//!
//! | step | module | documents |
//! |---|---|---|
//! | `connect` | [`connect`] | 004 §4.1 |
//! | `hello` | [`hello`] | 000 §基于TCP协议的socket |
//! | `server-first` | [`server_first`] | 004 §4.2 |
//! | `chat` | [`chat`] | 004 §4.2 (持续通信) |
//! | `one-at-a-time` | [`one_at_a_time`] | 004 §4.3 |
//! | `methods` | [`methods`] | 000 §socket的更多方法, 001 §socket方法 |
//! | `sendall` | [`sendall`] | 000 §send和sendall方法 |
//! | `half-close` | [`half_close`] | 004 §2.3.1 四次挥手, 001 §四次挥手 |
//! | `http` | [`http`] | 002 (a raw HTTP GET) |
//! | `low-port` | [`low_port`] | 003, 004 §4.1 (ports below 1024) |
#![warn(missing_docs)]

pub mod chat;
pub mod connect;
pub mod half_close;
pub mod hello;
pub mod http;
pub mod low_port;
pub mod methods;
pub mod one_at_a_time;
mod os;
pub mod sendall;
pub mod server_first;
