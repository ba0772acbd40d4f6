//! `welcome`: document 003's server. Every connection gets a thread of its
//! own; the server greets the client, answers each line with
//! `hello, <line>`, and closes the connection when the client sends `exit`
//! (or leaves).
//!
//! Document 003 describes this server in words but does not print its
//! code, so the exact bytes are ours: the greeting is `Welcome!\n`, and
//! each message and reply is one line ending in `\n`, which is what lets a
//! handler read a message with `rfile.read_line`.

use std::io::{self, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::{Side, narrate};

use crate::{
    Concurrency, DEFAULT_POLL_INTERVAL, MAX_LINE, PATIENCE, RequestHandler, StreamOptions,
    StreamRequest, TcpServer, chomp, connect, errors_in_lane, read_line,
};

/// The port document 003's TCP server uses (its UDP server may share it).
pub const PORT: u16 = 9999;

/// The greeting a client gets as soon as it connects.
pub const WELCOME: &[u8] = b"Welcome!\n";

/// The line that ends a conversation.
pub const EXIT: &str = "exit";

/// Document 003's conversation, as a `StreamRequestHandler`.
///
/// ```
/// use std::io::{Read, Write};
/// use socketserver_like::{TcpServer, welcome::Welcome};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), Welcome)?;
/// let mut client = std::net::TcpStream::connect(server.server_address()?)?;
/// client.write_all(b"Ada\nexit\n")?;
/// server.handle_request()?;
/// let mut replies = String::new();
/// client.read_to_string(&mut replies)?;
/// assert_eq!(replies, "Welcome!\nhello, Ada\n");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Welcome;

// ANCHOR: handler
impl RequestHandler<StreamRequest> for Welcome {
    fn options(&self) -> StreamOptions {
        StreamOptions {
            // A client that goes quiet for this long is let go.
            timeout: Some(PATIENCE),
            ..StreamOptions::default()
        }
    }

    fn handle(&self, req: &mut StreamRequest) -> io::Result<()> {
        let mut out = Side::server();
        out.say(format!("a new connection from {}", req.client_address));
        out.sent(WELCOME);
        req.wfile.write_all(WELCOME)?;
        while let Some(line) = read_line(&mut req.rfile, MAX_LINE)? {
            out.received(&line);
            let text = chomp(&line);
            if text == EXIT.as_bytes() {
                out.say("exit: closing the connection");
                return Ok(());
            }
            let reply = [b"hello, ", text, b"\n"].concat();
            out.sent(&reply);
            req.wfile.write_all(&reply)?;
        }
        out.eof(); // the client left without saying exit
        Ok(())
    }
}
// ANCHOR_END: handler

/// Broken on purpose: document 003's handler on Python's plain
/// `TCPServer`.
///
/// ```
/// let server = socketserver_like::welcome::sequential_server("127.0.0.1:0".parse().unwrap())?;
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: sequential_server
pub fn sequential_server(addr: SocketAddr) -> io::Result<TcpServer> {
    errors_in_lane(TcpServer::builder())
        .allow_reuse_address(true)
        // BUG: the default, Concurrency::Sequential, runs each handler
        // inside serve_forever. The loop gets back to `accept` only when
        // this client says exit; every other client waits until then.
        .bind(addr, Welcome)
}
// ANCHOR_END: sequential_server

/// Document 003's server: a thread per connection (Python's
/// `ThreadingTCPServer`).
///
/// ```
/// let server = socketserver_like::welcome::server("127.0.0.1:0".parse().unwrap())?;
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: threading_server
pub fn server(addr: SocketAddr) -> io::Result<TcpServer> {
    errors_in_lane(TcpServer::builder())
        .allow_reuse_address(true)
        // FIX: a new thread runs each handler (ThreadingMixIn), and
        // serve_forever goes straight back to waiting for the next client.
        .concurrency(Concurrency::threading())
        .bind(addr, Welcome)
}
// ANCHOR_END: threading_server

/// A client of this protocol: a connection read a line at a time, with
/// its own lane.
///
/// ```
/// use classroom::Side;
/// use socketserver_like::{DEFAULT_POLL_INTERVAL, welcome::{self, LineClient}};
///
/// let serving = welcome::server("127.0.0.1:0".parse().unwrap())?.spawn(DEFAULT_POLL_INTERVAL)?;
/// let mut client = LineClient::connect(*serving.server_address(), Side::client())?;
/// assert_eq!(client.recv_line()?, welcome::WELCOME);
/// client.send_line("Ada")?;
/// assert_eq!(client.recv_line()?, b"hello, Ada\n");
/// drop(client); // or server_close would wait for its handler thread
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct LineClient {
    reader: BufReader<TcpStream>,
    out: Side,
}

impl LineClient {
    /// Connect to `addr`; `out` is the lane to print in.
    ///
    /// ```
    /// use socketserver_like::welcome::LineClient;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let client = LineClient::connect(listener.local_addr()?, classroom::Side::nth_client(1))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn connect(addr: SocketAddr, out: Side) -> io::Result<LineClient> {
        Ok(LineClient {
            reader: BufReader::new(connect(addr)?),
            out,
        })
    }

    /// This client's lane.
    ///
    /// ```
    /// use socketserver_like::welcome::LineClient;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut client = LineClient::connect(listener.local_addr()?, classroom::Side::client())?;
    /// client.out().say("hello from the client lane");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn out(&mut self) -> &mut Side {
        &mut self.out
    }

    /// The connection, to set a timeout on it.
    ///
    /// ```
    /// use socketserver_like::welcome::LineClient;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let client = LineClient::connect(listener.local_addr()?, classroom::Side::client())?;
    /// assert_eq!(client.stream().peer_addr()?, listener.local_addr()?);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stream(&self) -> &TcpStream {
        self.reader.get_ref()
    }

    /// Send `text` and a newline.
    ///
    /// ```
    /// use std::io::BufRead;
    /// use socketserver_like::welcome::LineClient;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut client = LineClient::connect(listener.local_addr()?, classroom::Side::client())?;
    /// client.send_line("Ada")?;
    /// let (conn, _) = listener.accept()?;
    /// let mut line = String::new();
    /// std::io::BufReader::new(conn).read_line(&mut line)?;
    /// assert_eq!(line, "Ada\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn send_line(&mut self, text: &str) -> io::Result<()> {
        let line = format!("{text}\n");
        self.out.sent(line.as_bytes());
        self.reader.get_mut().write_all(line.as_bytes())
    }

    /// Read one line and print it; empty at end of stream.
    ///
    /// ```
    /// use std::io::Write;
    /// use socketserver_like::welcome::LineClient;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut client = LineClient::connect(listener.local_addr()?, classroom::Side::client())?;
    /// listener.accept()?.0.write_all(b"Welcome!\n")?;
    /// assert_eq!(client.recv_line()?, b"Welcome!\n");
    /// assert_eq!(client.recv_line()?, b"", "the server closed");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn recv_line(&mut self) -> io::Result<Vec<u8>> {
        match read_line(&mut self.reader, MAX_LINE)? {
            Some(line) => {
                self.out.received(&line);
                Ok(line)
            }
            None => {
                self.out.eof();
                Ok(Vec::new())
            }
        }
    }
}

