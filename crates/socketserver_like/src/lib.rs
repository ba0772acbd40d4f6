//! Lesson 08: Python's `socketserver`, in Rust.
//!
//! The library half is a small `socketserver`: you write a
//! [`RequestHandler`] (what to do with one request), pick a server
//! ([`TcpServer`], [`UdpServer`], and on Unix [`UnixStreamServer`] and
//! [`UnixDatagramServer`]) and a [`Concurrency`] (one request at a time, a
//! thread per request, or a bounded pool of workers), and call
//! [`serve_forever`](Server::serve_forever). Another thread stops it with
//! [`ServerHandle::shutdown`].
//!
//! ```
//! use std::io::{BufRead, BufReader, Write};
//! use std::net::TcpStream;
//! use socketserver_like::{Concurrency, DEFAULT_POLL_INTERVAL, StreamRequest, TcpServer};
//!
//! // Python: class Handler(StreamRequestHandler): def handle(self): ...
//! let handler = |req: &mut StreamRequest| {
//!     let mut line = String::new();
//!     req.rfile.read_line(&mut line)?;
//!     req.wfile.write_all(line.to_uppercase().as_bytes())
//! };
//! // Python: ThreadingTCPServer(("127.0.0.1", 0), Handler)
//! let server = TcpServer::builder()
//!     .concurrency(Concurrency::threading())
//!     .bind(("127.0.0.1", 0), handler)?;
//! let serving = server.spawn(DEFAULT_POLL_INTERVAL)?; // serve_forever on a thread
//!
//! let mut client = TcpStream::connect(serving.server_address())?;
//! client.write_all(b"hello\n")?;
//! let mut reply = String::new();
//! BufReader::new(client).read_line(&mut reply)?;
//! assert_eq!(reply, "HELLO\n");
//!
//! serving.shutdown()?.server_close(); // shutdown(), then server_close()
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The lesson half is one module per step, each used by the narrated
//! `demo STEP` and by the two-terminal `server STEP` / `client STEP`:
//!
//! | step | module | documents |
//! |---|---|---|
//! | `upper` | [`upper`] | 000 §socketserver |
//! | `welcome` | [`welcome`] | 003 (a thread per connection) |
//! | `sequential`, `threading` | [`slow`] | 003, 004 §4.3 |
//! | `pool` | [`pool`] | beyond the documents |
//! | `udp` | [`udp`] | 000 §socketserver, 003 (UDP 9999) |
//! | `shutdown` | [`shutdown`] | beyond the documents |
#![warn(missing_docs)]

mod concurrency;
mod datagram;
mod handler;
mod inet;
mod server;
mod stream;
#[cfg(unix)]
mod unix;
mod wait;

pub mod pool;
pub mod shutdown;
pub mod slow;
pub mod udp;
pub mod upper;
pub mod welcome;

pub use concurrency::{Concurrency, ThreadPool};
pub use datagram::{Datagram, DatagramRequest, DatagramSocket};
pub use handler::{BaseRequest, Request, RequestError, RequestHandler};
pub use inet::{TcpServer, UdpServer};
pub use server::{
    DEFAULT_POLL_INTERVAL, Listen, Served, Server, ServerBuilder, ServerHandle, Serving, Stats,
};
pub use stream::{SocketIo, Stream, StreamOptions, StreamRequest};
#[cfg(unix)]
pub use unix::{UnixDatagramServer, UnixStreamServer};

use std::io::{self, BufRead, Read};
use std::time::Duration;

use classroom::Side;

/// How long a demo's client listens for an answer before it reports that
/// none came: how the demos show an absence.
pub const NO_ANSWER: Duration = Duration::from_millis(300);

/// The longest line a line-based handler accepts: a peer does not get to
/// choose how much memory we use.
pub const MAX_LINE: usize = 1024;

/// Read one line (up to and including `\n`) from `reader`, at most
/// `limit` bytes of it. `None` at end of stream; a last line without `\n`
/// is still a line; a longer line is an `InvalidData` error.
///
/// `BufRead::read_line` alone would grow its buffer for as long as the
/// peer sends without a newline.
///
/// ```
/// use socketserver_like::read_line;
///
/// let mut input: &[u8] = b"Ada\nLinus";
/// assert_eq!(read_line(&mut input, 16)?.as_deref(), Some(&b"Ada\n"[..]));
/// assert_eq!(read_line(&mut input, 16)?.as_deref(), Some(&b"Linus"[..]));
/// assert_eq!(read_line(&mut input, 16)?, None);
/// assert!(read_line(&mut &b"far too long\n"[..], 4).is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: read_line
pub fn read_line(reader: &mut impl BufRead, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    // One byte past the limit tells "exactly the limit" from "too long".
    reader.take(limit as u64 + 1).read_until(b'\n', &mut line)?;
    if line.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a line longer than {limit} bytes"),
        ));
    }
    Ok((!line.is_empty()).then_some(line))
}
// ANCHOR_END: read_line

/// A line without its line ending (`\n` or `\r\n`).
///
/// ```
/// assert_eq!(socketserver_like::chomp(b"exit\r\n"), b"exit");
/// assert_eq!(socketserver_like::chomp(b"exit"), b"exit");
/// ```
pub fn chomp(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The messages `client STEP` sends: its MESSAGE arguments, or the
/// document's one message when it was given none.
///
/// ```
/// use socketserver_like::messages_or;
///
/// assert_eq!(messages_or(&[], "hello"), ["hello"]);
/// assert_eq!(messages_or(&["a".into(), "b".into()], "hello"), ["a", "b"]);
/// ```
pub fn messages_or<'a>(messages: &'a [String], default: &'a str) -> Vec<&'a str> {
    if messages.is_empty() {
        vec![default]
    } else {
        messages.iter().map(String::as_str).collect()
    }
}

/// Set a two-terminal or demo server's `handle_error` to print in the
/// server's lane, with the hint for errors a student will meet.
///
/// ```
/// use socketserver_like::{BaseRequest, TcpServer, errors_in_lane};
///
/// let server = errors_in_lane(TcpServer::builder())
///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn errors_in_lane<L: Listen>(builder: ServerBuilder<L>) -> ServerBuilder<L> {
    builder.handle_error(|client_address, error| {
        Side::server().say(format!(
            "gave up on {client_address:?}: {}",
            error.explain()
        ));
    })
}

/// Print `listening on HOST:PORT` for a TCP server and serve until the
/// process is stopped: every two-terminal TCP server.
///
/// ```no_run
/// use socketserver_like::{BaseRequest, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 9999), |_: &mut BaseRequest| Ok(()))?;
/// socketserver_like::serve_tcp(server)?; // until Ctrl-C
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn serve_tcp(server: TcpServer) -> io::Result<()> {
    classroom::cli::announce_listening(server.socket())?;
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

pub use classroom::cli::no_messages;
// The documents' `recv(1024)`, `connect` and the patience with a silent
// peer are the same in every lesson: classroom has them.
pub use classroom::tcp::{PATIENCE, connect, recv_once};
