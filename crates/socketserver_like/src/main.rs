//! `socketserver_like`: lesson 08's command line, wiring steps to the library.

use std::io;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::cli::{no_messages, no_role};
use classroom::compare::{Pair, Version};
use classroom::{Endpoint, Lesson};
use socketserver_like::{PORT, TcpServer, pool, serve_tcp, shutdown, slow, udp, upper, welcome};

/// The steps of lesson 08, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// A socketserver handler upper-cases what the client sends (doc 000, port 9999)
    Upper,
    /// A thread per connection: a welcome, then hello, <line> until exit (doc 003, port 9999)
    Welcome,
    /// Broken on purpose: a plain TcpServer makes client 2 wait for client 1 (doc 003, port 9999)
    Sequential,
    /// The fix: a thread per request (ThreadingMixIn) welcomes client 2 at once (doc 003, port 9999)
    Threading,
    /// Silent clients, then 1,000 at once, against a pool of 4 workers (beyond the documents, port 9999)
    Pool,
    /// Broken on purpose: 4 silent clients hold every worker of a pool that reads for itself (port 9999)
    Starve,
    /// A UdpServer whose datagram handler upper-cases each datagram (docs 000, 003; UDP port 9999)
    Udp,
    /// Stop serve_forever from another thread while a client is connected (beyond the documents)
    Shutdown,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "socketserver_like";
    const ABOUT: &'static str = "Lesson 08: Python's socketserver in Rust";
    const LONG_ABOUT: &'static str = "Lesson 08 (lessons/08-socketserver-like.md): Python's \
        socketserver in Rust, as documents 000 and 003 use it: request handlers, TCP and UDP \
        servers, a thread per request, a pool fed whole requests by one poll thread, shutdown.";
    const HEADLINE: Self = Step::Upper;
    const ALL: Self = Step::All;
    const PAIRS: &'static [Pair<Self>] = &[
        Pair {
            name: "sequential",
            question: "is client 2 welcomed while client 1 is still connected?",
            versions: [
                side(Step::Sequential, "sequential_server", "client 2 waited"),
                side(Step::Threading, "threading_server", "was welcomed after"),
            ],
        },
        Pair {
            name: "starve",
            question: "can clients that send nothing hold every worker of a pool?",
            versions: [
                side(Step::Starve, "starving", "no answer within"),
                side(Step::Pool, "server", "holds no worker"),
            ],
        },
    ];

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Upper => upper::demo(),
            Step::Welcome => welcome::demo(),
            Step::Sequential => slow::demo_sequential(),
            Step::Threading => slow::demo_threading(),
            Step::Pool => pool::demo(),
            Step::Starve => slow::demo_starve(),
            Step::Udp => udp::demo(),
            Step::Shutdown => shutdown::demo(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        let addr = at.addr(PORT)?;
        match self {
            Step::Upper => serve_tcp(TcpServer::bind(addr, upper::Upper)?),
            Step::Welcome | Step::Threading => serve_tcp(welcome::server(addr)?),
            Step::Sequential => serve_tcp(welcome::sequential_server(addr)?),
            Step::Pool => pool::serve(addr),
            Step::Starve => serve_tcp(pool::starving_server(addr)?),
            Step::Udp => udp::serve(addr),
            Step::Shutdown | Step::All => Err(no_role(self, "server")),
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        let addr = at.addr(PORT)?;
        match self {
            Step::Upper => upper::run_client(addr, messages),
            Step::Welcome | Step::Sequential | Step::Threading => {
                welcome::run_client(addr, messages)
            }
            Step::Pool => no_messages("pool", messages).and_then(|()| pool::run_client(addr)),
            Step::Udp => udp::run_client(addr, messages),
            Step::Starve | Step::Shutdown | Step::All => Err(no_role(self, "client")),
        }
    }
}

/// A `compare` side: the step, the anchor the lesson shows, the mark of the line saying what happened.
const fn side(step: Step, anchor: &'static str, shows: &'static str) -> Version<Step> {
    let file = match step {
        Step::Sequential | Step::Threading => "crates/socketserver_like/src/welcome.rs",
        _ => "crates/socketserver_like/src/pool.rs", // starve, pool
    };
    let code = (file, anchor);
    Version { step, code, shows }
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
