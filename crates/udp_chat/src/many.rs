//! `many`: several clients, one server socket (document 000, udp是可以并发的;
//! document 004 §4.3, port 8080): every datagram lands in the same queue,
//! `recv_from` says who sent it, and the answer goes back there. Until one
//! arrives, the server knows no address to send to (document 004's 注意).

use std::io;
use std::net::UdpSocket;
use std::time::Duration;

use classroom::cli::ephemeral;
use classroom::tcp::{RECV_SIZE, is_timeout};
use classroom::{Side, Traced, narrate};

use crate::Budget;

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// How many clients the demo runs.
pub const CLIENTS: u32 = 3;

/// How long client 1 listens before it has sent anything.
pub const LISTEN_FIRST: Duration = Duration::from_millis(200);

// ANCHOR: server
/// The server's half, for one datagram: greet the sender by the address
/// `recv_from` returned. That address is all the server knows about a
/// client, and all it needs.
pub fn server(socket: &Traced<UdpSocket>, budget: &mut Budget) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    let (_, from) = socket.recv_from(&mut buf)?; // Python: msg_r, addr = sk.recvfrom(1024)
    if !budget.may_answer(socket, from)? {
        return Ok(()); // never answer in a loop
    }
    socket.send_to(format!("hi {from}").as_bytes(), from)?; // Python: sk.sendto(…, addr)
    Ok(())
}
// ANCHOR_END: server

/// Three clients and one server socket, in one thread: each client sends,
/// the server answers each at its own address, and the answers wait in the
/// clients' own sockets until each client reads its own.
pub fn demo() -> io::Result<()> {
    let socket = Traced::server(UdpSocket::bind(ephemeral())?);
    let addr = socket.local_addr()?;
    socket.say(format!("bound to {addr}"));
    socket.say("it knows no client's address yet, so it has nobody to send to");
    let mut clients = Vec::new();
    for n in 1..=CLIENTS {
        let client = Traced::new(UdpSocket::bind(ephemeral())?, Side::nth_client(n));
        client.say(format!("bound to {}", client.local_addr()?));
        clients.push(client);
    }

    // Client 1 waits for the server to speak first: nothing comes.
    let mut buf = [0u8; RECV_SIZE];
    clients[0].set_read_timeout(Some(LISTEN_FIRST))?;
    match clients[0].recv_from(&mut buf) {
        Err(e) if is_timeout(&e) => clients[0].say(format!(
            "listened first: nothing within {LISTEN_FIRST:?}, the server cannot know this client exists"
        )),
        other => return Err(io::Error::other(format!("client 1 heard first: {other:?}"))),
    }
    clients[0].set_read_timeout(None)?;

    let mut budget = Budget::default();
    // ANCHOR: one_socket
    for (n, client) in (1..).zip(&clients) {
        client.send_to(format!("hello from client {n}").as_bytes(), addr)?;
        server(&socket, &mut budget)?; // the same socket, whoever sent
    }
    for client in &clients {
        client.recv_from(&mut buf)?; // each answer waited in its own client's socket
    }
    // ANCHOR_END: one_socket
    narrate(
        "one socket heard three clients; each answer went to the address its datagram came from",
    );
    narrate("the server spoke only after hearing: with UDP the client must send first");
    Ok(())
}
