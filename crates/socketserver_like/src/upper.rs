//! `upper`: document 000's `socketserver` example. The handler reads what
//! the client sent with one `recv(1024)`, strips it, and sends it back
//! upper-cased; the server is a plain `TcpServer` on port 9999. The client
//! sends `hello\n` and prints `Sent: hello` and `Received: HELLO`.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::tcp::{PATIENCE, RECV_SIZE, messages_or};
use classroom::{Traced, narrate, runner};

use crate::{BaseRequestHandler, Request, TcpServer};

/// What the document's client sends (with a `\n` after it).
pub const DATA: &str = "hello";

/// Document 000's handler, Python's `MyServer(BaseRequestHandler)`.
pub struct Upper;

// ANCHOR: handler
impl BaseRequestHandler<TcpStream> for Upper {
    fn setup(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        // One request at a time: a client that never sends must not hold
        // the server for ever.
        req.request.set_read_timeout(Some(PATIENCE))
    }

    fn handle(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        let mut conn = Traced::server(&req.request); // prints each recv and send
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
    let mut sock = Traced::client(TcpStream::connect(addr)?); // sock.connect((HOST, PORT))
    sock.say(format!("connected to {addr}"));
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

/// `client upper`: the document's client once per message (default:
/// `hello`), each on a fresh connection.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    for data in messages_or(messages, DATA) {
        client(addr, &data)?;
    }
    Ok(())
}
