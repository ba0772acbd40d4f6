//! `fixed` (the headline): the non-blocking programs of `broken`, with
//! "would block" treated as what it is, "not yet" (document 002 §4 says the
//! error can be caught, 可以try except; §5 catches it around `connect`;
//! port 8001).
//!
//! * `accept` and `recv` are simply tried again, with a piece of other work
//!   in between ([`until_ready`]).
//! * `connect` answers "in progress": the handshake has started. It is over
//!   once the socket is writable (`poll` with `POLLOUT`), and `SO_ERROR`
//!   (socket2's `take_error`) then says whether it worked: nothing, or the
//!   error, such as "connection refused".

use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use classroom::cli::{announce_listening, ephemeral};
use classroom::errors::{context, explain};
use classroom::tcp::PATIENCE;
use classroom::{Side, narrate, run_roles};
use socket2::{Domain, Protocol, Socket, Type};

use crate::os::{needs_unix, writable_now};
use crate::{
    GIVE_UP_AFTER, MESSAGE, OtherWork, is_in_progress, next_turn, os_error, recv_once, until_ready,
};

// ANCHOR: start_connect
/// Start connecting without waiting for the handshake: a non-blocking
/// socket, then `connect`. Returns the socket and what `connect` said:
/// normally "operation now in progress".
pub fn start_connect(addr: SocketAddr) -> io::Result<(Socket, Option<io::Error>)> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_nonblocking(true)?;
    match socket.connect(&addr.into()) {
        Ok(()) => Ok((socket, None)), // done at once: allowed, if rare
        // FIX: "in progress" is not a failure: the handshake has started.
        Err(e) if is_in_progress(&e) => Ok((socket, Some(e))),
        Err(e) => Err(e),
    }
}
// ANCHOR_END: start_connect

// ANCHOR: finish_connect
/// Wait until the handshake `start_connect` began is over, doing other work
/// meanwhile, then read its outcome from `SO_ERROR`.
pub fn finish_connect(socket: &Socket, out: &Side, work: &mut OtherWork) -> io::Result<()> {
    let ready = until_ready(
        || writable_now(socket),
        || work.one_piece(),
        Some(GIVE_UP_AFTER),
    )?;
    out.say(format!(
        "poll(POLLOUT) saw {} on try {}",
        ready.value, ready.tries
    ));
    // Writable means the handshake is over, not that it worked: SO_ERROR
    // holds the outcome (Python: getsockopt(SOL_SOCKET, SO_ERROR)).
    match socket.take_error()? {
        None => {
            out.say("SO_ERROR is 0: connected");
            Ok(())
        }
        Some(e) => {
            out.say(format!("SO_ERROR is {}", os_error(&e)));
            Err(e)
        }
    }
}
// ANCHOR_END: finish_connect

/// Connect without ever blocking: [`start_connect`], then [`finish_connect`],
/// printing each step.
pub fn connect_when_ready(
    addr: SocketAddr,
    out: &Side,
    work: &mut OtherWork,
) -> io::Result<TcpStream> {
    let (socket, said) = start_connect(addr)?;
    match said {
        Some(e) => out.say(format!(
            "connect({addr}) without blocking: {}: the handshake has started",
            os_error(&e)
        )),
        None => out.say(format!(
            "connect({addr}) without blocking: connected at once"
        )),
    }
    finish_connect(&socket, out, work)?;
    Ok(socket.into())
}

/// `sendall` on a non-blocking socket: a full send buffer says "would
/// block" too, so each `write` is tried again until it takes something.
pub fn send_all_when_ready(
    stream: &mut TcpStream,
    mut data: &[u8],
    work: &mut OtherWork,
) -> io::Result<()> {
    while !data.is_empty() {
        let sent = until_ready(|| stream.write(data), || work.one_piece(), Some(PATIENCE))?;
        if sent.value == 0 {
            return Err(ErrorKind::WriteZero.into());
        }
        data = &data[sent.value..];
    }
    Ok(())
}

// ANCHOR: serve_one
/// The server's half for one connection, without ever blocking: `recv(1024)`
/// until the client closes, doing other work whenever nothing has arrived.
/// A client silent for `patience` is given up on. Returns the bytes received.
pub fn serve_one(
    mut conn: TcpStream,
    out: &mut Side,
    work: &mut OtherWork,
    patience: Duration,
) -> io::Result<usize> {
    conn.set_nonblocking(true)?; // not inherited from the listener on Linux
    let mut total = 0;
    loop {
        let got = until_ready(
            || recv_once(&mut conn, out),
            || work.one_piece(),
            Some(patience),
        )?;
        if got.value.is_empty() {
            return Ok(total); // EOF: the client closed its side
        }
        total += got.value.len();
    }
}
// ANCHOR_END: serve_one

/// Print the "would block" a first try was expected to give.
fn show_not_yet<T>(out: &Side, call: &str, result: io::Result<T>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {
            out.say(format!(
                "{call} try 1: {}: not yet, so other work, then try again",
                os_error(&e)
            ));
            Ok(())
        }
        Err(e) => Err(e),
        Ok(_) => Err(io::Error::other(format!(
            "{call} was expected to say \"would block\" on its first try"
        ))),
    }
}

