//! Just enough HTTP for the `client` steps: a picture server, and a parser.

use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use classroom::read::read_until;
use classroom::{Side, Traced, runner};

/// A 160×120 PNG of 57,788 bytes, uncompressed so that it is bigger than
/// one `recv(8196)`, with no blank line (`\r\n\r\n`) among its bytes.
pub const PICTURE: &[u8] = include_bytes!("../assets/logo.png");
/// Every PNG file starts with these 8 bytes.
pub const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// Its path (the document asks a web server for `/nginx-logo.png`).
pub const IMAGE_PATH: &str = "/logo.png";
/// The largest request or response head either side accepts.
pub const HEAD_LIMIT: usize = 8 * 1024;
/// The largest body a client accepts, checked before allocating.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// How long the server gives one client, from accept to its last byte.
const REQUEST_PATIENCE: Duration = Duration::from_secs(10);

/// The client's request: request line, headers, blank line.
pub fn request(host: SocketAddr) -> String {
    format!("GET {IMAGE_PATH} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// The answer: `200 OK` and [`PICTURE`].
pub fn response() -> Vec<u8> {
    let length = PICTURE.len();
    let head =
        format!("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {length}\r\n");
    [head.as_bytes(), b"Connection: close\r\n\r\n", PICTURE].concat()
}

/// Where the body starts: after the first blank line.
pub fn body_start(data: &[u8]) -> Option<usize> {
    Some(data.windows(4).position(|w| w == b"\r\n\r\n")? + 4)
}

/// A head's `Content-Length`, unless missing, malformed or over [`BODY_LIMIT`].
pub fn content_length(head: &[u8]) -> io::Result<usize> {
    let head = String::from_utf8_lossy(head);
    let value = (head.lines().filter_map(|line| line.split_once(':')))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.trim().to_owned());
    let why = || format!("Content-Length {value:?}: missing, not a number, or over {BODY_LIMIT}");
    match value.as_deref().map(str::parse::<usize>) {
        Some(Ok(len)) if len <= BODY_LIMIT => Ok(len),
        _ => Err(io::Error::new(ErrorKind::InvalidData, why())),
    }
}

/// Answer `clients` requests with the picture, one at a time: the `client`
/// steps are about the *client* juggling five sockets.
pub fn serve_image(listener: TcpListener, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (conn, peer) = listener.accept()?;
        // A client that sends no request, or reads no answer, must not hold
        // up the ones after it.
        let mut conn = Traced::quiet(conn).with_patience(REQUEST_PATIENCE)?;
        let head = match read_until(&mut conn, HEAD_LIMIT, |d| body_start(d).is_some()) {
            Ok(head) => head,
            Err(e) => {
                Side::server().say(format!("{peer}: {}", runner::ending(&e)));
                continue;
            }
        };
        let (head, reply) = (String::from_utf8_lossy(&head), response());
        let (line, len) = (head.lines().next().unwrap_or_default(), reply.len());
        Side::server().say(format!("{line:?} from {peer}: answering with {len} bytes"));
        // A client that reads only part of the answer (`client-broken`) may
        // hang up before we have written it all: its bug, not ours.
        let _ = conn.write_all(&reply);
    }
    Ok(())
}
