//! `sticky_packet_demo`: lesson 04's command line. Each step's logic lives
//! in the library; this file only wires steps to it.

use std::io;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::cli::input_lines;
use classroom::compare::{Pair, Version};
use classroom::tcp::RECV_SIZE;
use classroom::{Endpoint, Lesson, runner};
use sticky_packet_demo::{buffers, glue, leftover, nagle, split, udp};

/// The steps of lesson 04, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Two sends ('lbw正在吃', '翔'), one recv(1024): TCP glues them (doc 002 §3, doc 004; port 8001)
    Glue,
    /// 1000 one-byte sends: Nagle packs them into fewer segments; TCP_NODELAY brings no boundaries back (docs 000, 004)
    Nagle,
    /// 拆包: one send in several recvs; a fixed-size read mixes two files; a read cuts a UTF-8 character (docs 000, 004)
    Split,
    /// A command's output longer than recv(1024) leaks into the next command's answer (doc 001; port 9999)
    Leftover,
    /// UDP keeps boundaries and empty datagrams; an empty TCP write sends nothing (doc 000; port 9000)
    Udp,
    /// A recv returns half a file; written bytes wait in the kernel until ACKed (docs 000, 002)
    Buffers,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "sticky_packet_demo";
    const ABOUT: &'static str =
        "Lesson 04: watch TCP glue messages together (粘包) and cut them apart (拆包)";
    const LONG_ABOUT: &'static str = "Lesson 04 (lessons/04-sticky-packet-demo.md): sticky packets \
        (粘包) and split packets (拆包), as documents 000, 001, 002 and 004 show them in Python. \
        `demo STEP` runs both roles in one process; `server STEP` and `client STEP` run the \
        glue, leftover and udp steps in two terminals on the documents' ports. The fixes are \
        lesson 05 (struct_header_fix).";
    const HEADLINE: Self = Step::Glue;
    const ALL: Self = Step::All;
    const PAIRS: &'static [Pair<Self>] = &[Pair {
        name: "utf8",
        question: "does text cut by a fixed-size read decode?",
        versions: [
            Version {
                step: Step::Split,
                code: ("crates/sticky_packet_demo/src/split.rs", "decode_naive"),
                shows: "decoded on its own: error",
            },
            Version {
                step: Step::Split,
                code: ("crates/sticky_packet_demo/src/split.rs", "utf8_carry"),
                shows: "carrying cut bytes",
            },
        ],
    }];

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Glue => glue::demo(),
            Step::Nagle => nagle::demo(),
            Step::Split => split::demo(),
            Step::Leftover => leftover::demo(),
            Step::Udp => udp::demo(),
            Step::Buffers => buffers::demo(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        match self {
            // Reads late: once 1024 bytes are in, or the client has closed.
            Step::Glue => runner::serve(at.addr(glue::PORT)?, |listener| {
                glue::server(listener, RECV_SIZE).map(drop)
            }),
            Step::Leftover => runner::serve(at.addr(leftover::PORT)?, leftover::server),
            Step::Udp => udp::server(at.addr(udp::PORT)?),
            Step::Nagle | Step::Split | Step::Buffers | Step::All => {
                Err(classroom::cli::no_role(self, "server"))
            }
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        match self {
            Step::Glue => glue::client(at.addr(glue::PORT)?, until_q(messages)),
            Step::Leftover => leftover::client(at.addr(leftover::PORT)?, messages),
            Step::Udp => udp::client(at.addr(udp::PORT)?, until_q(messages)),
            Step::Nagle | Step::Split | Step::Buffers | Step::All => {
                Err(classroom::cli::no_role(self, "client"))
            }
        }
    }
}

/// The MESSAGE arguments, or else lines typed on stdin, up to the end of
/// input or a line `q` (not sent): each one is sent on its own.
fn until_q(messages: &[String]) -> impl Iterator<Item = String> + '_ {
    input_lines(messages).take_while(|line| !line.eq_ignore_ascii_case("q"))
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
