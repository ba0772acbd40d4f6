//! Lesson 04: sticky packets (粘包) and split packets (拆包).
//!
//! TCP carries a stream of bytes, not messages: it keeps every byte and
//! their order, and nothing else. Where one `send` ended is not written
//! anywhere, so a receiver that takes one `recv` to be one message gets two
//! messages glued together, or half of one. Each module shows one way this
//! bites, the way the documents show it in Python:
//!
//! | step | module | documents |
//! |---|---|---|
//! | `glue` (the headline) | [`glue`] | 002 §3 粘包, 004 §粘包问题 一 |
//! | `nagle` | [`nagle`] | 000 (Nagle算法), 004 (tcp的合包机制) |
//! | `split` | [`split`] | 000 (tcp协议的拆包机制), 004 (拆包机制) |
//! | `leftover` | [`leftover`] | 001 §粘包问题 |
//! | `udp` | [`udp`] | 000 (UDP不会发生黏包, 空消息), 004 |
//! | `buffers` | [`buffers`] | 000 (用户态与内核态, ack), 002 (缓冲区) |
//!
//! Every step opens its own sockets and reads and writes them with plain
//! std calls on a [`classroom::Traced`] stream, so each printed `send #N` /
//! `recv #N` is one system call. The fixes (a length before each message)
//! are lesson 05's `struct_header_fix`. Helpers: [`wait`] makes the demos
//! show the effect on every run, [`tcp_info`] counts a socket's segments and
//! unacknowledged bytes (Linux), and [`commands`] is the safe stand-in for document 001's
//! remote shell.
#![warn(missing_docs)]

pub mod buffers;
pub mod commands;
pub mod glue;
pub mod leftover;
pub mod nagle;
pub mod split;
pub mod tcp_info;
pub mod udp;
pub mod wait;
