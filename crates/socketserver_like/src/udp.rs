//! `udp`: a `UdpServer` with a datagram handler, the UDP twin of `upper`.
//! Each datagram is a request of its own: the handler reads it from
//! `rfile`, writes the answer into `wfile`, and the server sends that back
//! as one datagram. It listens on UDP port 9999, which document 003 notes
//! can be bound at the same time as TCP port 9999.

use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::Duration;

use classroom::{Side, narrate};

use crate::welcome::timed_out;
use crate::{
    DEFAULT_POLL_INTERVAL, DatagramRequest, RequestHandler, UdpServer, errors_in_lane, messages_or,
};

/// The port: UDP 9999.
pub const PORT: u16 = 9999;

/// How long the client waits for an answer: UDP may lose it.
pub const REPLY_PATIENCE: Duration = Duration::from_secs(5);

/// What the demo's client sends, one datagram each.
const MESSAGES: [&str; 2] = ["hello", "socketserver"];

/// Upper-case each datagram: Python's `DatagramRequestHandler`.
///
/// ```
/// use socketserver_like::{UdpServer, udp::UpperDatagram};
///
/// let server = UdpServer::bind(("127.0.0.1", 0), UpperDatagram)?;
/// let client = std::net::UdpSocket::bind("127.0.0.1:0")?;
/// client.send_to(b"hi\n", server.server_address()?)?;
/// server.handle_request()?;
/// let mut buf = [0u8; 8];
/// let n = client.recv(&mut buf)?;
/// assert_eq!(&buf[..n], b"HI");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct UpperDatagram;

// ANCHOR: handler
impl RequestHandler<DatagramRequest> for UpperDatagram {
    fn handle(&self, req: &mut DatagramRequest) -> io::Result<()> {
        let mut out = Side::server();
        out.received(req.packet());
        out.say(format!("from {}", req.client_address));
        let reply = req.packet().trim_ascii().to_ascii_uppercase();
        out.sent(&reply);
        // Sent as one datagram when the request ends.
        req.wfile.write_all(&reply)
    }
}
// ANCHOR_END: handler

/// The UDP server: one datagram at a time, as Python's `UDPServer`.
///
/// ```
/// let server = socketserver_like::udp::server("127.0.0.1:0".parse().unwrap())?;
/// assert_ne!(server.server_address()?.port(), 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn server(addr: SocketAddr) -> io::Result<UdpServer> {
    errors_in_lane(UdpServer::builder()).bind(addr, UpperDatagram)
}

/// Send `data` and a newline as one datagram, wait for the answer, print
/// `Sent:` / `Received:` like the TCP client. The socket is connected to
/// the server, so an ICMP "port unreachable" (no server) is reported as
/// "connection refused" instead of leaving us waiting.
///
/// ```
/// use socketserver_like::{DEFAULT_POLL_INTERVAL, udp};
///
/// let serving = udp::server("127.0.0.1:0".parse().unwrap())?.spawn(DEFAULT_POLL_INTERVAL)?;
/// assert_eq!(udp::client(*serving.server_address(), "hello")?, "HELLO");
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: client
pub fn client(server: SocketAddr, data: &str) -> io::Result<String> {
    let mut out = Side::client();
    let any: SocketAddr = if server.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(any)?;
    socket.connect(server)?;
    socket.set_read_timeout(Some(REPLY_PATIENCE))?;
    let request = format!("{data}\n");
    out.sent(request.as_bytes());
    socket.send(request.as_bytes())?;
    let mut buf = [0u8; 1024];
    let n = socket.recv(&mut buf).map_err(|e| {
        if timed_out(&e) {
            io::Error::new(
                e.kind(),
                format!("no answer from {server} within {REPLY_PATIENCE:?}: UDP does not resend a lost datagram"),
            )
        } else {
            classroom::errors::context(e, format!("waiting for {server}"))
        }
    })?;
    out.received(&buf[..n]);
    let received = String::from_utf8_lossy(&buf[..n]).into_owned();
    println!("Sent: {data}");
    println!("Received: {received}");
    Ok(received)
}
// ANCHOR_END: client

/// The UDP server and a client in one process.
///
/// ```
/// socketserver_like::udp::demo()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn demo() -> io::Result<()> {
    let server = server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    let handle = server.handle();
    Side::server().say(format!(
        "bound to {addr}: a UdpServer, one datagram at a time"
    ));
    let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;
    for data in MESSAGES {
        client(addr, data)?;
    }
    serving.shutdown()?.server_close();
    Side::server().say(format!(
        "{} datagrams, {} requests",
        MESSAGES.len(),
        handle.stats().requests
    ));
    narrate(
        "for a UDP server a request is one datagram: no connection, no accept, no end of stream",
    );
    narrate("the handler never touched the socket: the server sent wfile back to client_address");
    Ok(())
}

/// `server udp`: print `bound to HOST:PORT` and serve until Ctrl-C.
///
/// ```no_run
/// socketserver_like::udp::serve("127.0.0.1:9999".parse().unwrap())?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn serve(addr: SocketAddr) -> io::Result<()> {
    let server = server(addr)?;
    classroom::cli::announce_bound(server.socket())?;
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// `client udp`: one datagram per message (default: `hello`).
///
/// ```
/// use socketserver_like::{DEFAULT_POLL_INTERVAL, udp};
///
/// let serving = udp::server("127.0.0.1:0".parse().unwrap())?.spawn(DEFAULT_POLL_INTERVAL)?;
/// udp::run_client(*serving.server_address(), &["abc".into()])?;
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    for data in messages_or(messages, crate::upper::DATA) {
        client(addr, data)?;
    }
    Ok(())
}
