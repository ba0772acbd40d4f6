//! `udp`: a `UdpServer`, the UDP twin of `upper`: each datagram is a
//! request, answered through the server's socket with `send_to`.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use classroom::errors::context;
use classroom::tcp::{PATIENCE, RECV_SIZE, messages_or, name_timeout};
use classroom::{Side, Traced, narrate};

use crate::{BaseRequestHandler, DEFAULT_POLL_INTERVAL, Datagram, Request, UdpServer};

/// Upper-case each datagram.
pub struct UpperDatagram;

// ANCHOR: handler
impl BaseRequestHandler<Datagram> for UpperDatagram {
    fn handle(&self, req: &mut Request<Datagram>) -> io::Result<()> {
        let (data, socket) = &req.request; // Python: data, socket = self.request
        let socket = Traced::server(socket.try_clone()?); // prints the send_to
        let (got, from) = (classroom::output::describe(data), req.client_address);
        socket.say(format!("serve_forever's recv_from took {got} from {from}"));
        // A request ends in a newline, an answer never does. A datagram from
        // our own address or without its newline is an answer coming back
        // (ours, or another server's), and answering it would start two
        // servers answering each other for ever: drop it.
        if from == socket.local_addr()? || !data.ends_with(b"\n") {
            socket.say("not a request but an answer: dropped, so that no loop starts");
            return Ok(());
        }
        let reply = data.trim_ascii().to_ascii_uppercase(); // without the newline
        socket.send_to(&reply, from)?; // socket.sendto(data.upper(), self.client_address)
        Ok(())
    }
}
// ANCHOR_END: handler

// ANCHOR: client
/// Send `data` and a newline as one datagram, wait for the answer, print
/// `Sent:` / `Received:` like the TCP client. The socket is connected to the
/// server, so an ICMP "port unreachable" (no server) comes back as
/// "connection refused" instead of leaving us waiting (lesson 03).
pub fn client(server: SocketAddr, data: &str) -> io::Result<String> {
    let v4 = server.is_ipv4();
    let socket = Traced::client(UdpSocket::bind(if v4 { "0.0.0.0:0" } else { "[::]:0" })?);
    socket.connect(server)?;
    socket.set_read_timeout(Some(PATIENCE))?;
    socket.send(format!("{data}\n").as_bytes())?;
    let mut buf = [0u8; RECV_SIZE];
    let n = socket.recv(&mut buf); // UDP resends nothing: a lost answer never comes
    let n = n.map_err(|e| context(name_timeout(e), format!("waiting for {server}")))?;
    let received = String::from_utf8_lossy(&buf[..n]).into_owned();
    println!("Sent: {data}");
    println!("Received: {received}");
    Ok(received)
}
// ANCHOR_END: client

/// The UDP server and a client in one process; then another server's answer.
pub fn demo() -> io::Result<()> {
    let server = UdpServer::bind(classroom::cli::ephemeral(), UpperDatagram)?;
    let addr = server.server_address()?;
    Side::server().say(format!("bound to {addr}: a UdpServer"));
    let messages = ["hello", "socketserver"].map(String::from); // one datagram each
    server.serve_while(|| run_client(addr, &messages))?;
    let socket = UdpSocket::bind(classroom::cli::ephemeral())?;
    let other = Traced::new(socket, Side::nth_client(2));
    other.say("plays lesson 03's `hello` server, answering the server's answer: `hi`");
    other.send_to(b"hi", addr)?;
    server.handle_request()?; // one more turn of the loop, for that datagram
    let requests = server.handle().stats().requests;
    server.server_close();
    Side::server().say(format!("3 datagrams: {requests} requests, 2 answers"));
    narrate("for a UDP server a request is one datagram: no connection, no accept, no EOF");
    narrate("the handler answered through the server's own socket, to client_address");
    narrate("an answer is never answered: two servers cannot keep each other busy for ever");
    Ok(())
}

/// `server udp`: print `bound to HOST:PORT` and serve until Ctrl-C.
pub fn serve(addr: SocketAddr) -> io::Result<()> {
    let server = UdpServer::bind(addr, UpperDatagram)?; // one datagram at a time
    classroom::cli::announce_bound(server.socket())?;
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// `client udp`: one datagram per message (default: `hello`).
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let messages = messages_or(messages, crate::upper::DATA);
    messages
        .iter()
        .try_for_each(|data| client(addr, data).map(drop))
}
