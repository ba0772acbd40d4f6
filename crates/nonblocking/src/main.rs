//! `nonblocking`: lesson 06's command line. Each step's logic lives in the
//! library; this file only wires steps to it.

use std::io;
use std::net::TcpListener;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::cli::announce_listening;
use classroom::compare::{Pair, Version};
use classroom::errors::bind_failed;
use classroom::tcp::{messages_or, patience};
use classroom::{Endpoint, Lesson, runner};
use nonblocking::{MESSAGE, OtherWork, PORT, blocking, broken, busy_loop, fixed, timeout};

/// The steps of lesson 06, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// accept, recv and connect wait; how long each call sat there (doc 002 §4, port 8001)
    Blocking,
    /// setblocking(False) and nothing else: would block / in progress, the program stops (doc 002 §4, port 8001)
    Broken,
    /// Would block means "not yet": try again with other work between; connect via poll + SO_ERROR (doc 002 §4-5, port 8001)
    Fixed,
    /// Polling without waiting: the CPU a busy loop burns, against a blocking wait (doc 002 §5)
    BusyLoop,
    /// settimeout as the middle ground: read and write timeouts and the error they give (doc 001)
    Timeout,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "nonblocking";
    const ABOUT: &'static str =
        "Lesson 06: blocking calls, setblocking(False), the try-again loop and timeouts";
    const LONG_ABOUT: &'static str = "Lesson 06 (lessons/06-nonblocking.md): blocking and \
        non-blocking sockets, as document 002 §4 (阻塞和非阻塞) and document 001 \
        (setblocking, settimeout) show them in Python. `demo STEP` runs both roles in one \
        process; `server STEP` and `client STEP` (blocking, broken, fixed) run them in two \
        terminals on the document's port 8001.";
    const HEADLINE: Self = Step::Fixed;
    const ALL: Self = Step::All;
    const PAIRS: &'static [Pair<Self>] = &[Pair {
        name: "would-block",
        question: "does the server get past accept() when no client is waiting yet?",
        versions: [
            Version {
                step: Step::Broken,
                code: ("crates/nonblocking/src/broken.rs", "accept_naive"),
                shows: "accept() failed at once",
            },
            Version {
                step: Step::Fixed,
                code: ("crates/nonblocking/src/fixed.rs", "accept"),
                shows: "accept() returned a connection",
            },
        ],
    }];

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Blocking => blocking::demo(),
            Step::Broken => broken::demo(),
            Step::Fixed => fixed::demo(),
            Step::BusyLoop => busy_loop::demo(),
            Step::Timeout => timeout::demo(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        let addr = at.addr(PORT)?;
        match self {
            Step::Blocking => runner::serve(addr, blocking::server),
            Step::Broken => {
                // Not runner::serve: like the document's program, it stops
                // at its first error instead of serving the next client.
                let listener = TcpListener::bind(addr).map_err(|e| bind_failed(e, addr, "TCP"))?;
                announce_listening(&listener)?;
                broken::server(&listener)
            }
            Step::Fixed => {
                let mut work = OtherWork::default(); // kept from client to client
                runner::serve(addr, |listener| {
                    fixed::server(listener, &mut work, patience()).map(drop)
                })
            }
            Step::BusyLoop | Step::Timeout | Step::All => {
                Err(classroom::cli::no_role(self, "server"))
            }
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        let (addr, messages) = (at.addr(PORT)?, messages_or(messages, MESSAGE));
        match self {
            Step::Blocking => blocking::client(addr, messages),
            Step::Broken => broken::client(addr, &messages),
            Step::Fixed => fixed::client(addr, &messages, &mut OtherWork::default()),
            Step::BusyLoop | Step::Timeout | Step::All => {
                Err(classroom::cli::no_role(self, "client"))
            }
        }
    }
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
