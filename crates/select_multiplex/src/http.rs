//! Just enough HTTP for the `client` steps: a tiny server on loopback that
//! serves one picture, and what a client needs to read the answer (where
//! the head ends, how long the body is).

use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use classroom::Side;
use classroom::errors::explain;
use classroom::read::read_until;

/// The picture the `client` steps download: a 160×120 PNG of 57,788 bytes,
/// stored uncompressed so that it is bigger than one `recv(8196)`, and with
/// no blank line (`\r\n\r\n`) among its bytes.
pub const PICTURE: &[u8] = include_bytes!("../assets/logo.png");

/// Every PNG file starts with these 8 bytes.
pub const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The path of the picture on our server (the document asks for
/// `/nginx-logo.png` on a web server on the internet).
pub const IMAGE_PATH: &str = "/logo.png";

/// The largest request or response head either side accepts.
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

/// The answer, head and body in one buffer: `200 OK` and [`PICTURE`].
pub fn response() -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        PICTURE.len()
    );
    [head.as_bytes(), PICTURE].concat()
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
    let head = String::from_utf8_lossy(head);
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

/// Answer `clients` requests, one after another, with the picture, then
/// return. The `client` steps are about the *client* juggling five sockets,
/// so this server stays simple: one client at a time, blocking calls.
pub fn serve_image(listener: TcpListener, clients: usize) -> io::Result<()> {
    let lane = Side::server();
    for _ in 0..clients {
        let (mut conn, peer) = listener.accept()?;
        // A client that neither sends its request nor reads the answer
        // (and never closes) must not hold up the clients after it.
        conn.set_read_timeout(Some(REQUEST_PATIENCE))?;
        conn.set_write_timeout(Some(REQUEST_PATIENCE))?;
        let head = match read_until(&mut conn, HEAD_LIMIT, |d| body_start(d).is_some()) {
            Ok(head) => head,
            Err(e) => {
                lane.say(format!("gave up on {peer}: {}", explain(&e)));
                continue;
            }
        };
        let head = String::from_utf8_lossy(&head);
        let line = head.lines().next().unwrap_or_default();
        let reply = response();
        lane.say(format!(
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
