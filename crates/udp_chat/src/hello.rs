//! `hello`: the smallest UDP conversation. The client sends `hello` with
//! `sendto`; the server, which never listens or accepts, gets it from
//! `recvfrom` together with the client's address and answers `hi` to that
//! address (document 000 §基于UDP协议的socket, port 9000; documents 002
//! and 004 write the same pair on ports 8002 and 8080).

use std::io;
use std::net::{SocketAddr, UdpSocket};

use classroom::{Side, narrate, run_roles};

use crate::lost_reply::ask_each;
use crate::{RECV_SIZE, demo_socket, messages_or, recv_from, send_to};

/// The document's port for this step.
pub const PORT: u16 = 9000;

/// What the document's client sends.
pub const GREETING: &str = "hello";

/// What the document's server answers.
pub const ANSWER: &[u8] = b"hi";

// ANCHOR: serve
/// The server's half for one datagram, already received and printed:
/// answer `hi` to the address it came from.
pub fn serve(
    socket: &UdpSocket,
    _datagram: &[u8],
    from: SocketAddr,
    out: &mut Side,
) -> io::Result<()> {
    send_to(socket, ANSWER, from, out)
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's half, as the document writes it: one `sendto`, one
/// `recvfrom(1024)`.
pub fn client(
    socket: &UdpSocket,
    server: SocketAddr,
    message: &[u8],
    out: &mut Side,
) -> io::Result<()> {
    send_to(socket, message, server, out)?;
    let mut buf = [0u8; RECV_SIZE];
    recv_from(socket, &mut buf, out)?;
    Ok(())
}
// ANCHOR_END: client

/// Both halves in one process: the server on its own thread, blocked in
/// `recv_from` until the client's datagram arrives.
pub fn demo() -> io::Result<()> {
    let server = demo_socket()?;
    let addr = server.local_addr()?;
    let mut server_out = Side::server();
    server_out.say(format!("bound to {addr}: no listen, no accept"));
    let socket = demo_socket()?;
    let mut out = Side::client();
    out.say(format!("bound to {}: no connect", socket.local_addr()?));
    run_roles(
        move || {
            let mut buf = [0u8; RECV_SIZE];
            let (datagram, from) = recv_from(&server, &mut buf, &mut server_out)?;
            serve(&server, datagram, from, &mut server_out)
        },
        || client(&socket, addr, GREETING.as_bytes(), &mut out),
    )?;
    narrate(
        "recvfrom returned the datagram and its sender's address; that address is all the server needs to answer",
    );
    narrate("next: `demo chat`, a conversation in JSON datagrams");
    Ok(())
}

/// Send each message (or `hello`) to the server at `addr` and print its
/// answer, giving up cleanly if none comes (the `lost-reply` step).
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    ask_each(addr, messages_or(messages, GREETING))
}
