//! `http`: HTTP is only bytes on a TCP connection. The client writes a
//! request by hand, the way document 002 does against a search engine; here
//! the server is a tiny HTTP server on loopback, so no internet is needed.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use classroom::read::read_until;
use classroom::{Traced, narrate, runner};

/// The port for this step's server (open it in a browser too).
pub const PORT: u16 = 8000;

/// The most either side reads before it gives up: a request head or a whole
/// response larger than this is refused rather than held in memory.
pub const LIMIT: usize = 64 * 1024;

// ANCHOR: request
/// The request the client writes: a request line, headers, a blank line.
/// `你好` is sent percent-encoded, as URLs carry non-ASCII text.
pub fn request() -> String {
    [
        "GET /s?wd=%E4%BD%A0%E5%A5%BD HTTP/1.1",
        "Host: localhost",
        "Connection: close",
        "",
        "",
    ]
    .join("\r\n")
}
// ANCHOR_END: request

/// The response to a request for `target`.
pub fn response(target: &str) -> String {
    let body = format!("hello from tcp_basic: you asked for {target}\n");
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

// ANCHOR: status
/// The status line's code and reason: `HTTP/1.1 200 OK` → `(200, "OK")`.
pub fn parse_status(response: &[u8]) -> Option<(u16, &str)> {
    let line = response.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end();
    let mut parts = line.splitn(3, ' ');
    let version = parts.next()?;
    let code = parts.next()?.parse().ok()?;
    version
        .starts_with("HTTP/")
        .then_some((code, parts.next().unwrap_or("")))
}
// ANCHOR_END: status

/// Print bytes line by line, each line quoted so `\r\n` shows.
fn show_lines<S>(lane: &Traced<S>, what: &str, data: &[u8]) {
    lane.say(format!("{what}, line by line:"));
    for line in String::from_utf8_lossy(data).split_inclusive('\n') {
        lane.say(format!("  {line:?}"));
    }
}

// ANCHOR: halves
/// The server's half: read the request head, answer, close.
pub fn server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    let head_ends = |data: &[u8]| data.windows(4).any(|w| w == b"\r\n\r\n");
    let head = read_until(&mut conn, LIMIT, head_ends)?; // up to the blank line
    show_lines(&conn, "the request", &head);
    let target = String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    conn.write_all(response(&target).as_bytes())
    // dropping `conn` closes: with `Connection: close`, that ends the response
}

/// The client's half: write the request, read the response to EOF.
pub fn client(addr: SocketAddr) -> io::Result<()> {
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    stream.write_all(request().as_bytes())?;
    let reply = read_until(&mut stream, LIMIT, |_| false)?; // reads until EOF
    show_lines(&stream, "the response", &reply);
    match parse_status(&reply) {
        Some((code, reason)) => stream.say(format!("status: {code} {reason}")),
        None => stream.say("that was not an HTTP response"),
    }
    Ok(())
}
// ANCHOR_END: halves

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    runner::pair(server, client)?;
    narrate("application layer = bytes with an agreed shape; TCP just carried them");
    Ok(())
}
