//! `reuseaddr`: lesson 02's command line. Each step's logic lives in the
//! library; this file only wires steps to it.

use std::io;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::cli::no_role;
use classroom::compare::{Pair, Version};
use classroom::errors::context;
use classroom::{Endpoint, Lesson};
use reuseaddr::client_first::{self, client_close_first, server_wait_for_client};
use reuseaddr::restart::{self, client_wait_for_close, server_close_first};
use reuseaddr::{Bind, PORT, one_message, reuseport, serve_and_restart, states, std_listener};

/// The steps of lesson 02, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Broken on purpose: the server closes first, stops, and cannot bind its port again (docs 000, 003, 004; port 8898)
    Broken,
    /// SO_REUSEADDR before bind: the same restart succeeds next to the TIME_WAIT (docs 000, 004; port 8898)
    Fixed,
    /// The client closes first: TIME_WAIT lands on its side, the server restarts without the option (docs 004, 001; port 8898)
    ClientClosesFirst,
    /// std's TcpListener::bind sets SO_REUSEADDR on Unix (not on Windows): read it back with socket2 (port 8898)
    Std,
    /// Linux: two listeners share one port with SO_REUSEPORT; SO_REUSEADDR does not allow that
    Reuseport,
    /// Linux: listen(5) sizes the accept queue; a full one drops the next SYN: SYN_SENT (docs 004, 001)
    Backlog,
    /// A close held still: FIN_WAIT1, CLOSE_WAIT, FIN_WAIT2, LAST_ACK, TIME_WAIT read live (docs 004, 001, 002)
    States,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "reuseaddr";
    const ABOUT: &'static str = "Lesson 02: Address already in use, TIME_WAIT and SO_REUSEADDR";
    const LONG_ABOUT: &'static str = "Lesson 02 (lessons/02-reuseaddr.md): why a server that \
        closed its connections first cannot start again on its port for a while (TIME_WAIT, 2MSL), \
        and how SO_REUSEADDR set before bind fixes it, as documents 000, 003 and 004 explain. \
        `demo STEP` runs both roles in one process; `server STEP` and `client STEP` run them \
        in two terminals on the documents' port 8898.";
    const HEADLINE: Self = Step::Broken;
    const ALL: Self = Step::All;
    const PAIRS: &'static [Pair<Self>] = &[Pair {
        name: "restart",
        question: "does a server that closed first get its port back at once?",
        versions: [
            Version {
                step: Step::Broken,
                code: ("crates/reuseaddr/src/bind.rs", "bind_without_reuse"),
                shows: "bind failed",
            },
            Version {
                step: Step::Fixed,
                code: ("crates/reuseaddr/src/bind.rs", "bind_with_reuse"),
                shows: "listening again",
            },
        ],
    }];

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Broken => restart::demo_broken(),
            Step::Fixed => restart::demo_fixed(),
            Step::ClientClosesFirst => client_first::demo(),
            Step::Std => std_listener::demo(),
            Step::Reuseport => reuseport::demo(),
            Step::Backlog => states::backlog(),
            Step::States => states::states(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        let addr = at.addr(PORT)?;
        match self {
            Step::Broken => serve_and_restart(addr, Bind::WithoutReuse, server_close_first),
            Step::Fixed => serve_and_restart(addr, Bind::WithReuse, server_close_first),
            Step::ClientClosesFirst => {
                serve_and_restart(addr, Bind::WithoutReuse, server_wait_for_client)
            }
            Step::Std => serve_and_restart(addr, Bind::Std, server_close_first),
            Step::Reuseport | Step::Backlog | Step::States | Step::All => {
                Err(no_role(self, "server"))
            }
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        let addr = at.addr(PORT)?;
        let result = match self {
            Step::Broken | Step::Fixed | Step::Std => {
                client_wait_for_close(addr, &one_message(messages)?)
            }
            Step::ClientClosesFirst => client_close_first(addr, &one_message(messages)?),
            Step::Reuseport | Step::Backlog | Step::States | Step::All => {
                return Err(no_role(self, "client"));
            }
        };
        // The step's own error, with the address it was talking to.
        result.map_err(|e| context(e, format!("talking to {addr}")))
    }
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
