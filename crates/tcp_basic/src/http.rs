//! `http`: HTTP is only bytes on a TCP connection. The client writes a
//! request by hand, the way document 002 does against a search engine; here
//! the server is a tiny HTTP server on loopback, so no internet is needed.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::read::read_until;
use classroom::{Side, narrate};

use classroom::tcp::demo_pair;

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

fn has_blank_line(data: &[u8]) -> bool {
    data.windows(4).any(|w| w == b"\r\n\r\n")
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
fn show_lines(out: &Side, data: &[u8]) {
    for line in String::from_utf8_lossy(data).split_inclusive('\n') {
        out.say(format!("  {line:?}"));
    }
}

/// The server's half: read the request head, answer, close.
pub fn serve(mut conn: TcpStream, out: &mut Side) -> io::Result<()> {
    let head = read_until(&mut conn, LIMIT, has_blank_line)?;
    out.say(format!("received a {}-byte request:", head.len()));
    show_lines(out, &head);
    let target = String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let reply = response(&target);
    out.say(format!(
        "sending a {}-byte response and closing",
        reply.len()
    ));
    conn.write_all(reply.as_bytes())
}

/// The client's half: write the request, read the response to EOF.
pub fn client(mut stream: TcpStream, out: &mut Side) -> io::Result<()> {
    let request = request();
    out.say(format!("sending a {}-byte request:", request.len()));
    show_lines(out, request.as_bytes());
    stream.write_all(request.as_bytes())?;
    let reply = read_until(&mut stream, LIMIT, |_| false)?;
    out.say(format!("received {} bytes, then EOF:", reply.len()));
    show_lines(out, &reply);
    match parse_status(&reply) {
        Some((code, reason)) => out.say(format!("status: {code} {reason}")),
        None => out.say("that was not an HTTP response"),
    }
    Ok(())
}

/// Both halves in one process.
pub fn demo() -> io::Result<()> {
    demo_pair(serve, client)?;
    narrate("application layer = bytes with an agreed shape; TCP just carried them");
    Ok(())
}

/// Connect and run the client once.
pub fn run_client(addr: SocketAddr) -> io::Result<()> {
    classroom::tcp::client_session(addr, client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_are_parsed() {
        assert_eq!(parse_status(b"HTTP/1.1 200 OK\r\n\r\n"), Some((200, "OK")));
        assert_eq!(
            parse_status(b"HTTP/1.0 404 Not Found\r\n"),
            Some((404, "Not Found"))
        );
        assert_eq!(parse_status(b"hello"), None);
        assert_eq!(parse_status(b"HTTP/1.1 abc\r\n"), None);
    }

    #[test]
    fn the_response_length_matches_its_body() {
        let reply = response("/");
        let (head, body) = reply.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
    }
}
