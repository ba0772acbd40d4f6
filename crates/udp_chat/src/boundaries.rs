//! `boundaries`: UDP keeps message boundaries (document 000 §黏包: 面向消息).
//! Each `sendto` is one datagram and each `recvfrom` returns exactly one,
//! however late it is read; an empty datagram is a message too.

use std::io;

use classroom::narrate;
use classroom::tcp::RECV_SIZE;

use crate::unread_pair;

/// What the client sends, one datagram each, before the server reads any.
pub const MESSAGES: [&str; 4] = ["hello", "world", "", "你好"];

/// The client sends every message, then the server reads one per `recv_from`.
pub fn demo() -> io::Result<()> {
    let (server, client) = unread_pair()?;
    let addr = server.local_addr()?;
    for message in MESSAGES {
        client.send_to(message.as_bytes(), addr)?;
    }
    server.say("now reading: one recvfrom(1024) per datagram");
    // ANCHOR: one_per_recv
    let mut buf = [0u8; RECV_SIZE];
    for _ in MESSAGES {
        let (n, _) = server.recv_from(&mut buf)?;
        if n == 0 {
            server.say("an empty datagram: a message with no bytes, not end-of-file");
        }
    }
    // ANCHOR_END: one_per_recv
    narrate(
        "four sendto calls, four recvfrom results: UDP never glues datagrams together (粘包 is a TCP problem)",
    );
    narrate(
        "over TCP the same writes may arrive as one read, and the empty one sends nothing at all: lesson 04",
    );
    Ok(())
}
