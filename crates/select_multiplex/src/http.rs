//! Just enough HTTP for the `client` steps: a tiny server on loopback that
//! serves one picture, and the few helpers a client needs to read the answer
//! (where the head ends, how long the body is).

use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use classroom::errors::explain;
use classroom::read::read_until;

use crate::log::Log;

/// The path of the picture on our server (the document asks for
/// `/nginx-logo.png` on a web server on the internet).
pub const IMAGE_PATH: &str = "/logo.png";

/// The largest response head either side accepts.
pub const HEAD_LIMIT: usize = 8 * 1024;

/// The largest body a client accepts: a `Content-Length` above it is refused
/// before anything is allocated.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// How long the server waits on one client (for its request, or for room
/// to write the answer) before it gives up on it.
const REQUEST_PATIENCE: Duration = Duration::from_secs(10);

/// The request the client sends: request line, headers, blank line.
pub fn request(host: SocketAddr) -> String {
    format!("GET {IMAGE_PATH} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// A `200 OK` carrying `image`, head and body in one buffer.
pub fn response(image: &[u8]) -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        image.len()
    );
    [head.as_bytes(), image].concat()
}

fn not_found() -> Vec<u8> {
    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
}

/// Where the body starts: just after the first blank line (`\r\n\r\n`).
pub fn body_start(data: &[u8]) -> Option<usize> {
    data.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

/// The `Content-Length` of a response head, refused if it is missing,
/// malformed, or larger than [`BODY_LIMIT`].
pub fn content_length(head: &[u8]) -> io::Result<usize> {
    let invalid = |why: String| io::Error::new(ErrorKind::InvalidData, why);
    let head = std::str::from_utf8(head).map_err(|_| invalid("the head is not text".into()))?;
    let value = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.trim())
        .ok_or_else(|| invalid("the response has no Content-Length".into()))?;
    let len: usize = value
        .parse()
        .map_err(|_| invalid(format!("Content-Length {value:?} is not a number")))?;
    if len > BODY_LIMIT {
        return Err(invalid(format!(
            "Content-Length {len} is over our limit of {BODY_LIMIT} bytes"
        )));
    }
    Ok(len)
}

/// The status code of a response head: `HTTP/1.1 200 OK` → 200.
pub fn status(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\r').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split(' ');
    let version = words.next()?;
    version.starts_with("HTTP/").then_some(())?;
    words.next()?.parse().ok()
}

/// Serve `clients` requests one after another, then return. Each client
/// gets `image` for [`IMAGE_PATH`] and a 404 for anything else.
///
/// The point of the `client` steps is the *client* juggling five sockets, so
/// this server stays simple: one client at a time, blocking calls.
pub fn serve_image(
    listener: TcpListener,
    clients: usize,
    image: &[u8],
    out: &Log,
) -> io::Result<()> {
    for _ in 0..clients {
        let (mut conn, peer) = listener.accept()?;
        // A client that neither sends its request nor reads the answer
        // (and never closes) must not hold up the clients after it.
        conn.set_read_timeout(Some(REQUEST_PATIENCE))?;
        conn.set_write_timeout(Some(REQUEST_PATIENCE))?;
        let head = match read_until(&mut conn, HEAD_LIMIT, |d| body_start(d).is_some()) {
            Ok(head) => head,
            Err(e) => {
                out.say(format!("gave up on {peer}: {}", explain(&e)));
                continue;
            }
        };
        let line =
            String::from_utf8_lossy(head.split(|&b| b == b'\r').next().unwrap_or(&[])).into_owned();
        let reply = match line.split(' ').nth(1) {
            Some(IMAGE_PATH) => response(image),
            _ => not_found(),
        };
        out.say(format!(
            "{line:?} from {peer}: answering with {} bytes",
            reply.len()
        ));
        // A client that reads only part of the answer may hang up before we
        // have written it all. That is the client's bug (`client-broken`),
        // not a reason to stop serving the others.
        let _ = conn.write_all(&reply);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_is_head_blank_line_body() {
        let reply = response(b"PNG!");
        let start = body_start(&reply).unwrap();
        assert_eq!(&reply[start..], b"PNG!");
        assert_eq!(content_length(&reply[..start]).unwrap(), 4);
        assert_eq!(status(&reply), Some(200));
    }

    #[test]
    fn bad_lengths_are_refused_before_allocating() {
        let head = |len: &str| format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n");
        assert!(content_length(head("99999999999").as_bytes()).is_err());
        assert!(content_length(head("-1").as_bytes()).is_err());
        assert!(content_length(head("twelve").as_bytes()).is_err());
        assert!(content_length(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert_eq!(status(b"hello"), None);
    }
}
