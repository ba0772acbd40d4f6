//! Lesson 07: IO multiplexing (IO多路复用). One thread serves many sockets by
//! asking the kernel *which* of them are ready, instead of blocking on one.
//!
//! Document 002 §4–§5 in order: [`blocking`] calls serve one client at a
//! time; the [`select`] server serves many from one thread, and so do the
//! same server with [`poll`] and with [`epoll`] (Linux), sharing
//! [`select::Conn`], what a ready connection does; the `select` client of
//! [`download`] fetches five pictures at once (from [`http`]'s server);
//! [`limit`] shows that `select` cannot watch descriptor 1024, [`edge`]
//! edge-triggered `epoll` done wrong and right, and [`scaling`] what each
//! call costs beside 10 to 10,000 idle connections. [`multiplex`] runs any
//! of the three servers. What needs `nix` is Unix only.
#![warn(missing_docs)]

pub mod blocking;
#[cfg(unix)]
pub mod download;
#[cfg(target_os = "linux")]
pub mod edge;
#[cfg(target_os = "linux")]
pub mod epoll;
pub mod http;
#[cfg(unix)]
pub mod limit;
#[cfg(unix)]
pub mod multiplex;
#[cfg(unix)]
pub mod poll;
#[cfg(unix)]
pub mod rlimit;
#[cfg(unix)]
pub mod scaling;
#[cfg(unix)]
pub mod select;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use classroom::Traced;
use classroom::tcp::is_timeout;
use socket2::{Domain, Socket, Type};

/// The port of document 002's `select` server (and of its blocking server).
pub const PORT: u16 = 8001;

/// How long one round of an event loop waits at most, in milliseconds: the
/// document's `select.select(inputs, [], [], 0.05)`.
pub const ROUND_MS: u16 = 50;

/// How long a client waits for its echo before it says none came.
pub const ECHO_PATIENCE: Duration = Duration::from_secs(2);

/// The accept queue [`bind_listener`] asks for.
pub const BACKLOG: i32 = 1024;

/// A listening socket on `addr`. The documents call `listen(5)`; a longer
/// accept queue, [`BACKLOG`], lets a burst of clients (the tests' 200)
/// queue rather than retry their handshake a second later.
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

/// Read until `len` bytes have come back, the peer closes, or the read
/// timeout runs out (a server that only prints, like the document's, sends
/// nothing back); return what came.
pub fn read_echo(stream: &mut impl Read, len: usize) -> io::Result<Vec<u8>> {
    let mut got = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        match stream.read(&mut got[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => break,
            Err(e) => return Err(e),
        }
    }
    got.truncate(filled);
    Ok(got)
}

/// Send `message` and read its echo (or say that none came).
pub fn echo_round(stream: &mut Traced<TcpStream>, message: &[u8]) -> io::Result<()> {
    stream.write_all(message)?; // Python: client.sendall(content.encode('utf-8'))
    if read_echo(stream, message.len())?.is_empty() {
        stream.say(match stream.read_timeout()? {
            Some(waited) => format!(
                "no echo within {waited:?} (a server that only prints, like the document's, sends none)"
            ),
            None => "no echo: the server closed the connection".to_owned(),
        });
    }
    Ok(())
}

/// `client STEP`, the same for every echo server: connect, then send each
/// MESSAGE (or each line typed) and print the echo, until `q`.
pub fn client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: client.connect(('127.0.0.1', 8001))
    let mut stream = Traced::connected(stream)?;
    stream.set_read_timeout(Some(ECHO_PATIENCE))?;
    for line in classroom::cli::input_lines(messages) {
        if line.eq_ignore_ascii_case("q") {
            break; // the document's client stops at Q without sending it
        }
        if line.is_empty() {
            stream.say("an empty line is not sent: TCP has no empty messages");
            continue;
        }
        echo_round(&mut stream, line.as_bytes())?;
    }
    Ok(())
}
