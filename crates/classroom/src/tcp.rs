//! The TCP plumbing every lesson's servers and clients share: the
//! documents' one-client-at-a-time server loop, one `recv(1024)`, a client
//! session for `client STEP`, and the two-role demo runner.

use std::io::{self, ErrorKind, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use crate::cli::announce_listening;
use crate::errors::{context, explain};
use crate::{Side, run_roles};

/// How many bytes one `recv` asks for: the documents' `recv(1024)`.
pub const RECV_SIZE: usize = 1024;

/// How long either side waits for a silent peer before it gives up, so one
/// client that never sends (or a server that never answers) cannot hold the
/// other side for ever.
pub const PATIENCE: Duration = Duration::from_secs(30);

// ANCHOR: recv_once
/// One `recv(1024)`: read once, print what came. Returns the bytes, empty at
/// end of stream (the peer closed its side).
pub fn recv_once(stream: &mut TcpStream, out: &mut Side) -> io::Result<Vec<u8>> {
    recv_up_to(stream, out, RECV_SIZE)
}

/// One `recv(size)`: a single read of at most `size` bytes (the size is
/// the caller's choice, never the peer's), printed as it came.
pub fn recv_up_to(stream: &mut TcpStream, out: &mut Side, size: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; size];
    let n = stream.read(&mut buf)?;
    buf.truncate(n);
    if n == 0 {
        out.eof();
    } else {
        out.received(&buf);
    }
    Ok(buf)
}
// ANCHOR_END: recv_once

/// The most [`until_closed`] takes from a peer that should be closing.
pub const DRAIN_LIMIT: usize = 64 * 1024;

/// Read until the peer closes, printing anything that still arrives. A
/// server calls this before it lets a connection go, so it never closes
/// first by accident (lesson 02 shows what closing first costs). A peer
/// that sends more than [`DRAIN_LIMIT`] bytes instead of closing gets an
/// error: it must not hold a one-client-at-a-time server for ever.
pub fn until_closed(stream: &mut TcpStream, out: &mut Side) -> io::Result<()> {
    let mut total = 0;
    loop {
        let got = recv_once(stream, out)?.len();
        if got == 0 {
            return Ok(());
        }
        total += got;
        if total > DRAIN_LIMIT {
            return Err(io::Error::new(
                ErrorKind::InvalidData,
                format!("the peer sent more than {DRAIN_LIMIT} bytes instead of closing"),
            ));
        }
    }
}

/// Connect to `addr`; a failure says which address it was.
pub fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    TcpStream::connect(addr).map_err(|e| context(e, format!("connecting to {addr}")))
}

