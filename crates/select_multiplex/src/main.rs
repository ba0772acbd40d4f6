//! `select_multiplex`: lesson 07's command line, wiring steps to the library.

use std::io;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::compare::{Pair, Version};
use classroom::{Endpoint, Lesson};
use select_multiplex::multiplex::{self, Kind};
use select_multiplex::{PORT, blocking, download, limit, scaling};

/// The steps of lesson 07, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Broken on purpose: blocking calls, client 2 waits until client 1 leaves (doc 002 §4, port 8001)
    Blocking,
    /// The document's select server: inputs list, 50 ms rounds, two clients at once (doc 002 §5, port 8001)
    Select,
    /// Broken on purpose: the select client reads once, so each picture is cut short (doc 002 §5)
    ClientBroken,
    /// Five non-blocking connects; GET when writable, read to Content-Length when readable (doc 002 §5)
    Client,
    /// The same server with poll() (Windows: WSAPoll): no FD_SETSIZE limit, still a copy and a scan per call (doc 002 §5, port 8001)
    Poll,
    /// The same server with epoll: register once, get back only the ready sockets (doc 002 §5, Linux, port 8001)
    Epoll,
    /// select() cannot watch descriptor 1024 (Windows: a 65th socket); poll carries on with it (doc 002 §5)
    Limit,
    /// Edge-triggered epoll: one read per wake-up stalls a client; read until WouldBlock (doc 002 §5, Linux)
    Edge,
    /// Measured: one round trip with 10 to 10,000 idle connections, select vs poll vs epoll (doc 002 §5)
    Scaling,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "select_multiplex";
    const ABOUT: &'static str = "Lesson 07: one thread, many sockets: select, poll and epoll";
    const LONG_ABOUT: &'static str = "Lesson 07 (lessons/07-select-multiplex.md): IO multiplexing \
        (IO多路复用) as document 002 §4–§5 builds it: select, poll and epoll, the 1024 limit, \
        edge triggering, and a measurement. `server STEP` and `client STEP` run the echo \
        servers in two terminals on the document's port 8001.";
    const HEADLINE: Self = Step::Select;
    const ALL: Self = Step::All;
    const PAIRS: &'static [Pair<Self>] = &[
        Pair {
            name: "two-clients",
            question: "is client 2 echoed while client 1 is still connected?",
            versions: [
                side(Step::Blocking, "server", "client 2 was"),
                side(Step::Select, "on_ready", "client 2 was"),
            ],
        },
        Pair {
            name: "download",
            question: "are the five pictures saved whole?",
            versions: [
                side(Step::ClientBroken, "on_readable_naive", "saved pictures"),
                side(Step::Client, "on_readable_framed", "saved pictures"),
            ],
        },
    ];

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Blocking => blocking::demo(),
            Step::ClientBroken | Step::Client => download::demo(self == Step::Client),
            Step::Limit => limit::demo(),
            #[cfg(target_os = "linux")]
            Step::Edge => select_multiplex::edge::demo(),
            Step::Scaling => scaling::demo(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
            step => multiplex::demo(kind(step)), // Edge off Linux: says it needs epoll
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        match self {
            Step::Blocking => classroom::runner::serve(at.addr(PORT)?, blocking::server),
            Step::Select | Step::Poll | Step::Epoll => {
                multiplex::run_server(kind(self), at.addr(PORT)?)
            }
            _ => Err(classroom::cli::no_role(self, "server")),
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        match self {
            // One client for every echo server: it runs everywhere.
            Step::Blocking | Step::Select | Step::Poll | Step::Epoll => {
                select_multiplex::client(at.addr(PORT)?, messages)
            }
            _ => Err(classroom::cli::no_role(self, "client")),
        }
    }
}

/// The call a step's server waits with.
fn kind(step: Step) -> Kind {
    match step {
        Step::Poll => Kind::Poll,
        Step::Epoll | Step::Edge => Kind::Epoll,
        _ => Kind::Select,
    }
}

/// One side of a pair: its demo, and the region `anchor` of its file.
const fn side(step: Step, anchor: &'static str, shows: &'static str) -> Version<Step> {
    let file = match step {
        Step::Blocking => "crates/select_multiplex/src/blocking.rs",
        Step::Select => "crates/select_multiplex/src/multiplex.rs",
        _ => "crates/select_multiplex/src/download.rs", // client-broken, client
    };
    let code = (file, anchor);
    Version { step, code, shows }
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
