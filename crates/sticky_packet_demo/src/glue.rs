//! `glue` (the headline): the client sends `lbw正在吃` and then `翔` with two
//! writes; the server's one `recv(1024)` returns both, glued (document 002
//! §3 粘包, port 8001; document 004 §粘包问题: `hello` + `world`, then an
//! empty read). TCP keeps the bytes and their order, not where a write
//! ended: both land in the receive buffer (接收缓冲区), and `recv` takes
//! whatever is there, up to the size asked for.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;

use classroom::bytes::{PREVIEW, hex, show};
use classroom::tcp::{RECV_SIZE, until_closed};
use classroom::{Traced, narrate, runner};

use crate::wait::wait_until_buffered;

/// Document 002's port for its sticky-packet example.
pub const PORT: u16 = 8001;

/// What document 002's client sends, one `sendall` each.
pub const MESSAGES: [&str; 2] = ["lbw正在吃", "翔"];

// ANCHOR: server
/// The server's half, for one client, as the document writes it: one
/// `recv(1024)`, taken to be one message. First it reads late: it waits
/// until `read_late` bytes are in its receive buffer (or the client has
/// closed), as a server busy elsewhere would have by the time it called
/// `recv`. Returns what the one `recv` got.
pub fn server(listener: &TcpListener, read_late: usize) -> io::Result<Vec<u8>> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sock.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    // A peek on the socket itself, bounded by the connection's time.
    let waiting = wait_until_buffered(&conn, read_late)?;
    conn.say(format!(
        "{waiting} bytes are waiting in the receive buffer; now one recv({RECV_SIZE})"
    ));
    let mut buf = [0u8; RECV_SIZE];
    // BUG: one recv is not one message: it returns whatever the buffer
    // holds, up to 1024 bytes, however many sends put it there.
    let n = conn.read(&mut buf)?; // Python: client_data = conn.recv(1024)
    if n > 0 {
        conn.say(format!("  in hex: {}", show_hex(&buf[..n])));
        // The document's server closes here. Reading on until the client
        // closes shows the other half of document 004's example: the next
        // recv returns 0 bytes, which is the peer closing, not a message.
        until_closed(&mut conn)?;
    }
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: connect, then every message is its own write, like
/// the document's two `sendall` calls. Nothing marks where one ends.
pub fn client(
    addr: SocketAddr,
    messages: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: client.connect(('127.0.0.1', 8001))
    let mut stream = Traced::connected(stream)?;
    for message in messages {
        let message = message.as_ref();
        if message.is_empty() {
            continue; // TCP cannot send an empty message (see `demo udp`)
        }
        stream.say(format!("{} in UTF-8: {}", show(message), show_hex(message)));
        stream.write_all(message)?; // Python: client.sendall('lbw正在吃'.encode('utf-8'))
    }
    Ok(()) // Python: client.close(), as `stream` is dropped
}
// ANCHOR_END: client

/// The bytes as numbers, so the UTF-8 of each character can be counted
/// (`翔` is `e7 bf 94`); cut after [`PREVIEW`] bytes.
pub fn show_hex(data: &[u8]) -> String {
    let more = if data.len() > PREVIEW { " …" } else { "" };
    format!("{}{more}", hex(&data[..data.len().min(PREVIEW)]))
}

/// Run both halves in one process and return what the server's one `recv`
/// got. The server reads only once every byte is in its buffer, so the
/// glue shows on every run (a test runs this a hundred times).
pub fn exchange(messages: &[&str]) -> io::Result<Vec<u8>> {
    let total = messages.iter().map(|m| m.len()).sum();
    let (got_tx, got) = mpsc::channel();
    runner::pair(
        move |listener| {
            let _ = got_tx.send(server(listener, total)?);
            Ok(())
        },
        |addr| client(addr, messages),
    )?;
    got.recv()
        .map_err(|_| io::Error::other("the server half ended without its recv"))
}

/// The headline: two sends, one recv, then the 0-byte read of the close.
pub fn demo() -> io::Result<()> {
    let got = exchange(&MESSAGES)?;
    if got == MESSAGES.concat().as_bytes() {
        narrate(
            "2 sends arrived in 1 recv — TCP kept the bytes and their order, not the boundaries",
        );
    } else {
        narrate(format!("the one recv got {} bytes", got.len()));
    }
    narrate("the second recv returned 0 bytes: that is the client closing, not a message");
    narrate(
        "the server read only once all the bytes were in, as a busy server would: so it shows every run",
    );
    narrate(
        "the fix is to say where each message ends (a length before it): lesson 05, struct_header_fix",
    );
    Ok(())
}
