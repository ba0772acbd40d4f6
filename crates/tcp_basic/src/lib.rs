//! Lesson 01: TCP sockets, the way the documents build them, one idea per
//! module.
//!
//! Each module holds the two halves of one step: what the server does with
//! one connection, and what the client does. The same functions run in two
//! terminals (`server STEP` / `client STEP`) and in the narrated `demo STEP`,
//! where the two roles share one process and are synchronised so the output
//! reads the same every run.
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
#![warn(missing_docs)]

pub mod chat;
pub mod connect;
pub mod half_close;
pub mod hello;
pub mod http;
pub mod methods;
pub mod one_at_a_time;
pub mod sendall;
pub mod serve;
pub mod server_first;

use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;

use classroom::{Side, run_roles};

/// How many bytes one `recv` asks for: the documents' `recv(1024)`.
pub const RECV_SIZE: usize = 1024;

// ANCHOR: recv_once
/// One `recv(1024)`: read once, print what came. Returns the bytes, empty at
/// end of stream (the peer closed its side).
pub fn recv_once(stream: &mut TcpStream, out: &mut Side) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; RECV_SIZE];
    let n = stream.read(&mut buf)?;
    if n == 0 {
        out.eof();
    } else {
        out.received(&buf[..n]);
    }
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: recv_once

/// Connect to `addr`; a failure says which address it was.
pub fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    TcpStream::connect(addr)
        .map_err(|e| classroom::errors::context(e, format!("connecting to {addr}")))
}

/// The client side of `client STEP` in two terminals: connect, say so, and
/// hand the stream to the step's client half.
pub fn client_session(
    addr: SocketAddr,
    talk: impl FnOnce(TcpStream, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = Side::client();
    let stream = connect(addr)?;
    out.say(format!("connected to {addr}"));
    talk(stream, &mut out)
}

/// Refuse MESSAGE arguments for a client step that sends none of its own.
pub fn no_messages(step: &str, messages: &[String]) -> io::Result<()> {
    if messages.is_empty() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`client {step}` sends no message of its own; drop the MESSAGE arguments"),
        ))
    }
}

/// Read until the peer closes, printing anything that still arrives. A
/// server calls this before it lets a connection go, so it never closes
/// first by accident (lesson 02 shows what closing first costs).
pub fn until_closed(stream: &mut TcpStream, out: &mut Side) -> io::Result<()> {
    while !recv_once(stream, out)?.is_empty() {}
    Ok(())
}

/// Run one step in one process: `serve` on a thread with the accepted
/// connection, `client` here with the connected stream.
///
/// The two roles take turns once, through two channels: the server prints
/// that it accepted, then the client prints that it connected, and only then
/// do both start their halves. After that the conversation itself orders
/// the lanes (a `recv` cannot print before the `send` it receives), so the
/// output is the same on every run.
pub fn demo_pair(
    serve: impl FnOnce(TcpStream, &mut Side) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(TcpStream, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}"));
    let (accepted_tx, accepted) = mpsc::channel();
    let (go_tx, go) = mpsc::channel();
    run_roles(
        move || {
            let (conn, peer) = listener.accept()?;
            server.say(format!("accepted a connection from {peer}"));
            let _ = accepted_tx.send(());
            // If the client role failed it dropped `go_tx`; serve anyway.
            let _ = go.recv();
            serve(conn, &mut server)
        },
        || {
            let stream = TcpStream::connect(addr)?;
            accepted
                .recv()
                .map_err(|_| io::Error::other("the server stopped before accepting"))?;
            let mut out = Side::client();
            out.say(format!("connected to {addr}"));
            let _ = go_tx.send(());
            client(stream, &mut out)
        },
    )
}
