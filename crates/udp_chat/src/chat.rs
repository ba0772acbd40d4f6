//! `chat`: a conversation in JSON datagrams (document 000 §基于UDP协议的
//! socket, 聊天工具, port 8000). Each datagram is one UTF-8 JSON object,
//! `{"name": …, "msg": …}`; each side prints what arrives as "message from
//! NAME: MSG" and answers with a line typed on its own terminal.
//!
//! Nothing that arrives is trusted: a datagram that is too long, not UTF-8,
//! not JSON, or JSON without a `name` and a `msg` is shown, named in one
//! line, and ignored; the server carries on with the next one.

use std::fmt;
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use classroom::{Side, narrate, run_roles};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{client_socket, demo_socket, is_timeout, recv_from, send_to, until_quit};

/// The document's port for this step.
pub const PORT: u16 = 8000;

/// The largest datagram either side accepts: the documents read with
/// `recvfrom(1024)`, so a longer one would reach their programs cut short.
pub const LIMIT: usize = 1024;

/// The receive buffer: one byte more than [`LIMIT`], so that a datagram
/// that fills it is known to be too long.
pub const BUFFER: usize = LIMIT + 1;

/// The name our client signs with (the document's client uses `clinet1`).
pub const CLIENT_NAME: &str = "client1";

/// The name the server signs with, as in the document.
pub const SERVER_NAME: &str = "server";

/// How long the client waits for an answer. A person types the server's
/// replies, so this is generous; it only stops a client from waiting for
/// ever for a server that is not running (the `lost-reply` step).
pub const PATIENCE: Duration = Duration::from_secs(60);

// ANCHOR: message
/// One chat message: the JSON object both sides send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Who is speaking.
    pub name: String,
    /// What they said.
    pub msg: String,
}
// ANCHOR_END: message

/// Why a datagram is not a chat message.
#[derive(Debug)]
pub enum BadDatagram {
    /// Longer than [`LIMIT`]; the receive buffer cut it at this many bytes.
    TooLong(usize),
    /// The bytes are not UTF-8 text.
    NotUtf8(std::str::Utf8Error),
    /// UTF-8, but not JSON.
    NotJson(serde_json::Error),
    /// JSON, but not an object (an array, a string, a number…).
    NotAnObject,
    /// A JSON object, but without string fields `name` and `msg`.
    NotAMessage(serde_json::Error),
}

impl fmt::Display for BadDatagram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadDatagram::TooLong(_) => write!(f, "longer than {LIMIT} bytes"),
            BadDatagram::NotUtf8(e) => write!(f, "not UTF-8 ({e})"),
            BadDatagram::NotJson(e) => write!(f, "not JSON ({e})"),
            BadDatagram::NotAnObject => write!(f, "JSON, but not an object"),
            BadDatagram::NotAMessage(e) => {
                write!(f, "JSON, but not {{\"name\": …, \"msg\": …}} ({e})")
            }
        }
    }
}

impl std::error::Error for BadDatagram {}

// ANCHOR: decode
/// A received datagram as a chat message, the way the document reads it:
/// bytes → UTF-8 text → JSON → an object with `name` and `msg`. Each step
/// can fail, and each failure says so.
pub fn decode(datagram: &[u8]) -> Result<Message, BadDatagram> {
    if datagram.len() > LIMIT {
        return Err(BadDatagram::TooLong(datagram.len()));
    }
    let text = std::str::from_utf8(datagram).map_err(BadDatagram::NotUtf8)?;
    let json: Value = serde_json::from_str(text).map_err(BadDatagram::NotJson)?;
    if !json.is_object() {
        // serde would take `["x", "y"]` as a Message too; the document's
        // `qq_msg["name"]` needs an object, and so do we.
        return Err(BadDatagram::NotAnObject);
    }
    serde_json::from_value(json).map_err(BadDatagram::NotAMessage)
}
// ANCHOR_END: decode

