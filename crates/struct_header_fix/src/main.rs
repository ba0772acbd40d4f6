//! `struct_header_fix`: lesson 05's command line, the workspace's usual one
//! with one option more: `--dir`, the folder a server saves into and serves
//! from, and the folder a downloading client saves into.

use std::io;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use classroom::cli::{input_lines, no_role};
use classroom::compare::{Pair, Version};
use classroom::{Endpoint, Lesson, runner};
use struct_header_fix::{ack, case, download, json_header, length, pack, pack_broken, ready};

/// The steps of lesson 05, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Fix A: header, wait for ok, then the file: no glue, a round trip more (doc 004, port 8001)
    Ack,
    /// Fix B: ready|SIZE, start, read until SIZE with progress (doc 001, port 9999)
    Ready,
    /// struct.pack('i', n): 199 -> c7 00 00 00, the i32 range, byte order (docs 002, 004)
    Pack,
    /// Broken on purpose: a big-endian length read as little endian (docs 002, 004)
    PackBroken,
    /// Fix C: a 4-byte length, then the data; glued messages come apart (doc 002, port 8001)
    Length,
    /// Fix D: length of a JSON header, the header (name, size, md5), the file (docs 000, 004, port 8001)
    JsonHeader,
    /// Messages and file uploads: msg|TEXT, file|PATH, Q; saved in files/ (doc 002, port 8001)
    Case,
    /// Download a file by name, its md5 checked (what doc 004 leaves as `pass`, port 8001)
    Download,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "struct_header_fix";
    const ABOUT: &'static str = "Lesson 05: fix sticky packets the documents' ways";
    const LONG_ABOUT: &'static str = "Lesson 05 (lessons/05-struct-header-fix.md): fix sticky \
        packets (粘包) the ways documents 000, 001, 002 and 004 do: an ok, ready/start, a \
        struct.pack('i') length, a JSON header with name, size and md5. `server STEP` and \
        `client STEP` speak the same bytes as the documents' Python programs.";
    const HEADLINE: Self = Step::Length;
    const ALL: Self = Step::All;
    const PAIRS: &'static [Pair<Self>] = &[Pair {
        name: "byte-order",
        question: "does the receiver read the length the sender packed?",
        versions: [
            Version {
                step: Step::PackBroken,
                code: ("crates/struct_header_fix/src/pack_broken.rs", "pack_broken"),
                shows: "struct.unpack('i') reads",
            },
            Version {
                step: Step::Pack,
                code: ("crates/struct_header_fix/src/frame.rs", "pack_i"),
                shows: "struct.unpack('i', c7 00 00 00)",
            },
        ],
    }];

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Ack => ack::demo(),
            Step::Ready => ready::demo(),
            Step::Pack => pack::demo(),
            Step::PackBroken => pack_broken::demo(),
            Step::Length => length::demo(),
            Step::JsonHeader => json_header::demo(),
            Step::Case => case::demo(),
            Step::Download => download::demo(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }
}

/// Run a step's server on the document's port (or `--port`), one client
/// after another; `dir` is where it saves and serves files.
fn serve(step: Step, at: &Endpoint, dir: &Path) -> io::Result<()> {
    let in_dir = |serve_one: fn(&TcpListener, &Path) -> io::Result<()>, port| {
        std::fs::create_dir_all(dir)?;
        runner::serve(at.addr(port)?, |listener| serve_one(listener, dir))
    };
    match step {
        Step::Ack => in_dir(ack::server, ack::PORT),
        Step::Ready => in_dir(ready::server, ready::PORT),
        Step::Length => runner::serve(at.addr(length::PORT)?, length::server),
        Step::JsonHeader => in_dir(json_header::server, json_header::PORT),
        Step::Case => in_dir(case::server, case::PORT),
        Step::Download => in_dir(download::server, download::PORT),
        Step::Pack | Step::PackBroken | Step::All => Err(no_role(step, "server")),
    }
}

/// Run a step's client against the document's port (or `--port`) with
/// `messages`, or lines from stdin; `dir` is where downloads go.
fn connect(step: Step, at: &Endpoint, messages: &[String], dir: &Path) -> io::Result<()> {
    let lines = input_lines(messages);
    match step {
        Step::Ack => ack::client(at.addr(ack::PORT)?, lines),
        Step::Ready => ready::client(at.addr(ready::PORT)?, lines),
        Step::Length => length::client(at.addr(length::PORT)?, lines, false),
        Step::JsonHeader => json_header::client(at.addr(json_header::PORT)?, lines),
        Step::Case => case::client(at.addr(case::PORT)?, lines, false),
        Step::Download => download::client(at.addr(download::PORT)?, lines, dir),
        Step::Pack | Step::PackBroken | Step::All => Err(no_role(step, "client")),
    }
}

/// The one option `server` and `client` add to the usual ones.
#[derive(Args, Debug)]
struct Folder {
    /// The folder the server saves uploads into and serves files from
    /// (default `files`), or `client download` saves into (default
    /// `downloads`); created if missing.
    #[arg(long)]
    dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    classroom::cli::run_with::<Step, Folder, Folder>(
        |step, at, folder| serve(step, at, &folder.dir.unwrap_or_else(|| "files".into())),
        |step, at, messages, folder| {
            let dir = folder.dir.unwrap_or_else(|| "downloads".into());
            connect(step, at, messages, &dir)
        },
    )
}
