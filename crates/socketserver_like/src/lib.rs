//! Lesson 08: Python's `socketserver`, in Rust: a [`BaseRequestHandler`] on a [`TcpServer`],
//! [`UdpServer`] or server of [`Watched`] lines, perhaps with [`Server::threading`] or
//! [`Server::pool`], and [`Server::serve_forever`]. Then one module per step.
#![warn(missing_docs)]

mod handler;
mod server;
mod thread_pool;
mod watched;

// What differs between systems, one file each.
#[cfg_attr(unix, path = "unix.rs")]
#[cfg_attr(windows, path = "windows.rs")]
mod os;

pub mod pool;
pub mod shutdown;
pub mod slow;
pub mod udp;
pub mod upper;
pub mod welcome;

pub use handler::{BaseRequestHandler, Request};
pub use server::{
    BACKLOG, DEFAULT_POLL_INTERVAL, Datagram, Listen, MAX_PACKET_SIZE, REQUEST_QUEUE_SIZE, Server,
    ServerHandle, Stats, TcpServer, UdpServer, server_bind,
};
pub use watched::{Message, Watched};

use std::io::{self, BufRead, Read};
use std::net::SocketAddr;
use std::time::Duration;

/// The documents' `socketserver` port, for TCP and for UDP at the same time (document 003).
pub const PORT: u16 = 9999;

/// How long a demo's client listens before it reports that no answer came.
pub const NO_ANSWER: Duration = Duration::from_millis(300);

/// The longest line a handler takes: a peer does not choose how much memory we use.
pub const MAX_LINE: usize = 1024;

// ANCHOR: read_line
/// Python's `rfile.readline()`, with a limit: one line (up to and with its
/// `\n`), `None` at end of stream, an `InvalidData` error past `limit`.
/// `BufRead::read_line` alone would grow for as long as the peer sends
/// without a newline.
pub fn read_line(reader: &mut impl BufRead, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    // One byte past the limit tells "exactly the limit" from "too long".
    reader.take(limit as u64 + 1).read_until(b'\n', &mut line)?;
    if line.len() > limit {
        let error = format!("a line longer than {limit} bytes");
        return Err(io::Error::new(io::ErrorKind::InvalidData, error));
    }
    Ok((!line.is_empty()).then_some(line))
}
// ANCHOR_END: read_line

/// A line without its line ending (`\n` or `\r\n`).
pub fn chomp(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `server STEP` for a TCP step: print `listening on HOST:PORT`, then `serve_forever`.
pub fn serve_tcp(server: TcpServer) -> io::Result<()> {
    classroom::cli::announce_listening(server.socket())?;
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// A demo's `script` against `server`, which serves `how`: what the script
/// returned, and what the server counted by the end of `server_close()`.
pub(crate) fn run_demo<L: Listen, T>(
    server: Server<L>,
    how: &str,
    script: impl FnOnce(SocketAddr) -> io::Result<T>,
) -> io::Result<(T, Stats)> {
    let (addr, handle) = (server.server_address()?, server.handle());
    classroom::Side::server().say(format!("listening on {addr}: {how}"));
    let value = server.serve_while(|| script(addr));
    server.server_close();
    Ok((value?, handle.stats()))
}