/// The client side of `client STEP` in two terminals: connect, say so, and
/// hand the stream to the step's client half.
///
/// Reads wait as long as the documents' clients do, with no timeout: in two
/// terminals the other side may be a person typing, or (lesson 01's
/// `one-at-a-time`) a server that will not answer until another client
/// leaves. Ctrl-C ends the wait.
pub fn client_session(
    addr: SocketAddr,
    talk: impl FnOnce(TcpStream, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = Side::client();
    let stream = connect(addr)?;
    out.say(format!("connected to {addr}"));
    talk(stream, &mut out)
}

// ANCHOR: serve_forever
/// Bind `addr`, print `listening on HOST:PORT`, and hand each connection to
/// `handle`, one at a time, until the process is stopped (Ctrl-C).
pub fn serve_forever(
    addr: SocketAddr,
    mut handle: impl FnMut(TcpStream, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let listener = TcpListener::bind(addr).map_err(|e| context(e, format!("binding {addr}")))?;
    announce_listening(&listener)?;
    loop {
        let mut out = Side::server();
        out.say("waiting for a connection (Ctrl-C to stop)");
        match listener.accept() {
            Ok((conn, peer)) => serve_connection(conn, peer, &mut out, &mut handle),
            Err(e) => out.say(format!("accept failed: {}", explain(&e))),
        }
    }
}
// ANCHOR_END: serve_forever

// ANCHOR: serve_connection
/// One accepted connection in a server loop: bound its waits by
/// [`PATIENCE`], run `handle`, and print how it ended. A client that
/// misbehaves (vanishes, resets, never sends) costs only its own
/// connection: the error is printed and the loop goes on.
pub fn serve_connection(
    conn: TcpStream,
    peer: SocketAddr,
    out: &mut Side,
    handle: impl FnOnce(TcpStream, &mut Side) -> io::Result<()>,
) {
    out.say(format!("accepted a connection from {peer}"));
    let outcome = conn
        .set_read_timeout(Some(PATIENCE))
        .and_then(|()| conn.set_write_timeout(Some(PATIENCE)))
        .and_then(|()| handle(conn, out));
    match outcome {
        Ok(()) => out.say(format!("done with {peer}")),
        Err(e) => out.say(format!("gave up on {peer}: {}", explain(&name_timeout(e)))),
    }
}
// ANCHOR_END: serve_connection

/// A read that waited [`PATIENCE`] in vain fails with the OS's words for a
/// timeout ("Resource temporarily unavailable" on Linux, which reads like a
/// non-blocking socket's error); say what happened instead.
pub fn name_timeout(error: io::Error) -> io::Error {
    match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => io::Error::new(
            ErrorKind::TimedOut,
            format!("nothing arrived from the peer for {} s", PATIENCE.as_secs()),
        ),
        _ => error,
    }
}

/// Run one step in one process: `serve` on a thread with the accepted
/// connection, `client` here with the connected stream. Either side may
/// take the stream wrapped in a type of its own (anything `From<TcpStream>`).
pub fn demo_pair<S, C>(
    serve: impl FnOnce(S, &mut Side) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(C, &mut Side) -> io::Result<()>,
) -> io::Result<()>
where
    S: From<TcpStream>,
    C: From<TcpStream>,
{
    let listener = TcpListener::bind(crate::cli::ephemeral())?;
    Side::server().say(format!("listening on {}", listener.local_addr()?));
    demo_pair_on(listener, serve, client)
}

/// [`demo_pair`] on a listener the caller bound (and announced) its own
/// way; returns the client's value once both roles are done.
///
/// The two roles take turns once, through two channels: the server prints
/// that it accepted, then the client prints that it connected, and only then
/// do both start their halves. After that the conversation itself orders
/// the lanes (a `recv` cannot print before the `send` it receives), so the
/// output is the same on every run.
pub fn demo_pair_on<S, C, T>(
    listener: TcpListener,
    serve: impl FnOnce(S, &mut Side) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(C, &mut Side) -> io::Result<T>,
) -> io::Result<T>
where
    S: From<TcpStream>,
    C: From<TcpStream>,
{
    let addr = listener.local_addr()?;
    let (accepted_tx, accepted) = mpsc::channel();
    let (go_tx, go) = mpsc::channel();
    run_roles(
        move || {
            let mut server = Side::server();
            let (conn, peer) = listener.accept()?;
            server.say(format!("accepted a connection from {peer}"));
            let _ = accepted_tx.send(());
            // If the client role failed it dropped `go_tx`; serve anyway.
            let _ = go.recv();
            serve(S::from(conn), &mut server)
        },
        || {
            let stream = TcpStream::connect(addr)?;
            accepted
                .recv()
                .map_err(|_| io::Error::other("the server stopped before accepting"))?;
            let mut out = Side::client();
            out.say(format!("connected to {addr}"));
            let _ = go_tx.send(());
            client(C::from(stream), &mut out)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_demo_pair_runs_both_halves_on_one_connection() {
        demo_pair(
            |mut conn: TcpStream, out| {
                let got = recv_once(&mut conn, out)?;
                conn.write_all(&got)?;
                until_closed(&mut conn, out)
            },
            |mut stream: TcpStream, out| {
                stream.write_all(b"ping")?;
                assert_eq!(recv_once(&mut stream, out)?, b"ping");
                Ok(())
            },
        )
        .unwrap();
    }

    #[test]
    fn a_client_session_waits_as_long_as_the_server_takes() {
        // The other side may be a person typing: no read timeout.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        client_session(addr, |stream, _| {
            assert_eq!(stream.read_timeout()?, None);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_timeout_is_called_a_timeout() {
        let err = name_timeout(io::Error::from(ErrorKind::WouldBlock));
        assert_eq!(err.kind(), ErrorKind::TimedOut);
        assert!(
            err.to_string()
                .starts_with("nothing arrived from the peer for 30 s")
        );
        let other = name_timeout(io::Error::from(ErrorKind::ConnectionReset));
        assert_eq!(other.kind(), ErrorKind::ConnectionReset);
    }

    #[test]
    fn a_refused_connection_names_the_address() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let err = connect(port).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
        assert!(
            err.to_string()
                .starts_with(&format!("connecting to {port}: "))
        );
    }
}
