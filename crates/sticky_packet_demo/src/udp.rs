//! `udp`: the same sends as datagrams arrive as datagrams, never glued,
//! even read late, and an empty datagram is an empty message; an empty TCP
//! write sends nothing, and a 0-byte TCP `recv` means "closed" (document
//! 000, UDP不会发生黏包 and 空消息; document 004; port 9000).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};

use classroom::tcp::{PATIENCE, RECV_SIZE};
use classroom::{Traced, narrate};

use crate::wait::wait_until_buffered;

/// Document 000's UDP port.
pub const PORT: u16 = 9000;

/// What the demo sends as datagrams: document 002's two messages, then an
/// empty one.
pub const DATAGRAMS: [&str; 3] = ["lbw正在吃", "翔", ""];

// ANCHOR: datagrams
/// Each message is its own `sendto`; each `recvfrom(1024)` returns exactly
/// one datagram, whole, however many wait behind it, and an empty datagram
/// is an empty message. Returns what each read got.
pub fn datagrams_keep_their_boundaries() -> io::Result<Vec<Vec<u8>>> {
    let receiver = Traced::server(UdpSocket::bind("127.0.0.1:0")?);
    receiver.set_read_timeout(Some(PATIENCE))?;
    receiver.say(format!("bound to {}", receiver.local_addr()?));
    let sender = Traced::client(UdpSocket::bind("127.0.0.1:0")?);
    let to = receiver.local_addr()?;
    for message in DATAGRAMS {
        sender.send_to(message.as_bytes(), to)?; // Python: udp_sk.sendto(b'hello', ip_port)
    }
    let sent = DATAGRAMS.len();
    receiver.say(format!(
        "reading only now, after all {sent} datagrams were sent"
    ));
    let mut buf = [0u8; RECV_SIZE];
    let mut reads = Vec::new();
    for _ in DATAGRAMS {
        let (n, _from) = receiver.recv_from(&mut buf)?; // Python: msg, addr = udp_sk.recvfrom(1024)
        reads.push(buf[..n].to_vec());
    }
    Ok(reads)
}
// ANCHOR_END: datagrams

// ANCHOR: empty_write
/// TCP part: write zero bytes, then a marker, close, and read twice.
/// Returns what the first read got and how many bytes the second did.
pub fn empty_tcp_write() -> io::Result<(Vec<u8>, usize)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut stream = Traced::client(TcpStream::connect(listener.local_addr()?)?);
    let mut conn = Traced::server(listener.accept()?.0);
    let taken = stream.write(b"")?;
    stream.say(format!(
        "write(b\"\") returned Ok({taken}): zero bytes add nothing to a stream"
    ));
    stream.write_all(b"marker")?;
    drop(stream); // close: the server's second read returns 0 bytes
    wait_until_buffered(&conn, b"marker".len())?;
    let mut buf = [0u8; RECV_SIZE];
    let n = conn.read(&mut buf)?;
    let first = buf[..n].to_vec();
    let after = conn.read(&mut buf)?; // 0 bytes: the close, not an empty message
    Ok((first, after))
}
// ANCHOR_END: empty_write

/// Both parts, narrated.
pub fn demo() -> io::Result<()> {
    let reads = datagrams_keep_their_boundaries()?;
    narrate(format!(
        "{} datagrams arrived as {} messages, the empty one included: UDP keeps each send's boundaries",
        DATAGRAMS.len(),
        reads.len()
    ));
    let (first, _) = empty_tcp_write()?;
    narrate(format!(
        "the TCP recv got only {:?}: the empty write sent nothing; a 0-byte TCP recv means closed",
        String::from_utf8_lossy(&first)
    ));
    narrate(
        "TCP needs a length (or an end marker) to carry messages, empty ones included: lesson 05",
    );
    Ok(())
}

/// The two-terminal server: print every datagram, for ever.
pub fn server(addr: SocketAddr) -> io::Result<()> {
    let socket = Traced::server(UdpSocket::bind(addr)?);
    classroom::cli::announce_bound(&socket)?;
    let mut buf = [0u8; RECV_SIZE];
    loop {
        // A datagram larger than the buffer, or an ICMP error from an
        // earlier send (Windows reports those here): say it, go on.
        if let Err(e) = socket.recv_from(&mut buf) {
            socket.say(format!(
                "recv_from failed: {}",
                classroom::errors::explain(&e)
            ));
        }
    }
}

/// The two-terminal client: each message as its own datagram, an empty
/// one included.
pub fn client(
    addr: SocketAddr,
    messages: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> io::Result<()> {
    let socket = Traced::client(UdpSocket::bind("127.0.0.1:0")?);
    for message in messages {
        socket.send_to(message.as_ref(), addr)?;
    }
    Ok(())
}
