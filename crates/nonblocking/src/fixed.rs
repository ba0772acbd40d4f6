//! `fixed` (the headline): the non-blocking programs of `broken`, with
//! "would block" taken for what it is, "not yet" (document 002 §4 says the
//! error can be caught, 可以try except; §5 catches it around `connect`;
//! port 8001).
//!
//! * `accept`, `recv` and `send` are tried again in a loop, with a piece
//!   of other work between two tries.
//! * `connect` answers "in progress": the handshake has started. It is over
//!   once the socket is writable (`poll` with `POLLOUT`; Windows:
//!   `WSAPoll`), and `SO_ERROR`
//!   (socket2's `take_error`) then says whether it worked: nothing, or the
//!   error, such as "connection refused".

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::errors::context;
use classroom::tcp::{PATIENCE, RECV_SIZE, closed_port};
use classroom::{Side, Traced, narrate, runner};
use socket2::{Domain, Protocol, Socket, Type};

use crate::os::{POLL, writable_now};
use crate::{MESSAGE, OtherWork, Turns, is_in_progress, os_error};

// ANCHOR: accept
/// The document's server after `setblocking(False)`, with "would block"
/// taken for "not yet": while no client is waiting, do a piece of other
/// work and try again. Returns the connection and the number of tries.
pub fn accept(
    listener: &TcpListener,
    work: &mut OtherWork,
) -> io::Result<(TcpStream, SocketAddr, u64)> {
    listener.set_nonblocking(true)?; // Python: sock.setblocking(False)
    let mut tries = 0;
    loop {
        tries += 1;
        match listener.accept() {
            // Python: conn, addr = sock.accept()
            Ok((conn, peer)) => return Ok((conn, peer, tries)),
            // FIX: not a failure, only "not yet": do something else, try again.
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                work.not_yet(&Side::server(), "accept()", tries, &e)?
            }
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: accept

// ANCHOR: server
/// The document's server for one client, never waiting inside a call: each
/// "would block" means "not yet", so it does a piece of other work and
/// tries again. The client gets `patience` in all: one that trickles or
/// goes silent is given up on then. Returns how many bytes came.
pub fn server(
    listener: &TcpListener,
    work: &mut OtherWork,
    patience: Duration,
) -> io::Result<usize> {
    let lane = Side::server();
    let (conn, peer, tries) = accept(listener, work)?;
    lane.say(format!(
        "accept() returned a connection from {peer} on try {tries}"
    ));
    // Each read checks the connection's deadline first: past it, the read
    // fails with "the connection's … are up" instead of trying again.
    let mut conn = Traced::new(conn, lane).with_patience(patience)?;
    conn.set_nonblocking(true)?; // Linux does not pass it on from the listener (macOS, Windows do)
    let (mut buf, mut total, mut tries) = ([0u8; RECV_SIZE], 0, 0);
    loop {
        tries += 1;
        match conn.read(&mut buf) {
            Ok(0) => break, // EOF: the client closed its side
            Ok(n) => total += n,
            // FIX: the same for recv(), within the client's time.
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                work.not_yet(conn.side(), "recv()", tries, &e)?
            }
            Err(e) => return Err(e),
        }
    }
    conn.say(format!("{total} bytes in all; so far, {}", work.summary()));
    Ok(total)
}
// ANCHOR_END: server

// ANCHOR: connect
/// Connect without waiting: start the handshake, do other work until the
/// socket is writable (the handshake is over), then read how it ended from
/// `SO_ERROR`. std's `TcpStream::connect` always waits, so the socket is
/// made with socket2, the way Python makes it.
pub fn connect(addr: SocketAddr, work: &mut OtherWork) -> io::Result<Traced<TcpStream>> {
    let lane = Side::client();
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_nonblocking(true)?; // Python: client.setblocking(False)
    match socket.connect(&addr.into()) {
        Ok(()) => lane.say(format!(
            "connect({addr}) without blocking: connected at once"
        )),
        // FIX: "in progress" is not a failure: the handshake has started.
        Err(e) if is_in_progress(&e) => lane.say(format!(
            "connect({addr}) without blocking: {}: the handshake has started",
            os_error(&e)
        )),
        Err(e) => return Err(e),
    }
    let (mut tries, deadline) = (0, Instant::now() + PATIENCE);
    let seen = loop {
        tries += 1;
        match writable_now(&socket) {
            Ok(seen) => break seen,
            Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                work.one_piece()
            }
            Err(e) => return Err(e),
        }
    };
    lane.say(format!("{POLL} saw {seen} on try {tries}"));
    // Writable means the handshake is over, not that it worked: SO_ERROR
    // holds the outcome (Python: getsockopt(SOL_SOCKET, SO_ERROR)).
    if let Some(e) = socket.take_error()? {
        lane.say(format!("SO_ERROR is {}", os_error(&e)));
        return Err(context(e, format!("connecting to {addr}")));
    }
    lane.say("SO_ERROR is 0: connected");
    Ok(Traced::new(socket.into(), lane))
}
// ANCHOR_END: connect

// ANCHOR: send_all
/// Python's `sendall` on a non-blocking socket: a full send buffer says
/// "would block" too, so `write` is tried again until every byte has gone.
pub fn send_all(stream: &mut impl Write, mut data: &[u8], work: &mut OtherWork) -> io::Result<()> {
    let deadline = Instant::now() + PATIENCE;
    while !data.is_empty() {
        match stream.write(data) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => data = &data[n..],
            Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                work.one_piece()
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
// ANCHOR_END: send_all

/// The document's client made non-blocking: connect, send each message,
/// close.
pub fn client(addr: SocketAddr, messages: &[String], work: &mut OtherWork) -> io::Result<()> {
    let mut stream = connect(addr, work)?;
    for message in messages {
        send_all(&mut stream, message.as_bytes(), work)?; // Python: client.sendall(…)
    }
    Ok(()) // dropping `stream` closes the connection
}

/// Both roles in one process. The server lets the client move only when a
/// call of its has said "would block", so each of those first tries says it
/// on every run; how many tries follow is the scheduler's business.
pub fn demo() -> io::Result<()> {
    let (server_turns, turns) = Turns::pair();
    runner::pair(
        move |listener| {
            let mut work = OtherWork::taking_turns(server_turns);
            server(listener, &mut work, PATIENCE).map(drop)
        },
        |addr| {
            let mut work = OtherWork::default();
            turns.wait()?; // the server's accept() has said "would block"
            let mut stream = connect(addr, &mut work)?;
            turns.pass();
            turns.wait()?; // its recv() has said "would block"
            send_all(&mut stream, MESSAGE.as_bytes(), &mut work)?;
            drop(stream); // close: the server's recv() sees EOF
            turns.pass();
            Ok(())
        },
    )?;
    narrate("the same non-blocking connect, to a port where nothing listens:");
    match connect(closed_port()?, &mut OtherWork::default()) {
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {}
        other => {
            return Err(io::Error::other(format!(
                "expected a refusal, got {other:?}"
            )));
        }
    }
    narrate(
        "writable only says the handshake is over; SO_ERROR said how it ended, at once, with no hang",
    );
    narrate("each \"would block\" meant \"not yet\": try again, with other work in between");
    narrate("but with no other work to do, this loop only burns CPU: `demo busy-loop` measures it");
    Ok(())
}
