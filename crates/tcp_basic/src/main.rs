//! `tcp_basic`: lesson 01's command line. Each step's logic lives in the
//! library; this file only wires steps to it.

use std::io;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::cli::{input_lines, no_messages, no_role};
use classroom::errors::context;
use classroom::tcp::messages_or;
use classroom::{Endpoint, Lesson, Side, runner};
use tcp_basic::{
    chat, connect, half_close, hello, http, low_port, methods, one_at_a_time, sendall, server_first,
};

/// The steps of lesson 01, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Accept a connection and print its 4-tuple on both ends (doc 004 §4.1, port 8080)
    Connect,
    /// Client sends hello!, server prints it and replies hi (doc 000, port 8898)
    Hello,
    /// The server speaks first, so the client must receive first (doc 004 §4.2, port 8080)
    ServerFirst,
    /// A conversation until either side types q (doc 004 §4.2, port 8080)
    Chat,
    /// Broken on purpose: client 2 waits until client 1 leaves (doc 004 §4.3, port 8080)
    OneAtATime,
    /// getsockname, connect_ex, settimeout, fileno, makefile, getsockopt, AF_UNIX (docs 000, 001)
    Methods,
    /// write() may take fewer bytes than offered; the loop that is sendall (doc 000)
    Sendall,
    /// Shut down one direction; the other still works: the four-way close (docs 004, 001; port 8001)
    HalfClose,
    /// A raw HTTP GET to a tiny HTTP server on loopback (doc 002, port 8000)
    Http,
    /// Who may bind port 1023: root, and an ordinary user in a child process (docs 003, 004)
    LowPort,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "tcp_basic";
    const ABOUT: &'static str = "Lesson 01: a TCP server and client, step by step";
    const LONG_ABOUT: &'static str = "Lesson 01 (lessons/01-tcp-basic.md): a TCP server and client, \
        step by step, as documents 000, 001, 002 and 004 build them in Python. \
        `demo STEP` runs both roles in one process; `server STEP` and `client STEP` \
        run them in two terminals on the documents' ports.";
    const HEADLINE: Self = Step::Hello;
    const ALL: Self = Step::All;

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Connect => connect::demo(),
            Step::Hello => hello::demo(),
            Step::ServerFirst => server_first::demo(),
            Step::Chat => chat::demo(),
            Step::OneAtATime => one_at_a_time::demo(),
            Step::Methods => methods::demo(),
            Step::Sendall => sendall::demo(),
            Step::HalfClose => half_close::demo(),
            Step::Http => http::demo(),
            Step::LowPort => low_port::demo(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        let addr = at.addr(self.port())?;
        match self {
            Step::Connect => runner::serve(addr, connect::server),
            Step::Hello => runner::serve(addr, hello::server),
            Step::ServerFirst => runner::serve(addr, server_first::server),
            Step::Chat => {
                // The server's replies are typed on its own terminal.
                let mut replies = input_lines(&[]);
                runner::serve(addr, |listener| chat::server(listener, &mut replies))
            }
            Step::OneAtATime => runner::serve(addr, one_at_a_time::server),
            Step::HalfClose => runner::serve(addr, half_close::server),
            Step::Http => runner::serve(addr, http::server),
            Step::Methods | Step::Sendall | Step::LowPort | Step::All => {
                Err(no_role(self, "server"))
            }
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        let addr = at.addr(self.port())?;
        let result = match self {
            Step::Connect => no_messages("connect", messages).and_then(|()| connect::client(addr)),
            Step::Hello => hello::client_each(addr, typed(messages)),
            Step::ServerFirst => {
                server_first::client(addr, &messages_or(messages, server_first::ANSWER).join(" "))
            }
            // The one-at-a-time server is talked to like the chat server.
            Step::Chat | Step::OneAtATime => chat::client(addr, typed(messages)),
            Step::HalfClose => {
                half_close::client(addr, &messages_or(messages, half_close::MESSAGE))
            }
            Step::Http => no_messages("http", messages).and_then(|()| http::client(addr)),
            Step::Methods | Step::Sendall | Step::LowPort | Step::All => {
                return Err(no_role(self, "client"));
            }
        };
        // The step's own error, with the address it was talking to.
        result.map_err(|e| context(e, format!("talking to {addr}")))
    }
}

/// The MESSAGE arguments, or else the lines typed on stdin (with a word on
/// how to type them).
fn typed(messages: &[String]) -> impl Iterator<Item = String> + '_ {
    if messages.is_empty() {
        Side::client().say("type a line and press Enter; q quits");
    }
    input_lines(messages)
}

impl Step {
    /// The document's port for the step's two-terminal form.
    fn port(self) -> u16 {
        match self {
            Step::Connect => connect::PORT,
            Step::Hello => hello::PORT,
            Step::ServerFirst => server_first::PORT,
            Step::Chat => chat::PORT,
            Step::OneAtATime => one_at_a_time::PORT,
            Step::HalfClose => half_close::PORT,
            Step::Http => http::PORT,
            Step::Methods | Step::Sendall | Step::LowPort | Step::All => 0, // no two-terminal form
        }
    }
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
