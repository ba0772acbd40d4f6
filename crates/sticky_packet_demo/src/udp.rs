//! `udp`: the same two sends over UDP arrive as two datagrams, never glued,
//! even when the receiver reads late; and an empty datagram arrives as an
//! empty message, while an empty TCP write sends nothing at all (document
//! 000, UDP不会发生黏包 and 空消息; document 004; port 9000).
//!
//! UDP is message-oriented: each `send_to` is one datagram, and each
//! `recv_from` returns exactly one (lesson 03 shows what happens when the
//! buffer is smaller than the datagram). TCP is a stream: zero bytes add
//! nothing to a stream, and a `recv` that returns 0 bytes already means
//! "the peer closed", so there is no way to say "an empty message".

use std::io::{self, Write};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use classroom::{Side, narrate};

use crate::wait::wait_until_buffered;
use crate::{RECV_SIZE, connected_pair, recv_up_to};

/// Document 000's UDP port.
pub const PORT: u16 = 9000;

/// What the demo sends as datagrams: document 002's two messages, then an
/// empty one.
pub const DATAGRAMS: [&str; 3] = ["lbw正在吃", "翔", ""];

/// How long the demo waits for a datagram it sent on loopback before it
/// calls it lost (which on loopback does not happen).
const PATIENCE: Duration = Duration::from_secs(10);

// ANCHOR: recv_datagram
/// One `recv_from(1024)`: exactly one datagram, whole, however many are
/// waiting behind it. An empty datagram is an empty message.
pub fn recv_datagram(socket: &UdpSocket, out: &mut Side) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; RECV_SIZE];
    let (n, _from) = socket.recv_from(&mut buf)?;
    out.received(&buf[..n]);
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: recv_datagram

/// Send each message as its own datagram to `to`.
pub fn send_datagrams(
    socket: &UdpSocket,
    out: &mut Side,
    to: SocketAddr,
    messages: &[&[u8]],
) -> io::Result<()> {
    for message in messages {
        out.sent(message);
        socket.send_to(message, to)?;
    }
    Ok(())
}

/// UDP part: every datagram is sent before the receiver reads any, and each
/// `recv_from` still returns just one. Returns what each read got.
pub fn datagrams_keep_their_boundaries() -> io::Result<Vec<Vec<u8>>> {
    let (mut client, mut server) = (Side::client(), Side::server());
    let receiver = UdpSocket::bind(classroom::cli::ephemeral())?;
    receiver.set_read_timeout(Some(PATIENCE))?;
    server.say(format!("bound to {}", receiver.local_addr()?));
    let sender = UdpSocket::bind(classroom::cli::ephemeral())?;
    let messages: Vec<&[u8]> = DATAGRAMS.iter().map(|m| m.as_bytes()).collect();
    send_datagrams(&sender, &mut client, receiver.local_addr()?, &messages)?;
    server.say(format!(
        "reading only now, after all {} datagrams were sent",
        messages.len()
    ));
    messages
        .iter()
        .map(|_| recv_datagram(&receiver, &mut server))
        .collect()
}

// ANCHOR: empty_write
/// TCP part: write zero bytes, then a marker, and read once.
pub fn empty_tcp_write() -> io::Result<Vec<u8>> {
    let (mut client, mut server) = (Side::client(), Side::server());
    let (mut stream, mut conn) = connected_pair()?;
    let taken = stream.write(b"")?;
    client.say(format!(
        "write(b\"\") returned Ok({taken}): zero bytes add nothing to a stream"
    ));
    client.sent(b"marker");
    stream.write_all(b"marker")?;
    drop(stream);
    wait_until_buffered(&conn, b"marker".len())?;
    let first = recv_up_to(&mut conn, &mut server, RECV_SIZE)?;
    recv_up_to(&mut conn, &mut server, RECV_SIZE)?; // 0 bytes: the close
    Ok(first)
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
    let first = empty_tcp_write()?;
    narrate(format!(
        "the TCP server's first recv got only {:?}: the empty write sent nothing, and a 0-byte recv on TCP means the peer closed",
        String::from_utf8_lossy(&first)
    ));
    narrate(
        "TCP needs a length (or an end marker) to carry messages, empty ones included: lesson 05",
    );
    Ok(())
}

/// The two-terminal server: print every datagram, for ever.
pub fn serve(addr: SocketAddr) -> io::Result<()> {
    let socket = UdpSocket::bind(addr)?;
    classroom::cli::announce_bound(&socket)?;
    let mut out = Side::server();
    loop {
        let mut buf = [0u8; RECV_SIZE];
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                out.received(&buf[..n]);
                out.say(format!("  from {from}"));
            }
            // A datagram larger than the buffer, or an ICMP error from an
            // earlier send (Windows reports those here): say it, go on.
            Err(e) => out.say(format!(
                "recv_from failed: {}",
                classroom::errors::explain(&e)
            )),
        }
    }
}

/// The two-terminal client: each message as its own datagram (document
/// 002's two messages and an empty one when none are given).
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let messages: Vec<&[u8]> = if messages.is_empty() {
        DATAGRAMS.iter().map(|m| m.as_bytes()).collect()
    } else {
        messages.iter().map(|m| m.as_bytes()).collect()
    };
    let socket = UdpSocket::bind(classroom::cli::ephemeral())?;
    let mut out = Side::client();
    out.say(format!("sending datagrams to {addr}"));
    send_datagrams(&socket, &mut out, addr, &messages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_datagram_is_its_own_message() {
        let reads = datagrams_keep_their_boundaries().unwrap();
        let sent: Vec<&[u8]> = DATAGRAMS.iter().map(|m| m.as_bytes()).collect();
        assert_eq!(reads, sent);
    }

    #[test]
    fn an_empty_tcp_write_sends_nothing() {
        assert_eq!(empty_tcp_write().unwrap(), b"marker");
    }
}