/// Whether a read ran out of time (Unix says "would block", Windows
/// "timed out").
pub(crate) fn timed_out(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// The clients of the demo, and the line each one sends.
const NAMES: [&str; 3] = ["Ada", "Linus", "Grace"];

/// Several clients connected at once, taking turns.
///
/// ```
/// socketserver_like::welcome::demo()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn demo() -> io::Result<()> {
    let server = server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    let handle = server.handle();
    let lane = Side::server();
    lane.say(format!("listening on {addr}: a thread per connection"));
    let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;

    let mut clients = Vec::new();
    for n in 1..=NAMES.len() {
        let mut client = LineClient::connect(addr, Side::nth_client(n as u32))?;
        client.recv_line()?; // the welcome: this client's thread is running
        clients.push(client);
    }
    lane.say(format!(
        "{} handler threads are running, one per connected client",
        handle.stats().threads_running
    ));
    for (client, name) in clients.iter_mut().zip(NAMES) {
        client.send_line(name)?;
        client.recv_line()?;
    }
    for client in &mut clients {
        client.send_line(EXIT)?;
        client.recv_line()?; // end of stream: the server closed after exit
    }
    serving.shutdown()?.server_close();
    narrate("three clients were connected at the same time, each served by its own thread");
    narrate(
        "next: `demo sequential` shows what happens without those threads, `demo threading` the fix",
    );
    Ok(())
}

/// `client welcome` (and `sequential`, `threading`): read the welcome,
/// send each line of input and print the answer; `exit` ends it, and so
/// does the end of input (or `q`), after sending `exit` as document 003's
/// client does when it is done.
///
/// ```
/// use socketserver_like::welcome;
///
/// let serving = welcome::server("127.0.0.1:0".parse().unwrap())?
///     .spawn(socketserver_like::DEFAULT_POLL_INTERVAL)?;
/// welcome::run_client(*serving.server_address(), &["Ada".into()])?;
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut client = LineClient::connect(addr, Side::client())?;
    client.out().say(format!("connected to {addr}"));
    client.recv_line()?;
    for line in classroom::cli::input_lines(messages) {
        if line == "q" || line == "Q" {
            break;
        }
        client.send_line(&line)?;
        if client.recv_line()?.is_empty() {
            return Ok(()); // the server closed: after `exit`, or it gave up
        }
    }
    client.send_line(EXIT)?;
    client.recv_line()?;
    Ok(())
}
