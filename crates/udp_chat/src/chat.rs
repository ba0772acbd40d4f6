//! `chat`: a conversation in JSON datagrams (document 000 §基于UDP协议的
//! socket, 聊天工具, port 8000): one UTF-8 JSON object `{"name", "msg"}` per
//! datagram. Nothing that arrives is trusted: a datagram that is not such a
//! message is named in one line and ignored.

use std::fmt;
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use classroom::bytes::escape;
use classroom::tcp::{TYPING_PATIENCE, seconds};
use classroom::{Traced, narrate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lost_reply::answer_within;
use crate::{Budget, client_socket, pair, until_quit};

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

/// How long the client waits for an answer: a person types it.
pub const PATIENCE: Duration = TYPING_PATIENCE;
/// When the client says it is still waiting (is the server running?).
pub const NUDGE: Duration = Duration::from_secs(3);

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

/// `name` saying `msg`, as the bytes of one datagram: JSON, UTF-8.
/// Refused if the other side's `recvfrom(1024)` could not take it whole.
pub fn encode(name: &str, msg: &str) -> io::Result<Vec<u8>> {
    let (name, msg) = (name.to_owned(), msg.to_owned());
    let bytes = serde_json::to_vec(&Message { name, msg })?;
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

/// Print a received datagram as the document does, or say in one line why
/// it is not a message. Returns the message if it is one. Whoever sent it
/// chose the words: they are printed escaped (`\u{1b}[2J`, not a cleared screen).
pub fn show(socket: &Traced<UdpSocket>, datagram: &[u8]) -> Option<Message> {
    match decode(datagram) {
        Ok(message) => {
            let (name, msg) = (escape(&message.name), escape(&message.msg));
            socket.say(format!("message from {name}: {msg}"));
            Some(message)
        }
        Err(bad) => {
            socket.say(format!("ignored: {}", escape(&bad.to_string())));
            None
        }
    }
}

// ANCHOR: server
/// The server's half, for one datagram: show the message, then answer its
/// sender with the next line of `replies` that fits in a datagram.
pub fn server(
    socket: &Traced<UdpSocket>,
    budget: &mut Budget,
    replies: &mut impl Iterator<Item = String>,
) -> io::Result<()> {
    let mut buf = [0u8; BUFFER];
    let (n, from) = socket.recv_from(&mut buf)?; // Python: qq_msg, addr = sk.recvfrom(1024)
    if show(socket, &buf[..n]).is_none() || !budget.may_answer(socket, from)? {
        return Ok(()); // nothing to answer; wait for the next datagram
    }
    for reply in replies {
        match encode(SERVER_NAME, &reply) {
            // Python: sk.sendto(json.dumps(data).encode("utf-8"), addr)
            Ok(datagram) => return socket.send_to(&datagram, from).map(drop),
            Err(too_long) => socket.say(format!("{too_long}; type a shorter answer")),
        }
    }
    socket.say("no answer: the input on this side has ended");
    Ok(())
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: bind, then send each line as a message (up to `q`),
/// wait for the answer, print it. A line too long for one message is
/// refused, and the next one read.
pub fn client(server: SocketAddr, lines: impl Iterator<Item = String>) -> io::Result<()> {
    let socket = client_socket(server)?;
    socket.say(format!("chatting with {server} as {CLIENT_NAME}; q quits"));
    let mut buf = [0u8; BUFFER];
    for line in until_quit(&socket, lines) {
        let datagram = match encode(CLIENT_NAME, &line) {
            Ok(datagram) => datagram,
            Err(too_long) => {
                socket.say(format!("{too_long}; type a shorter line"));
                continue;
            }
        };
        socket.send_to(&datagram, server)?; // Python: ck.sendto(…, server_addr)
        let n = wait_for_answer(&socket, server, &mut buf, PATIENCE)?; // Python: ck.recvfrom(…)
        show(&socket, &buf[..n]);
    }
    Ok(())
}
// ANCHOR_END: client

// ANCHOR: wait_for_answer
/// Wait for `server`'s answer, at most `patience`. A person types it, so
/// the wait is long; but after [`NUDGE`] the client says it is still
/// waiting, so whoever forgot to start the server is not left staring at
/// a silent terminal. Datagrams from anyone else are ignored.
pub fn wait_for_answer(
    socket: &Traced<UdpSocket>,
    server: SocketAddr,
    buf: &mut [u8],
    patience: Duration,
) -> io::Result<usize> {
    if let Some(n) = answer_within(socket, server, buf, NUDGE.min(patience))? {
        return Ok(n);
    }
    socket.say(format!(
        "no answer yet: is the server running at {server}? (still waiting, up to {} in all)",
        seconds(patience)
    ));
    let why = format!("no answer from {server} within {}", seconds(patience));
    answer_within(socket, server, buf, patience.saturating_sub(NUDGE))?
        .ok_or_else(|| io::Error::new(ErrorKind::TimedOut, why))
}
// ANCHOR_END: wait_for_answer

/// Both halves in one process, with a scripted conversation.
pub fn demo() -> io::Result<()> {
    let lines = ["你好", "what is UDP?", "q"].map(String::from);
    let replies = ["hi!", "letters, not a phone call"].map(String::from);
    pair(
        move |socket| {
            let answers = replies.len();
            let (mut replies, mut budget) = (replies.into_iter(), Budget::default());
            (0..answers).try_for_each(|_| server(&socket, &mut budget, &mut replies))
        },
        |addr| client(addr, lines.into_iter()),
    )?;
    narrate(
        "each message is one datagram holding one JSON object; recvfrom told the server where to send each answer",
    );
    narrate("next: `demo many`, where several clients talk to the same server socket");
    Ok(())
}
