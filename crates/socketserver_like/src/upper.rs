//! `upper`: document 000's `socketserver` example, a plain `TcpServer`
//! whose handler answers one `recv(1024)` upper-cased.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::tcp::{RECV_SIZE, messages_or};
use classroom::{Traced, narrate, runner};

use crate::{BaseRequestHandler, Request, TcpServer};

/// What the document's client sends (with a `\n` after it).
pub const DATA: &str = "hello";

/// Document 000's handler, Python's `MyServer(BaseRequestHandler)`.
pub struct Upper;

// ANCHOR: handler
impl BaseRequestHandler<TcpStream> for Upper {
    fn handle(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        // A second handle on the connection that prints each recv and send,
        // and gives the client 30 s in all: one request at a time, so a
        // client that never sends must not hold the server for ever.
        let mut conn = Traced::accepted(req.request.try_clone()?, req.client_address)?;
        let mut buf = [0u8; RECV_SIZE];
        let n = conn.read(&mut buf)?; // Python: self.data = self.request.recv(1024).strip()
        if n == 0 {
            return Ok(()); // the client left without a word
        }
        let data = buf[..n].trim_ascii();
        let ip = req.client_address.ip(); // Python: self.client_address[0]
        conn.say(format!("{ip} wrote: {}", classroom::bytes::show(data)));
        conn.write_all(&data.to_ascii_uppercase()) // self.request.sendall(self.data.upper())
    }
}
// ANCHOR_END: handler

// ANCHOR: client
/// Document 000's client: connect, send `data` and a newline, one
/// `recv(1024)`, then print `Sent: …` and `Received: …`.
pub fn client(addr: SocketAddr, data: &str) -> io::Result<String> {
    let mut sock = Traced::connected(TcpStream::connect(addr)?)?; // sock.connect((HOST, PORT))
    sock.write_all(format!("{data}\n").as_bytes())?; // sock.sendall(bytes(data + "\n", ...))
    let mut buf = [0u8; RECV_SIZE];
    let n = sock.read(&mut buf)?; // received = str(sock.recv(1024), "utf-8")
    let received = String::from_utf8_lossy(&buf[..n]).into_owned();
    println!("Sent: {data}");
    println!("Received: {received}");
    Ok(received)
}
// ANCHOR_END: client

// ANCHOR: demo
/// The server and the client in one process.
pub fn demo() -> io::Result<()> {
    runner::pair(
        // Python: TCPServer(..., MyServer).handle_request(), on the demo's socket
        |listener| TcpServer::new(listener.try_clone()?, Upper)?.handle_request(),
        |addr| client(addr, DATA),
    )?;
    narrate("the TcpServer called accept(), then the handler, which only read, upper-cased, sent");
    narrate("next: `demo welcome`, a handler that keeps talking, with a thread per connection");
    Ok(())
}
// ANCHOR_END: demo

/// `client upper`: the document's client once per message (default `hello`).
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    for data in messages_or(messages, DATA) {
        client(addr, &data)?;
    }
    Ok(())
}
