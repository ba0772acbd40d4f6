//! `upper`: document 000's `socketserver` example. The handler reads what
//! the client sent with one `recv(1024)`, strips it, and sends it back
//! upper-cased; the server is a plain `TcpServer` with
//! `allow_reuse_address`, serving for ever on port 9999. The client sends
//! `hello\n` and prints `Sent: hello` and `Received: HELLO`.

use std::io::{self, Write};
use std::net::SocketAddr;

use classroom::{Side, narrate};

use crate::{
    BaseRequest, DEFAULT_POLL_INTERVAL, PATIENCE, RequestHandler, TcpServer, connect,
    errors_in_lane, messages_or, recv_once,
};

/// The document's port.
pub const PORT: u16 = 9999;

/// What the document's client sends (with a `\n` after it).
pub const DATA: &str = "hello";

/// Document 000's handler, Python's `MyServer(BaseRequestHandler)`.
///
/// ```
/// use std::io::{Read, Write};
/// use socketserver_like::{TcpServer, upper::Upper};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), Upper)?;
/// let mut client = std::net::TcpStream::connect(server.server_address()?)?;
/// client.write_all(b"hello\n")?;
/// server.handle_request()?;
/// let mut reply = String::new();
/// client.read_to_string(&mut reply)?;
/// assert_eq!(reply, "HELLO");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Upper;

// ANCHOR: handler
impl RequestHandler<BaseRequest> for Upper {
    fn setup(&self, req: &mut BaseRequest) -> io::Result<()> {
        // This server serves one request at a time: a client that never
        // sends must not hold it for ever.
        req.request.set_read_timeout(Some(PATIENCE))
    }

    fn handle(&self, req: &mut BaseRequest) -> io::Result<()> {
        let mut out = Side::server();
        let data = recv_once(&mut req.request, &mut out)?; // self.request.recv(1024)
        if data.is_empty() {
            return Ok(()); // the client left without a word
        }
        let data = data.trim_ascii(); // .strip()
        out.say(format!(
            "{} wrote: {}",
            req.client_address.ip(), // self.client_address[0]
            classroom::bytes::show(data)
        ));
        let reply = data.to_ascii_uppercase(); // .upper(), ASCII only like bytes.upper()
        out.sent(&reply);
        req.request.write_all(&reply) // self.request.sendall(...)
    }
}
// ANCHOR_END: handler

/// Document 000's server: `TCPServer.allow_reuse_address = True`, then
/// `TCPServer((HOST, PORT), MyServer)`. Python's plain `TCPServer` handles
/// one request at a time.
///
/// ```
/// let server = socketserver_like::upper::server("127.0.0.1:0".parse().unwrap())?;
/// assert!(socket2::SockRef::from(server.socket()).reuse_address()?);
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: server
pub fn server(addr: SocketAddr) -> io::Result<TcpServer> {
    errors_in_lane(TcpServer::builder())
        .allow_reuse_address(true)
        .bind(addr, Upper)
}
// ANCHOR_END: server

/// Document 000's client: connect, send `data` and a newline, read one
/// `recv(1024)`, then print `Sent: …` and `Received: …` as the document's
/// client does. Returns what was received.
///
/// ```
/// use socketserver_like::{DEFAULT_POLL_INTERVAL, upper};
///
/// let serving = upper::server("127.0.0.1:0".parse().unwrap())?.spawn(DEFAULT_POLL_INTERVAL)?;
/// assert_eq!(upper::client(*serving.server_address(), "hello")?, "HELLO");
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: client
pub fn client(addr: SocketAddr, data: &str) -> io::Result<String> {
    let mut out = Side::client();
    let mut stream = connect(addr)?;
    out.say(format!("connected to {addr}"));
    let request = format!("{data}\n");
    out.sent(request.as_bytes());
    stream.write_all(request.as_bytes())?;
    let received = recv_once(&mut stream, &mut out)?;
    let received = String::from_utf8_lossy(&received);
    println!("Sent: {data}");
    println!("Received: {received}");
    Ok(received.into_owned())
}
// ANCHOR_END: client

/// The server and the client in one process.
///
/// ```
/// socketserver_like::upper::demo()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn demo() -> io::Result<()> {
    let server = server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    Side::server().say(format!(
        "listening on {addr}: a TcpServer with allow_reuse_address, one request at a time"
    ));
    let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;
    client(addr, DATA)?;
    serving.shutdown()?.server_close();
    narrate(
        "TcpServer did the bind, the listen and the accept loop; the handler only read, upper-cased and sent",
    );
    narrate("next: `demo welcome`, a handler that keeps talking, with a thread per connection");
    Ok(())
}

/// `client upper`: the document's client once per message (default:
/// `hello`), each on a fresh connection.
///
/// ```
/// use socketserver_like::upper;
///
/// let serving = upper::server("127.0.0.1:0".parse().unwrap())?
///     .spawn(socketserver_like::DEFAULT_POLL_INTERVAL)?;
/// upper::run_client(*serving.server_address(), &["abc".into()])?;
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    for data in messages_or(messages, DATA) {
        client(addr, data)?;
    }
    Ok(())
}
