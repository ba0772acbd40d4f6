//! `udp`: a `UdpServer`, the UDP twin of `upper`. Each datagram is a
//! request: `serve_forever` takes it with `recv_from`, and the handler
//! answers through the server's socket with `send_to`.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use classroom::errors::context;
use classroom::tcp::{PATIENCE, RECV_SIZE, messages_or, name_timeout};
use classroom::{Side, Traced, narrate};

use crate::{BaseRequestHandler, DEFAULT_POLL_INTERVAL, Datagram, Request, UdpServer};

/// What the demo's client sends, one datagram each.
const MESSAGES: [&str; 2] = ["hello", "socketserver"];

/// Upper-case each datagram.
pub struct UpperDatagram;

// ANCHOR: handler
impl BaseRequestHandler<Datagram> for UpperDatagram {
    fn handle(&self, req: &mut Request<Datagram>) -> io::Result<()> {
        let (data, socket) = &req.request; // Python: data, socket = self.request
        let socket = Traced::server(socket.try_clone()?); // prints the send_to
        let (got, from) = (classroom::output::describe(data), req.client_address);
        socket.say(format!("serve_forever's recv_from took {got} from {from}"));
        let reply = data.trim_ascii().to_ascii_uppercase();
        socket.send_to(&reply, req.client_address)?; // socket.sendto(data.upper(), self.client_address)
        Ok(())
    }
}
// ANCHOR_END: handler

/// The UDP server: one datagram at a time, as Python's `UDPServer`.
pub fn server(addr: SocketAddr) -> io::Result<UdpServer> {
    UdpServer::bind(addr, UpperDatagram)
}

// ANCHOR: client
/// Send `data` and a newline as one datagram, wait for the answer, print
/// `Sent:` / `Received:` like the TCP client. The socket is connected to the
/// server, so an ICMP "port unreachable" (no server) comes back as
/// "connection refused" instead of leaving us waiting (lesson 03).
pub fn client(server: SocketAddr, data: &str) -> io::Result<String> {
    let any: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = Traced::client(UdpSocket::bind(any)?);
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

/// The UDP server and a client in one process.
pub fn demo() -> io::Result<()> {
    let server = server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    Side::server().say(format!("bound to {addr}: a UdpServer"));
    server.serve_while(|| {
        MESSAGES
            .iter()
            .try_for_each(|data| client(addr, data).map(drop))
    })?;
    let requests = server.handle().stats().requests;
    server.server_close();
    Side::server().say(format!("{} datagrams, {requests} requests", MESSAGES.len()));
    narrate("for a UDP server a request is one datagram: no connection, no accept, no EOF");
    narrate("the handler answered through the server's own socket, to client_address");
    Ok(())
}

/// `server udp`: print `bound to HOST:PORT` and serve until Ctrl-C.
pub fn serve(addr: SocketAddr) -> io::Result<()> {
    let server = server(addr)?;
    classroom::cli::announce_bound(server.socket())?;
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// `client udp`: one datagram per message (default: `hello`).
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    for data in messages_or(messages, crate::upper::DATA) {
        client(addr, &data)?;
    }
    Ok(())
}
