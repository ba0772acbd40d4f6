//! Lesson 07: IO multiplexing (IO多路复用), document 002 §4–§5: one thread serves many
//! sockets by asking the kernel *which* are ready. A module per step; one per system.
#![warn(missing_docs)]

pub mod blocking;
pub mod download;
#[cfg(target_os = "linux")]
pub mod edge;
#[cfg(target_os = "linux")]
pub mod epoll;
pub mod http;
pub mod limit;
pub mod multiplex;
// This system's waiting calls, nix or Winsock (public: the exercises use them).
#[cfg_attr(unix, path = "os/unix.rs")]
#[cfg_attr(windows, path = "os/windows.rs")]
#[allow(missing_docs)]
pub mod os;
pub mod poll;
pub mod scaling;
pub mod select;

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use classroom::{Traced, errors::bind_failed, tcp::is_timeout};
use socket2::{Domain, Socket, Type};

/// The port of document 002's `select` server (and of its blocking server).
pub const PORT: u16 = 8001;
/// An event loop's round, at most: `select.select(inputs, [], [], 0.05)`.
pub const ROUND_MS: u16 = 50;
/// How long a client waits for its echo before it says none came.
pub const ECHO_PATIENCE: Duration = Duration::from_secs(2);
/// The accept queue [`bind_listener`] asks for.
pub const BACKLOG: i32 = 1024;

/// A listening socket on `addr`, with a longer accept queue than the
/// documents' `listen(5)`: a burst of clients queues instead of retrying.
pub fn bind_listener(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    // What std's TcpListener::bind does on Unix too: a restarted server can
    // bind again while old connections sit in TIME_WAIT (lesson 02).
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    (socket.bind(&addr.into())).map_err(|e| bind_failed(e, addr, "TCP"))?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

/// Read until `len` bytes have come back or the read timeout runs out;
/// return what came. The peer closing first is an `UnexpectedEof` error.
pub fn read_echo(stream: &mut impl Read, len: usize) -> io::Result<Vec<u8>> {
    let (mut got, mut filled) = (vec![0u8; len], 0);
    while filled < len {
        match stream.read(&mut got[filled..]) {
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if is_timeout(&e) => break,
            Err(e) => return Err(e),
        }
    }
    got.truncate(filled);
    Ok(got)
}

/// `client STEP` for every echo server: send each MESSAGE (or each line
/// typed) and read its echo, until `q` or the server closes, which it says.
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
        stream.write_all(line.as_bytes())?; // Python: client.sendall(content.encode('utf-8'))
        match read_echo(&mut stream, line.len()) {
            Ok(echo) if echo.is_empty() => stream.say(format!(
                "no echo within {ECHO_PATIENCE:?} (a server that only prints, like the document's, sends none)"
            )),
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => {
                stream.say("the server closed the connection: it was stopped, or our time (its --patience) was up");
                break;
            }
            echo => drop(echo?),
        }
    }
    Ok(())
}
