//! `tcp_basic`: lesson 01's command line. Each step's logic lives in the
//! library; this file only wires steps to it.

use std::io;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::tcp::serve_forever;
use classroom::{Endpoint, Lesson};
use tcp_basic::{
    chat, connect, half_close, hello, http, methods, one_at_a_time, sendall, server_first,
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
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        match self {
            Step::Connect => serve_forever(at.addr(connect::PORT)?, connect::serve),
            Step::Hello => serve_forever(at.addr(hello::PORT)?, hello::serve),
            Step::ServerFirst => serve_forever(at.addr(server_first::PORT)?, server_first::serve),
            Step::Chat => {
                // The server's replies are typed on its own terminal.
                let mut replies = classroom::cli::input_lines(&[]);
                serve_forever(at.addr(chat::PORT)?, |conn, out| {
                    chat::serve(conn, out, &mut replies)
                })
            }
            Step::OneAtATime => serve_forever(at.addr(one_at_a_time::PORT)?, one_at_a_time::serve),
            Step::HalfClose => serve_forever(at.addr(half_close::PORT)?, half_close::serve),
            Step::Http => serve_forever(at.addr(http::PORT)?, http::serve),
            Step::Methods | Step::Sendall | Step::All => {
                Err(classroom::cli::no_role(self, "server"))
            }
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        match self {
            Step::Connect => {
                classroom::cli::no_messages("connect", messages)?;
                connect::run_client(at.addr(connect::PORT)?)
            }
            Step::Hello => hello::run_client(at.addr(hello::PORT)?, messages),
            Step::ServerFirst => server_first::run_client(at.addr(server_first::PORT)?, messages),
            Step::Chat => chat::run_client(at.addr(chat::PORT)?, messages),
            // The one-at-a-time server is talked to like the chat server.
            Step::OneAtATime => chat::run_client(at.addr(one_at_a_time::PORT)?, messages),
            Step::HalfClose => half_close::run_client(at.addr(half_close::PORT)?, messages),
            Step::Http => {
                classroom::cli::no_messages("http", messages)?;
                http::run_client(at.addr(http::PORT)?)
            }
            Step::Methods | Step::Sendall | Step::All => {
                Err(classroom::cli::no_role(self, "client"))
            }
        }
    }
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
