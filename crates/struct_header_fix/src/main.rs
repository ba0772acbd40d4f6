//! `struct_header_fix`: lesson 05's command line. Each step's logic lives in
//! the library; this file only wires steps to it.
//!
//! The command line is the workspace's usual one (`demo [STEP]`,
//! `server [STEP]`, `client [STEP]`, `--host`, `--port`), with one option
//! more: `--dir`, the folder a server saves into and serves from, and the
//! folder a downloading client saves into.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use classroom::cli::no_role;
use classroom::tcp::serve_forever;
use classroom::{Endpoint, Lesson};
use struct_header_fix::files::Folder;
use struct_header_fix::{ack, case, download, json_header, length, pack, ready};

/// The steps of lesson 05, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Fix A: header, wait for ok, then the file; what the ok costs (doc 004, port 8001)
    Ack,
    /// Fix B: ready|SIZE, start, read until SIZE with progress (doc 001, port 9999)
    Ready,
    /// struct.pack('i', n): 199 -> c7 00 00 00, the i32 range, byte order (docs 002, 004)
    Pack,
    /// Broken on purpose: a big-endian length read as little endian (docs 002, 004)
    PackBroken,
    /// Fix C: a 4-byte length, then the data; two messages come apart (doc 002, port 8001)
    Length,
    /// Fix D: length of a JSON header, the header (name, size, md5), the file (docs 000, 004, port 8001)
    JsonHeader,
    /// Messages and file uploads: msg|TEXT, file|PATH, Q; saved in files/ (doc 002, port 8001)
    Case,
    /// List the server's folder and download a file, resumable (doc 004's `pass`, port 8001)
    Download,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "struct_header_fix";
    const ABOUT: &'static str = "Lesson 05: fix sticky packets the documents' ways";
    const LONG_ABOUT: &'static str = "Lesson 05 (lessons/05-struct-header-fix.md): fix sticky \
        packets (粘包) the ways documents 000, 001, 002 and 004 do: an ok between header and \
        data, ready/start with a size, a 4-byte struct.pack('i') length, a JSON header with the \
        file's name, size and md5, and an upload/download file server. `demo STEP` runs both \
        roles in one process; `server STEP` and `client STEP` run them in two terminals on the \
        documents' ports, speaking the same bytes as the documents' Python programs.";
    const HEADLINE: Self = Step::Length;
    const ALL: Self = Step::All;

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Ack => ack::demo(),
            Step::Ready => ready::demo(),
            Step::Pack => pack::demo(),
            Step::PackBroken => pack::demo_broken(),
            Step::Length => length::demo(),
            Step::JsonHeader => json_header::demo(),
            Step::Case => case::demo(),
            Step::Download => download::demo(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        serve(self, at, &Folder::new(DEFAULT_SERVER_DIR))
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        connect(self, at, messages, &Folder::new(DEFAULT_CLIENT_DIR))
    }
}

/// Where servers save and serve files unless `--dir` says otherwise: the
/// document 002 server's `files` folder.
const DEFAULT_SERVER_DIR: &str = "files";

/// Where `client download` saves files unless `--dir` says otherwise.
const DEFAULT_CLIENT_DIR: &str = "downloads";

/// Run a step's server on the document's port (or `--port`).
fn serve(step: Step, at: &Endpoint, folder: &Folder) -> io::Result<()> {
    let needs_folder = !matches!(step, Step::Length);
    if needs_folder {
        folder.create()?;
    }
    match step {
        Step::Ack => serve_forever(at.addr(ack::PORT)?, |mut conn, out| {
            ack::serve(&mut conn, out, folder)
        }),
        Step::Ready => serve_forever(at.addr(ready::PORT)?, |mut conn, out| {
            ready::serve(&mut conn, out, folder.path())
        }),
        Step::Length => serve_forever(at.addr(length::PORT)?, |mut conn, out| {
            length::serve(&mut conn, out)
        }),
        // One file server answers uploads, lists and downloads.
        Step::JsonHeader | Step::Download => {
            serve_forever(at.addr(json_header::PORT)?, |mut conn, out| {
                json_header::serve(&mut conn, out, folder)
            })
        }
        Step::Case => serve_forever(at.addr(case::PORT)?, |mut conn, out| {
            case::serve(&mut conn, out, folder)
        }),
        Step::Pack | Step::PackBroken | Step::All => Err(no_role(step, "server")),
    }
}

/// Run a step's client against the document's port (or `--port`).
fn connect(step: Step, at: &Endpoint, messages: &[String], dest: &Folder) -> io::Result<()> {
    match step {
        Step::Ack => ack::run_client(at.addr(ack::PORT)?, messages),
        Step::Ready => ready::run_client(at.addr(ready::PORT)?, messages),
        Step::Length => length::run_client(at.addr(length::PORT)?, messages),
        Step::JsonHeader => json_header::run_client(at.addr(json_header::PORT)?, messages),
        Step::Case => case::run_client(at.addr(case::PORT)?, messages),
        Step::Download => download::run_client(at.addr(download::PORT)?, messages, dest),
        Step::Pack | Step::PackBroken | Step::All => Err(no_role(step, "client")),
    }
}

/// `server`'s own option.
#[derive(Args, Debug)]
struct ServerOptions {
    /// The folder the server saves uploads into and serves files from
    /// (created if missing).
    #[arg(long, default_value = DEFAULT_SERVER_DIR)]
    dir: PathBuf,
}

/// `client`'s own option.
#[derive(Args, Debug)]
struct ClientOptions {
    /// The folder `client download` saves into (created if missing).
    #[arg(long, default_value = DEFAULT_CLIENT_DIR)]
    dir: PathBuf,
}

fn main() -> ExitCode {
    classroom::cli::run_with::<Step, ServerOptions, ClientOptions>(
        |step, at, options| serve(step, at, &Folder::new(options.dir)),
        |step, at, messages, options| connect(step, at, messages, &Folder::new(options.dir)),
    )
}
