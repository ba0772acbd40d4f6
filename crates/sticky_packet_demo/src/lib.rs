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
//!
//! The fixes (a length before each message) are lesson 05's
//! `struct_header_fix`. Helpers: [`wait`] makes the demos show the effect on
//! every run, [`tcp_info`] counts the segments a socket sent (Linux), and
//! [`commands`] (run in [`samples`]' private folder) is the safe stand-in
//! for document 001's remote shell.
#![warn(missing_docs)]

pub mod commands;
pub mod glue;
pub mod leftover;
pub mod nagle;
pub mod samples;
pub mod split;
pub mod tcp_info;
pub mod udp;
pub mod wait;

use std::io;
use std::net::{TcpListener, TcpStream};

use classroom::Side;
use classroom::bytes::{PREVIEW, hex};

/// How many bytes one `recv` asks for: the documents' `recv(1024)`.
pub use classroom::tcp::RECV_SIZE;

/// The most a server takes from one client before it gives up on it, so a
/// client that floods cannot keep it busy for ever.
pub const DRAIN_LIMIT: usize = 64 * 1024;

pub use classroom::tcp::recv_up_to;

/// Print a second line under a send or a receive: the bytes in hex, so the
/// UTF-8 of each character can be counted (`翔` is `e7 bf 94`).
pub fn show_hex(out: &Side, data: &[u8]) {
    let shown = &data[..data.len().min(PREVIEW)];
    let more = if shown.len() < data.len() { " …" } else { "" };
    out.say(format!("  hex: {}{more}", hex(shown)));
}

/// Read until the peer closes, printing every read, and give up with an
/// error once more than `limit` bytes came. Returns every read, the final
/// empty one included.
pub fn until_closed(
    stream: &mut TcpStream,
    out: &mut Side,
    limit: usize,
) -> io::Result<Vec<Vec<u8>>> {
    let mut reads = Vec::new();
    let mut total = 0;
    loop {
        let data = recv_up_to(stream, out, RECV_SIZE)?;
        let done = data.is_empty();
        total += data.len();
        reads.push(data);
        if done {
            return Ok(reads);
        }
        if total > limit {
            return Err(io::Error::other(format!(
                "the client sent more than {limit} bytes; closing its connection"
            )));
        }
    }
}

/// A connected pair on loopback, `(client, server)`, for demos whose two
/// roles can take turns on one thread: everything they send fits in the
/// socket buffers, so neither side ever waits for the other to read.
pub fn connected_pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    // `connect` returns once the kernel has done the handshake; the
    // connection then waits in the listen queue until `accept` takes it.
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    Ok((client, server))
}
