//! The smallest HTTP exchange that is still real: one GET and one response
//! on loopback. The `layers` walk takes this request apart.
//!
//! The server is a thread of this process that answers exactly one request,
//! so the walk needs no internet and no second terminal. Lesson 01
//! (`tcp_basic demo http`) builds HTTP over TCP step by step.

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use classroom::read::read_until;

/// The most either side reads: a request head or a response larger than
/// this is refused rather than held in memory.
pub const LIMIT: usize = 8 * 1024;

/// How long either side waits for the other before giving up, so a bug can
/// never leave a classroom staring at a frozen terminal.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// The body the tiny server sends back.
pub const BODY: &str = "hello from net_basics\n";

// ANCHOR: request
/// The request a browser sends for `http://HOST/`: a request line, one
/// header, and an empty line that ends the head. HTTP ends its lines with
/// `\r\n` (carriage return, line feed).
pub fn get_request(host: &str) -> Vec<u8> {
    format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes()
}
// ANCHOR_END: request

/// The server's answer: `200 OK` for a GET, `400 Bad Request` for anything
/// else. `Connection: close` tells the client the response ends where the
/// connection does.
pub fn response(request: &[u8]) -> Vec<u8> {
    let (status, body) = if request.starts_with(b"GET ") {
        ("200 OK", BODY)
    } else {
        ("400 Bad Request", "only GET is served here\n")
    };
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Whether `data` holds a whole request head: it ends at the first empty
/// line, `\r\n\r\n`.
pub fn head_complete(data: &[u8]) -> bool {
    data.windows(4).any(|w| w == b"\r\n\r\n")
}

/// The status line (`HTTP/1.1 200 OK`), if `response` starts with one.
pub fn status_line(response: &[u8]) -> Option<&str> {
    let end = response.windows(2).position(|w| w == b"\r\n")?;
    let line = std::str::from_utf8(&response[..end]).ok()?;
    line.starts_with("HTTP/").then_some(line)
}

/// What the server saw of its one connection.
#[derive(Debug)]
pub struct Served {
    /// The client's address and port, as `accept()` returned them.
    pub peer: SocketAddr,
    /// The request bytes, exactly as they arrived.
    pub request: Vec<u8>,
}

/// A one-request HTTP server on 127.0.0.1, on a port the OS picks.
#[derive(Debug)]
pub struct TinyServer {
    addr: SocketAddr,
    thread: JoinHandle<io::Result<Served>>,
}

impl TinyServer {
    /// Bind, then serve one request on a background thread.
    pub fn start() -> io::Result<TinyServer> {
        // Port 0 lets the OS pick a free port, so the walk never collides
        // with another program, or with another copy of itself.
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let thread = thread::spawn(move || serve_one(&listener));
        Ok(TinyServer { addr, thread })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Wait for the server to finish its one request, and see what it saw.
    pub fn join(self) -> io::Result<Served> {
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the server thread panicked")))
    }
}

fn serve_one(listener: &TcpListener) -> io::Result<Served> {
    let (mut stream, peer) = listener.accept()?;
    stream.set_read_timeout(Some(PATIENCE))?;
    let request = read_until(&mut stream, LIMIT, head_complete)?;
    stream.write_all(&response(&request))?;
    // Dropping `stream` closes the connection: the client's read returns 0
    // and it knows the whole response has arrived.
    Ok(Served { peer, request })
}

/// The client's half: send `request`, read the response to the end.
pub fn fetch(stream: &mut TcpStream, request: &[u8]) -> io::Result<Vec<u8>> {
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.write_all(request)?;
    read_until(stream, LIMIT, |_| false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_a_line_a_header_and_an_empty_line() {
        let request = get_request("localhost");
        assert_eq!(request, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assert_eq!(request.len(), 35);
        assert!(head_complete(&request));
        assert!(!head_complete(&request[..request.len() - 1]));
    }

    #[test]
    fn status_lines_are_found_or_not() {
        assert_eq!(
            status_line(&response(b"GET / HTTP/1.1\r\n\r\n")),
            Some("HTTP/1.1 200 OK")
        );
        assert_eq!(
            status_line(&response(b"POST / HTTP/1.1\r\n\r\n")),
            Some("HTTP/1.1 400 Bad Request")
        );
        assert_eq!(status_line(b"hello\r\n"), None);
        assert_eq!(status_line(b"HTTP/1.1 200 OK"), None); // no line end yet
        assert_eq!(status_line(&[0xff, b'\r', b'\n']), None);
    }

    #[test]
    fn content_length_counts_the_body() {
        let text = String::from_utf8(response(b"GET ")).unwrap();
        assert!(text.contains(&format!("Content-Length: {}\r\n", BODY.len())));
        assert!(text.ends_with(&format!("\r\n\r\n{BODY}")));
    }

    #[test]
    fn one_real_request_on_loopback() {
        let server = TinyServer::start().unwrap();
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        let local = stream.local_addr().unwrap();
        let request = get_request("localhost");
        let answer = fetch(&mut stream, &request).unwrap();
        assert_eq!(status_line(&answer), Some("HTTP/1.1 200 OK"));
        assert!(answer.ends_with(BODY.as_bytes()));
        let served = server.join().unwrap();
        // Both ends agree on the 4-tuple.
        assert_eq!(served.peer, local);
        assert_eq!(served.request, request);
    }
}
