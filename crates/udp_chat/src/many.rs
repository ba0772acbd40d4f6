//! `many`: several clients, one server socket (document 000, udp是可以并发的;
//! document 004 §4.3 with UDP, port 8080). There is no `accept` and no
//! connection per client: every datagram lands in the same socket's queue,
//! `recv_from` says who sent it, and the answer goes back to that address.
//!
//! The flip side: the server cannot speak first. Until a datagram arrives
//! it knows no address to send to (document 004's 注意).

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use classroom::{Side, narrate};

use crate::lost_reply::ask_each;
use crate::{RECV_SIZE, demo_socket, is_timeout, recv_from, send_to, until_quit};

/// The document's port for this step.
pub const PORT: u16 = 8080;

/// How many clients the demo runs.
pub const CLIENTS: u32 = 3;

/// How long client 1 listens before it has sent anything.
pub const LISTEN_FIRST: Duration = Duration::from_millis(200);

// ANCHOR: serve
/// The server's half for one datagram, already received and printed: greet
/// the sender by the address `recv_from` returned. That address is all the
/// server knows about a client, and all it needs.
pub fn serve(
    socket: &UdpSocket,
    _datagram: &[u8],
    from: SocketAddr,
    out: &mut Side,
) -> io::Result<()> {
    let reply = format!("hi {from}");
    send_to(socket, reply.as_bytes(), from, out)
}
// ANCHOR_END: serve

/// Three clients and one server socket, in one thread: each client sends,
/// the server answers each at its own address, and the answers wait in the
/// clients' own sockets until each client reads its own.
pub fn demo() -> io::Result<()> {
    let server = demo_socket()?;
    let addr = server.local_addr()?;
    let mut server_out = Side::server();
    server_out.say(format!("bound to {addr}"));
    server_out.say("it knows no client's address yet, so it has nobody to send to");

    let mut clients = Vec::new();
    for n in 1..=CLIENTS {
        let socket = demo_socket()?;
        let out = Side::nth_client(n);
        out.say(format!("bound to {}", socket.local_addr()?));
        clients.push((socket, out));
    }

    // Client 1 waits for the server to speak first: nothing comes.
    let (first, first_out) = &mut clients[0];
    first.set_read_timeout(Some(LISTEN_FIRST))?;
    let mut buf = [0u8; RECV_SIZE];
    match recv_from(first, &mut buf, first_out) {
        Err(e) if is_timeout(&e) => first_out.say(format!(
            "listened first: nothing within {LISTEN_FIRST:?}, the server cannot know this client exists"
        )),
        other => {
            return Err(io::Error::other(format!(
                "client 1 should hear nothing before it speaks, got {other:?}"
            )));
        }
    }
    first.set_read_timeout(None)?;

    // ANCHOR: one_socket
    for (n, (socket, out)) in (1..).zip(&mut clients) {
        send_to(
            socket,
            format!("hello from client {n}").as_bytes(),
            addr,
            out,
        )?;
        let (datagram, from) = recv_from(&server, &mut buf, &mut server_out)?;
        serve(&server, datagram, from, &mut server_out)?;
    }
    // ANCHOR_END: one_socket
    for (socket, out) in &mut clients {
        recv_from(socket, &mut buf, out)?;
    }
    narrate(
        "one socket heard three clients; each answer went to the address its datagram came from",
    );
    narrate("the server spoke only after hearing: with UDP the client must send first");
    Ok(())
}

/// Send each line (or each MESSAGE) to the server and print its answer,
/// until `q` or the end of input; document 002's input loop.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    ask_each(addr, until_quit(classroom::cli::input_lines(messages)))
}