/// An address on loopback where nothing listens: bind a port, let it go.
pub fn closed_port() -> io::Result<SocketAddr> {
    TcpListener::bind(ephemeral())?.local_addr()
}

/// Both roles in one process. Each first try is made while the other role
/// is known not to have acted yet (it waits for a message on a channel), so
/// it says "would block" on every run; how many tries follow varies.
pub fn demo() -> io::Result<()> {
    if !cfg!(unix) {
        Side::client().say(needs_unix(
            "this step's non-blocking connect waits with poll()",
        ));
        return Ok(());
    }
    let listener = TcpListener::bind(ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}"));
    let (to_client, from_server) = mpsc::channel::<()>();
    let (to_server, from_client) = mpsc::channel::<()>();
    run_roles(
        move || {
            let mut work = OtherWork::default();
            listener.set_nonblocking(true)?;
            server.say("setblocking(False); accept() until it stops saying \"would block\"");
            show_not_yet(&server, "accept()", listener.accept())?;
            work.one_piece();
            let _ = to_client.send(()); // now the client may connect
            // ANCHOR: accept_loop
            let accepted = until_ready(
                || listener.accept(),
                || work.one_piece(),
                Some(GIVE_UP_AFTER),
            )?;
            let (mut conn, peer) = accepted.value;
            // ANCHOR_END: accept_loop
            next_turn(&from_client)?; // the client prints its side first
            server.say(format!(
                "accept() returned a connection from {peer} on try {}",
                accepted.tries + 1
            ));

            conn.set_nonblocking(true)?;
            let first_try = recv_once(&mut conn, &mut server);
            show_not_yet(&server, "recv()", first_try)?;
            work.one_piece();
            let _ = to_client.send(()); // now the client may send
            let total = serve_one(conn, &mut server, &mut work, GIVE_UP_AFTER)?;
            server.say(format!(
                "{total} bytes in all; meanwhile: {}",
                work.summary()
            ));
            let _ = to_client.send(());
            Ok(())
        },
        || {
            let mut client = Side::client();
            let mut work = OtherWork::default();
            next_turn(&from_server)?;
            let mut stream = connect_when_ready(addr, &client, &mut work)?;
            let _ = to_server.send(());

            next_turn(&from_server)?;
            client.sent(MESSAGE.as_bytes());
            send_all_when_ready(&mut stream, MESSAGE.as_bytes(), &mut work)?;
            drop(stream); // close: the server's recv() sees EOF
            next_turn(&from_server)?;

            narrate("the same non-blocking connect, to a port where nothing listens:");
            match connect_when_ready(closed_port()?, &client, &mut work) {
                Err(e) if e.kind() == ErrorKind::ConnectionRefused => Ok(()),
                Err(e) => Err(e),
                Ok(_) => Err(io::Error::other("a closed port accepted the connection")),
            }
        },
    )?;
    narrate(
        "writable only says the handshake is over; SO_ERROR said how it ended, at once, with no hang",
    );
    narrate("each \"would block\" meant \"not yet\": try again, with other work in between");
    narrate("but with no other work to do, this loop only burns CPU: `demo busy-loop` measures it");
    Ok(())
}

/// `server fixed`: the document's server made non-blocking, in a loop. It
/// never waits: between tries it does other work, so it keeps one CPU core
/// busy. A client that stays silent for [`PATIENCE`] is given up on.
pub fn serve_forever(addr: SocketAddr) -> io::Result<()> {
    let listener = TcpListener::bind(addr).map_err(|e| context(e, format!("binding {addr}")))?;
    announce_listening(&listener)?;
    listener.set_nonblocking(true)?;
    let mut work = OtherWork::default();
    Side::server().say(
        "this loop never waits, so it keeps a CPU core busy (`demo busy-loop`; lesson 07 fixes it)",
    );
    loop {
        let mut out = Side::server();
        out.say("accept() without blocking, other work between tries (Ctrl-C to stop)");
        let accepted = until_ready(|| listener.accept(), || work.one_piece(), None);
        let (conn, peer) = match accepted {
            Ok(accepted) => accepted.value,
            Err(e) => {
                out.say(format!("accept failed: {}", explain(&e)));
                continue;
            }
        };
        out.say(format!("accepted a connection from {peer}"));
        match serve_one(conn, &mut out, &mut work, PATIENCE) {
            Ok(total) => out.say(format!("done with {peer}: {total} bytes in all")),
            Err(e) => out.say(format!("gave up on {peer}: {}", explain(&e))),
        }
        out.say(format!("so far: {}", work.summary()));
    }
}

/// `client fixed`: connect without blocking, send each message, close.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut out = Side::client();
    let mut work = OtherWork::default();
    let mut stream = connect_when_ready(addr, &out, &mut work)
        .map_err(|e| context(e, format!("connecting to {addr}")))?;
    for message in crate::messages_or_default(messages) {
        out.sent(message.as_bytes());
        send_all_when_ready(&mut stream, message.as_bytes(), &mut work)?;
    }
    Ok(())
}
