//! Lesson 07: IO multiplexing (IO多路复用). One thread serves many sockets by
//! asking the kernel *which* of them are ready, instead of blocking on one.
//!
//! Document 002 §5 builds a `select` server (an `inputs` list, a 0.05 s
//! timeout, accept / read / close) and a `select` client (five non-blocking
//! connects that download an image), then compares `select`, `poll` and
//! `epoll`. Each module below is one step of that story:
//!
//! | step | module | what it shows |
//! |---|---|---|
//! | `blocking` | [`blocking`] | blocking calls: client 2 waits for client 1 to leave |
//! | `select` | [`select`] | the document's `select` server: several clients, one thread |
//! | `client-broken`, `client` | [`download`] | the document's `select` client, and why one `recv` truncates an image |
//! | `poll` | [`poll`] | the same server with `poll` |
//! | `epoll` | [`epoll`] | the same server with `epoll` (Linux) |
//! | `limit` | [`limit`] | `select` cannot watch descriptor 1024; `poll` and `epoll` can |
//! | `edge` | [`edge`] | edge-triggered `epoll` done wrong and done right (Linux) |
//! | `scaling` | [`scaling`] | the cost of one round trip with 10 … 10,000 idle connections |
//!
//! The three servers share [`conn::Conn`], the per-connection echo logic, so
//! that what differs between them is only the waiting call; [`multiplex`]
//! runs any of them (demo or two-terminal server), and [`log`] is how a loop
//! reports what it did. [`http`] and [`png`] serve the picture the `client`
//! steps download.
#![warn(missing_docs)]

pub mod blocking;
#[cfg(unix)]
pub mod conn;
#[cfg(unix)]
pub mod download;
#[cfg(target_os = "linux")]
pub mod edge;
#[cfg(target_os = "linux")]
pub mod epoll;
pub mod http;
#[cfg(unix)]
pub mod limit;
pub mod log;
#[cfg(unix)]
pub mod multiplex;
pub mod png;
#[cfg(unix)]
pub mod poll;
#[cfg(unix)]
pub mod rlimit;
#[cfg(unix)]
pub mod scaling;
#[cfg(unix)]
pub mod select;

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use classroom::Side;
use socket2::{Domain, Socket, Type};

/// The port of document 002's `select` server (and of its blocking server).
pub const PORT: u16 = 8001;

/// How many bytes one read asks for: the documents' `recv(1024)`.
pub use classroom::tcp::RECV_SIZE;

/// How long one round of the event loop waits at most, in milliseconds: the
/// document's `select.select(inputs, [], [], 0.05)`.
pub const ROUND_MS: u16 = 50;

/// How long a client waits for its echo before it says none came.
pub const ECHO_PATIENCE: Duration = Duration::from_secs(2);

/// The accept queue [`bind_listener`] asks for.
pub const BACKLOG: i32 = 1024;

/// A listening socket on `addr`.
///
/// The documents call `listen(5)`. We ask for a longer accept queue,
/// [`BACKLOG`] (the kernel caps it at its own maximum), so that a burst of
/// clients, such as the tests' 200, is queued rather than made to retry its
/// handshake a second later.
pub fn bind_listener(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    // What std's TcpListener::bind does on Unix too: a restarted server can
    // bind again while old connections sit in TIME_WAIT (lesson 02).
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket
        .bind(&addr.into())
        .map_err(|e| classroom::errors::context(e, format!("binding {addr}")))?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

pub use classroom::tcp::connect;

/// Read until `len` bytes have come back, the peer closes, or the read
/// timeout set on `stream` runs out. Returns what came, possibly less.
///
/// TCP may hand the echo back in pieces, so one `read` is not enough; and a
/// server that does not echo at all (the document's only prints) must not
/// leave us waiting for ever.
pub fn read_echo(stream: &mut TcpStream, len: usize) -> io::Result<Vec<u8>> {
    let mut got = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        match stream.read(&mut got[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
            Err(e) => return Err(e),
        }
    }
    got.truncate(filled);
    Ok(got)
}

/// Send `message` and print the echo (or say that none came).
pub fn send_and_check(stream: &mut TcpStream, out: &mut Side, message: &[u8]) -> io::Result<()> {
    out.sent(message);
    stream.write_all(message)?;
    let echo = read_echo(stream, message.len())?;
    if echo.is_empty() {
        // Name the wait this stream really had: a demo waits longer than
        // a two-terminal client, and without a timeout only EOF ends it.
        out.say(match stream.read_timeout()? {
            Some(waited) => format!(
                "no echo within {waited:?} (a server that only prints, like the document's, sends none)"
            ),
            None => "no echo: the server closed the connection".to_owned(),
        });
    } else {
        out.received(&echo);
    }
    Ok(())
}

/// The two-terminal client of every echo step: connect, then send each
/// MESSAGE (or each line typed) and print the echo, until `q`.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut out = Side::client();
    let mut stream = connect(addr)?;
    out.say(format!("connected to {addr}"));
    stream.set_read_timeout(Some(ECHO_PATIENCE))?;
    for line in classroom::cli::input_lines(messages) {
        if line.eq_ignore_ascii_case("q") {
            break; // the document's client stops at Q without sending it
        }
        if line.is_empty() {
            out.say("an empty line is not sent: TCP has no empty messages");
            continue;
        }
        send_and_check(&mut stream, &mut out, line.as_bytes())?;
    }
    Ok(())
}

/// The error for a step that needs something this platform lacks, naming
/// what to run instead.
pub fn unsupported(what: &str, instead: &str) -> io::Error {
    io::Error::new(ErrorKind::Unsupported, format!("{what}; {instead}"))
}

/// What a demo prints (and returns `Ok`) on a platform that lacks what the
/// step needs, so `demo all` carries on with the steps that do run.
pub fn say_unsupported(what: &str, instead: &str) -> io::Result<()> {
    classroom::narrate(format!("{what}; {instead}"));
    Ok(())
}
