//! `welcome`: document 003's server, a thread per connection: a welcome,
//! then `hello, <line>` for each line until `exit` (the bytes are ours).

use std::io::{self, BufReader, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::tcp::{PATIENCE, is_timeout};
use classroom::{Side, Traced, narrate};

use crate::{BACKLOG, BaseRequestHandler, MAX_LINE, NO_ANSWER, Request, Server, TcpServer};
use crate::{chomp, read_line, run_demo, server_bind};

/// The greeting a client gets as soon as it connects.
pub const WELCOME: &[u8] = b"Welcome!\n";
/// The line that ends a conversation.
pub const EXIT: &str = "exit";

/// Document 003's conversation.
pub struct Welcome;

// ANCHOR: handler
impl BaseRequestHandler<TcpStream> for Welcome {
    fn handle(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        // A second handle: it prints each call, and gives the client 30 s in all.
        let conn = Traced::accepted(req.request.try_clone()?, req.client_address)?;
        // Python's rfile reads through a buffer; its wfile, `get_mut()`, not.
        let mut conn = BufReader::new(conn);
        conn.get_mut().write_all(WELCOME)?;
        while let Some(line) = read_line(&mut conn, MAX_LINE)? {
            let text = chomp(&line);
            if text == EXIT.as_bytes() {
                conn.get_ref().say("exit: closing the connection");
                return Ok(());
            }
            let answer = [b"hello, ", text, b"\n"].concat();
            conn.get_mut().write_all(&answer)?;
        }
        Ok(()) // the client left without saying exit
    }
}
// ANCHOR_END: handler

// ANCHOR: sequential_server
/// Broken on purpose: document 003's handler on a plain `TcpServer`.
pub fn sequential_server(addr: SocketAddr) -> io::Result<TcpServer> {
    // BUG: a plain TcpServer runs each handler inside serve_forever. The
    // loop gets back to `accept` only when this client says exit (or its
    // 30 s are up); every other client waits until then.
    TcpServer::bind(addr, Welcome)
}
// ANCHOR_END: sequential_server

// ANCHOR: threading_server
/// Document 003's server: a thread per connection (Python's `ThreadingTCPServer`).
pub fn server(addr: SocketAddr) -> io::Result<TcpServer> {
    // FIX: a new thread runs each handler (ThreadingMixIn), and
    // serve_forever goes straight back to waiting for the next client. A
    // backlog for bursts: with Python's 5, Linux makes the 7th wait (step 4).
    Ok(Server::new(server_bind(addr, BACKLOG)?, Welcome)?.threading())
}
// ANCHOR_END: threading_server

// ANCHOR: line_client
/// A client of this protocol: a connection read a line at a time.
#[derive(Debug)]
pub struct LineClient(BufReader<Traced<TcpStream>>);

impl LineClient {
    /// Connect to `addr`, printing in `lane`.
    pub fn connect(addr: SocketAddr, lane: Side) -> io::Result<LineClient> {
        let conn = Traced::new(TcpStream::connect(addr)?, lane);
        conn.set_read_timeout(Some(PATIENCE))?; // a server that never answers is an error
        Ok(LineClient(BufReader::new(conn)))
    }

    /// The connection: to print in its lane, or to set a timeout.
    pub fn stream(&self) -> &Traced<TcpStream> {
        self.0.get_ref()
    }

    /// Send `text` and a newline.
    pub fn send_line(&mut self, text: &str) -> io::Result<()> {
        self.0.get_mut().write_all(format!("{text}\n").as_bytes())
    }

    /// Read one line; empty at end of stream.
    pub fn recv_line(&mut self) -> io::Result<Vec<u8>> {
        Ok(read_line(&mut self.0, MAX_LINE)?.unwrap_or_default())
    }

    /// Listen for [`NO_ANSWER`], and say that no `what` came, and `why`.
    pub fn hears_nothing(&mut self, what: &str, why: &str) -> io::Result<()> {
        self.stream().set_read_timeout(Some(NO_ANSWER))?;
        let nothing = format!("no {what} within {NO_ANSWER:?}: {why}");
        match self.recv_line() {
            Err(e) if is_timeout(&e) => self.stream().say(nothing),
            other => return Err(io::Error::other(format!("expected nothing, got {other:?}"))),
        }
        self.stream().set_read_timeout(Some(PATIENCE))
    }
}
// ANCHOR_END: line_client

/// Three clients connected at once, taking turns.
pub fn demo() -> io::Result<()> {
    let names = ["Ada", "Linus", "Grace"]; // one client each
    let server = server(classroom::cli::ephemeral())?;
    let handle = server.handle();
    run_demo(server, "a thread per connection", |addr| {
        let mut clients = Vec::new();
        for n in 1..=names.len() {
            let mut client = LineClient::connect(addr, Side::nth_client(n as u32))?;
            client.recv_line()?; // the welcome: this client's thread is running
            clients.push(client);
        }
        let running = handle.stats().threads_running;
        Side::server().say(format!("{running} handler threads running, one per client"));
        for (client, name) in clients.iter_mut().zip(names) {
            client.send_line(name)?;
            client.recv_line()?;
        }
        for client in &mut clients {
            client.send_line(EXIT)?;
            client.recv_line()?; // end of stream: the server closed after exit
        }
        Ok(())
    })?;
    narrate("three clients were connected at the same time, each served by its own thread");
    narrate("next: `demo sequential`, without those threads, and `demo threading`, the fix");
    Ok(())
}

/// `client welcome` (`sequential`, `threading`): the welcome, then each line of input and its
/// answer, until the input ends (or `q`); then `exit`, as document 003's client does.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut client = LineClient::connect(addr, Side::client())?;
    client.stream().say(format!("connected to {addr}"));
    client.recv_line()?;
    let lines = classroom::cli::input_lines(messages);
    for line in lines.take_while(|line| !line.eq_ignore_ascii_case("q")) {
        client.send_line(&line)?;
        if client.recv_line()?.is_empty() {
            return Ok(()); // the server closed: after `exit`, or its 30 s were up
        }
    }
    client.send_line(EXIT)?;
    client.recv_line()?;
    Ok(())
}
