//! `upper`: document 000's `socketserver` example, a plain `TcpServer`
//! whose handler answers the client's line upper-cased.

use std::io::{self, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::tcp::{PATIENCE, RECV_SIZE, messages_or};
use classroom::{Traced, narrate, runner};

use crate::{BaseRequestHandler, MAX_LINE, Request, TcpServer, read_line};

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
        // Python: self.data = self.request.recv(1024).strip(), but to the newline (lesson 04)
        let Some(line) = read_line(&mut BufReader::new(&mut conn), MAX_LINE)? else {
            return Ok(()); // the client left without a word
        };
        let data = line.trim_ascii();
        let ip = req.client_address.ip(); // Python: self.client_address[0]
        conn.say(format!("{ip} wrote: {}", classroom::bytes::show(data)));
        conn.write_all(&data.to_ascii_uppercase()) // self.request.sendall(self.data.upper())
    }
}
// ANCHOR_END: handler

// ANCHOR: client
/// Document 000's client: connect, send `data` and a newline, read the
/// answer until the server closes, then print `Sent: …` and `Received: …`.
pub fn client(addr: SocketAddr, data: &str) -> io::Result<String> {
    let sock = Traced::connected(TcpStream::connect(addr)?)?; // sock.connect((HOST, PORT))
    let mut sock = sock.with_patience(PATIENCE)?; // a server that never closes is an error
    sock.write_all(format!("{data}\n").as_bytes())?; // sock.sendall(bytes(data + "\n", ...))
    let mut answer = Vec::new(); // Python: sock.recv(1024), but to the end: the server closes
    Read::take(&mut sock, RECV_SIZE as u64).read_to_end(&mut answer)?;
    let received = String::from_utf8_lossy(&answer).into_owned();
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
    messages_or(messages, DATA)
        .iter()
        .try_for_each(|data| client(addr, data).map(drop))
}
