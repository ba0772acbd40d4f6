//! The smallest HTTP exchange that is still real: one GET and one response
//! on loopback. The `layers` walk takes this request apart.
//!
//! The walk plays both ends in one thread, one step at a time, so it needs
//! no internet and no second terminal. Lesson 01 (`tcp_basic demo http`)
//! builds HTTP over TCP step by step.

use std::io::{self, Write};
use std::net::TcpStream;

use classroom::read::read_until;

/// The most the server reads of a request head: a longer one is refused
/// rather than held in memory.
pub const LIMIT: usize = 8 * 1024;

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

/// The server's part, on a connection it has accepted: read the request
/// head, answer it, and return the request as it arrived. The caller then
/// closes the connection, which tells the client the response is complete.
pub fn answer(conn: &mut TcpStream) -> io::Result<Vec<u8>> {
    let request = read_until(conn, LIMIT, head_complete)?;
    conn.write_all(&response(&request))?;
    Ok(request)
}
