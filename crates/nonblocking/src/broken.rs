//! `broken`: document 002's two programs with `setblocking(False)` added
//! and nothing else changed (§4 阻塞和非阻塞, port 8001). Every call that
//! used to wait now fails at once: `accept` and `recv` with "would block"
//! (`EAGAIN`, also named `EWOULDBLOCK`), `connect` with "operation now in
//! progress" (`EINPROGRESS`). Python raises `BlockingIOError` for all three;
//! Rust returns an `io::Error`, and the `?` the programs use for every
//! other error ends them just the same.
//!
//! As a demo this is the expected outcome: each error is printed and the
//! demo exits 0. `server broken` and `client broken` behave like the
//! document's programs: they stop at their first error, with exit code 1,
//! the way the Python programs stop with a traceback.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::cli::ephemeral;
use classroom::errors::context;
use classroom::tcp::RECV_SIZE;
use classroom::{Side, Traced, narrate};
use socket2::{Domain, Protocol, Socket, Type};

use crate::{OtherWork, is_in_progress, os_error};

// ANCHOR: accept_naive
/// The document's server after `setblocking(False)`: accept, but only if a
/// client is already waiting.
pub fn accept_naive(listener: &TcpListener) -> io::Result<(TcpStream, SocketAddr)> {
    listener.set_nonblocking(true)?; // Python: sock.setblocking(False)
    // BUG: with no client waiting, accept() does not wait for one: it fails
    // at once with "would block", and the caller's `?` ends the program.
    listener.accept() // Python: conn, addr = sock.accept()
}
// ANCHOR_END: accept_naive

// ANCHOR: recv_naive
/// The document's `conn.recv(1024)` on a non-blocking connection.
pub fn recv_naive(conn: &mut Traced<TcpStream>) -> io::Result<usize> {
    // Linux does not pass non-blocking mode on from the listener to the
    // connections it accepts (macOS and Windows do): set it here.
    conn.set_nonblocking(true)?;
    let mut buf = [0u8; RECV_SIZE];
    // BUG: if nothing has arrived yet, recv() fails at once with "would block".
    conn.read(&mut buf) // Python: client_data = conn.recv(1024)
}
// ANCHOR_END: recv_naive

// ANCHOR: connect_naive
/// The document's client after `setblocking(False)`: connect, then send.
pub fn connect_naive(addr: SocketAddr) -> io::Result<TcpStream> {
    // std's TcpStream::connect always blocks; socket2 can connect a socket
    // that is already non-blocking, as Python does.
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_nonblocking(true)?; // Python: client.setblocking(False)
    // BUG: connect() only starts the handshake and returns at once with
    // "operation now in progress"; the `?` ends the program before sendall.
    socket.connect(&addr.into())?; // Python: client.connect(('127.0.0.1', 8001))
    Ok(socket.into())
}
// ANCHOR_END: connect_naive

/// Print the would-block error a call was expected to fail with; anything
/// else is a real failure of the demo.
fn show_failure<T>(out: &Side, call: &str, result: io::Result<T>) -> io::Result<()> {
    match result {
        Err(e) if is_in_progress(&e) => {
            out.say(format!("{call} failed at once: {}", os_error(&e)));
            Ok(())
        }
        Err(e) => Err(e),
        Ok(_) => Err(io::Error::other(format!(
            "{call} was expected to fail with \"would block\", and it succeeded"
        ))),
    }
}

/// The error the two-terminal programs stop with: the OS error and its
/// name, and the kind "would block" so the hint names this lesson (Python
/// too files `EINPROGRESS` under `BlockingIOError`).
fn stopped_at(call: &str, e: io::Error) -> io::Error {
    if is_in_progress(&e) {
        io::Error::new(
            ErrorKind::WouldBlock,
            format!("{call} failed at once: {}", os_error(&e)),
        )
    } else {
        context(e, call)
    }
}

/// All three failures, in one thread: nothing here waits, so nothing needs
/// synchronising.
pub fn demo() -> io::Result<()> {
    narrate("document 002's two programs with setblocking(False) added and nothing else changed");
    let listener = TcpListener::bind(ephemeral())?;
    let addr = listener.local_addr()?;
    let server = Side::server();
    server.say(format!("listening on {addr}"));
    server.say("setblocking(False), then accept()");
    show_failure(&server, "accept()", accept_naive(&listener))?;
    narrate(
        "no client was waiting, and a non-blocking accept() does not wait for one: Python raises BlockingIOError here and the server stops",
    );

    narrate(
        "suppose a client had been there: one connects the blocking way, and the server accepts it",
    );
    let _blocking_client = Traced::connected(TcpStream::connect(addr)?)?;
    // The listener stays non-blocking, as in the document; the fixed accept
    // tries again in case the kernel has not queued the client yet.
    let (conn, peer, _) = crate::fixed::accept(&listener, &mut OtherWork::default())?;
    let mut conn = Traced::accepted(conn, peer)?;
    if let Some(nonblocking) = crate::os::nonblocking_mode(&*conn)? {
        conn.say(match nonblocking {
            false => "the connection accept() returned is blocking: Linux does not pass the listener's O_NONBLOCK on",
            true => "the connection accept() returned is non-blocking: it took the listener's O_NONBLOCK",
        });
    }
    conn.say("setblocking(False) on the connection, then recv(1024)");
    show_failure(&server, "recv()", recv_naive(&mut conn))?;
    narrate(
        "the client has sent nothing yet, so recv() has nothing to return: the second BlockingIOError",
    );

    let client = Side::client();
    client.say(format!("setblocking(False), then connect({addr})"));
    show_failure(&client, "connect()", connect_naive(addr))?;
    narrate(
        "the handshake has only started, and a non-blocking connect() does not wait for it to end: the third BlockingIOError, and the client stops before sendall",
    );
    narrate(
        "none of the three is broken networking: \"would block\" means \"not yet\"; `demo fixed` catches it and tries again",
    );
    Ok(())
}

/// `server broken`: the document's non-blocking server, on a listener
/// `main` has bound. It stops at the first "would block", unless a client
/// was already waiting.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    Side::server().say("setblocking(False), then accept()");
    let (conn, peer) = accept_naive(listener).map_err(|e| stopped_at("accept()", e))?;
    let mut conn = Traced::accepted(conn, peer)?;
    recv_naive(&mut conn).map_err(|e| stopped_at("recv()", e))?;
    Ok(())
}

/// `client broken`: the document's non-blocking client. It stops at
/// `connect`, whether or not a server is listening.
pub fn client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    Side::client().say(format!("setblocking(False), then connect({addr})"));
    let stream = connect_naive(addr).map_err(|e| stopped_at("connect()", e))?;
    let mut stream = Traced::client(stream);
    for message in messages {
        stream.write_all(message.as_bytes())?; // Python: client.sendall(…)
    }
    Ok(())
}