// ANCHOR: encode
/// `name` saying `msg`, as the bytes of one datagram: JSON, UTF-8.
/// Refused if the other side's `recvfrom(1024)` could not take it whole.
pub fn encode(name: &str, msg: &str) -> io::Result<Vec<u8>> {
    let message = Message {
        name: name.to_owned(),
        msg: msg.to_owned(),
    };
    let bytes = serde_json::to_vec(&message)?;
    if bytes.len() > LIMIT {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            format!(
                "not sent: {} bytes of JSON, more than the {LIMIT} the other side reads",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}
// ANCHOR_END: encode

/// Print a received datagram as the document does, or say in one line why
/// it is not a message. Returns the message if it is one.
pub fn show(datagram: &[u8], out: &mut Side) -> Option<Message> {
    match decode(datagram) {
        Ok(message) => {
            out.say(format!("message from {}: {}", message.name, message.msg));
            Some(message)
        }
        Err(bad) => {
            out.say(format!("ignored: {bad}"));
            None
        }
    }
}

// ANCHOR: serve
/// The server's half for one datagram, already received and printed: show
/// the message, then answer its sender with the next line of `replies`.
pub fn serve(
    socket: &UdpSocket,
    datagram: &[u8],
    from: SocketAddr,
    out: &mut Side,
    replies: &mut dyn Iterator<Item = String>,
) -> io::Result<()> {
    if show(datagram, out).is_none() {
        return Ok(()); // nothing to answer; wait for the next datagram
    }
    let Some(reply) = replies.next() else {
        out.say("no answer: the input on this side has ended");
        return Ok(());
    };
    send_to(socket, &encode(SERVER_NAME, &reply)?, from, out)
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's half: send each line as a message, wait for the answer,
/// print it. `lines` should already stop at `q` ([`until_quit`]).
pub fn client(
    socket: &UdpSocket,
    server: SocketAddr,
    lines: impl Iterator<Item = String>,
    out: &mut Side,
) -> io::Result<()> {
    let mut buf = [0u8; BUFFER];
    for line in lines {
        send_to(socket, &encode(CLIENT_NAME, &line)?, server, out)?;
        let (reply, _) = recv_from(socket, &mut buf, out).map_err(|e| no_answer(e, server))?;
        show(reply, out);
    }
    Ok(())
}
// ANCHOR_END: client

/// A read timeout, reworded as what it means here.
fn no_answer(error: io::Error, server: SocketAddr) -> io::Error {
    if is_timeout(&error) {
        io::Error::new(
            ErrorKind::TimedOut,
            format!("no answer from {server} within {PATIENCE:?}: is the server running?"),
        )
    } else {
        error
    }
}

/// Both halves in one process, with a scripted conversation.
pub fn demo() -> io::Result<()> {
    let lines = ["你好", "what is UDP?", "q"].map(String::from);
    let replies = ["hi!", "letters, not a phone call"].map(String::from);
    let answers = replies.len();

    let server = demo_socket()?;
    let addr = server.local_addr()?;
    let mut server_out = Side::server();
    server_out.say(format!("bound to {addr}"));
    let socket = demo_socket()?;
    let mut out = Side::client();
    out.say(format!("bound to {}", socket.local_addr()?));
    run_roles(
        move || {
            let mut replies = replies.into_iter();
            let mut buf = [0u8; BUFFER];
            for _ in 0..answers {
                let (datagram, from) = recv_from(&server, &mut buf, &mut server_out)?;
                serve(&server, datagram, from, &mut server_out, &mut replies)?;
            }
            Ok(())
        },
        || {
            client(&socket, addr, until_quit(lines.into_iter()), &mut out)?;
            out.say("q: done; nothing to close, since there is no connection");
            Ok(())
        },
    )?;
    narrate(
        "each message is one datagram holding one JSON object; recvfrom told the server where to send each answer",
    );
    narrate("next: `demo many`, where several clients talk to the same server socket");
    Ok(())
}

/// Chat with the server at `addr`, with lines from `messages` or stdin.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut out = Side::client();
    let socket = client_socket(addr, &out)?;
    socket.set_read_timeout(Some(PATIENCE))?;
    out.say(format!("chatting with {addr} as {CLIENT_NAME}; q quits"));
    client(
        &socket,
        addr,
        until_quit(classroom::cli::input_lines(messages)),
        &mut out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_json_is_the_documents_fields_in_utf8() {
        let bytes = encode("server", "好的").unwrap();
        assert_eq!(bytes, r#"{"name":"server","msg":"好的"}"#.as_bytes());
    }

    #[test]
    fn pythons_json_dumps_is_understood() {
        // json.dumps escapes non-ASCII and puts spaces after : and , by default.
        let python = br#"{"name": "server", "msg": "\u597d\u7684"}"#;
        let message = decode(python).unwrap();
        assert_eq!(
            (message.name.as_str(), message.msg.as_str()),
            ("server", "好的")
        );
    }

    #[test]
    fn each_kind_of_bad_datagram_is_named() {
        let cases: [(&[u8], &str); 6] = [
            (b"hello", "not JSON"),
            (&[0xff, 0xfe], "not UTF-8"),
            (br#"{"name": "x"}"#, "missing field `msg`"),
            (br#"{"name": 1, "msg": "x"}"#, "invalid type: integer"),
            (br#"["x", "y"]"#, "JSON, but not an object"),
            (&[b' '; LIMIT + 1], "longer than 1024 bytes"),
        ];
        for (datagram, expected) in cases {
            let bad = decode(datagram).unwrap_err().to_string();
            assert!(
                bad.contains(expected),
                "{bad:?} should contain {expected:?}"
            );
        }
    }

    #[test]
    fn a_message_too_long_for_the_other_side_is_not_sent() {
        let err = encode("client1", &"x".repeat(LIMIT)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(encode("client1", &"x".repeat(LIMIT - 40)).is_ok());
    }
}
