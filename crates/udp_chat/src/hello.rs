//! `hello`: the smallest UDP conversation (document 000 §基于UDP协议的socket,
//! port 9000; 002 and 004 on 8002 and 8080): `sendto`, then `recvfrom`,
//! which returns the sender's address with the datagram. No listen, no accept.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use classroom::tcp::RECV_SIZE;
use classroom::{Traced, narrate};

use crate::{Budget, client_addr_for, pair};

/// The document's port for this step.
pub const PORT: u16 = 9000;

/// What the document's client sends.
pub const GREETING: &str = "hello";

/// What the document's server answers.
pub const ANSWER: &[u8] = b"hi";

// ANCHOR: server
/// The server's half, for one datagram: wait for it, then answer `hi` to
/// the address it came from (unless the [`Budget`] says no). No `listen`,
/// no `accept`.
pub fn server(socket: &Traced<UdpSocket>, budget: &mut Budget) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    let (_, from) = socket.recv_from(&mut buf)?; // Python: msg, addr = udp_sk.recvfrom(1024)
    if !budget.may_answer(socket, from)? {
        return Ok(()); // never answer in a loop
    }
    socket.send_to(ANSWER, from)?; // Python: udp_sk.sendto(b'hi', addr)
    Ok(())
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half, as the document writes it: bind, one `sendto`, one
/// `recvfrom(1024)`. No `connect`.
pub fn client(server: SocketAddr, message: &[u8]) -> io::Result<()> {
    // Python never binds: the kernel does at its first sendto. Rust shows it.
    let socket = Traced::client(UdpSocket::bind(client_addr_for(server))?);
    socket.say(format!("bound to {}", socket.local_addr()?));
    socket.send_to(message, server)?; // Python: udp_sk.sendto(b'hello', ip_port)
    let mut buf = [0u8; RECV_SIZE];
    socket.recv_from(&mut buf)?; // Python: back_msg, addr = udp_sk.recvfrom(1024)
    Ok(())
}
// ANCHOR_END: client

/// Both halves in one process; the server's `recv_from` waits for the client.
pub fn demo() -> io::Result<()> {
    pair(
        |socket| server(&socket, &mut Budget::default()),
        |addr| client(addr, GREETING.as_bytes()),
    )?;
    narrate(
        "recvfrom returned the datagram and its sender's address; that address is all the server needs to answer",
    );
    narrate("next: `demo chat`, a conversation in JSON datagrams");
    Ok(())
}
