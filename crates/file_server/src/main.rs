//! `file_server`: lesson 05's finished program. The usual command line
//! (`demo`, `server`, `client`, `--host`, `--port`), and `--dir`: the
//! folder the server saves into and serves from, or the client downloads
//! into.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use clap::{Args, ValueEnum};
use classroom::cli::{announce_listening, input_lines, no_role};
use classroom::errors::bind_failed;
use classroom::files::ScratchDir;
use classroom::{Endpoint, Lesson, Side, narrate, run_roles, runner};
use file_server::sweep::sweep_parts;
use file_server::{PORT, client, server};
use struct_header_fix::files::sample_text;
use struct_header_fix::frame::refused;

/// What the file server does.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Upload files, their md5 in the header, streamed to disk (port 8001)
    Upload,
    /// List the folder and download, resuming a broken download (port 8001)
    Download,
    /// Both demos
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "file_server";
    const ABOUT: &'static str = "Lesson 05's finished program: a file server";
    const LONG_ABOUT: &'static str = "The file server lesson 05 \
        (lessons/05-struct-header-fix.md) points to, beyond the documents: uploads, a listing, \
        downloads that resume where a broken one stopped, progress bars. One server answers \
        both `client upload` and `client download`.";
    const HEADLINE: Self = Step::Download;
    const ALL: Self = Step::All;

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Upload => demo_upload(),
            Step::Download => demo_download(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }
}

/// `server`: one server for uploads, listings and downloads.
/// It first sweeps what a killed server left in the folder, and says so.
fn serve(at: &Endpoint, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let addr = at.addr(PORT)?;
    let listener = TcpListener::bind(addr).map_err(|e| bind_failed(e, addr, "TCP"))?;
    announce_listening(&listener)?;
    for name in sweep_parts(dir)? {
        let why = "a temporary file left by a server that was stopped mid-upload";
        Side::server().say(format!("removed {name}: {why}"));
    }
    runner::serve_on(&listener, |listener| server::serve_one(listener, dir))
}

/// `client upload PATH…` or `client download NAME…` (after the listing).
fn connect(step: Step, at: &Endpoint, messages: &[String], dir: &Path) -> io::Result<()> {
    if step == Step::All {
        return Err(no_role(step, "client"));
    }
    let mut stream = TcpStream::connect(at.addr(PORT)?)?;
    let mut lines = input_lines(messages).take_while(|l| !l.is_empty() && l != "q");
    match step {
        Step::Upload => lines.try_for_each(|path| client::upload(&mut stream, Path::new(&path))),
        _ => {
            std::fs::create_dir_all(dir)?;
            let files = client::list(&mut stream)?;
            for choice in lines {
                let name = match choice.parse::<usize>() {
                    Ok(n) if (1..=files.len()).contains(&n) => files[n - 1].name.clone(),
                    _ => choice,
                };
                match client::download(&mut stream, &name, dir, None) {
                    // A mistyped name (refused here or by the server): say
                    // so, and take the next one.
                    Err(e) if refused(&e) || e.kind() == io::ErrorKind::InvalidInput => {
                        Side::client().say(e)
                    }
                    done => done?,
                }
            }
            Ok(())
        }
    }
}

/// Two uploads, then the listing.
fn demo_upload() -> io::Result<()> {
    let scratch = ScratchDir::new("file_server-demo")?;
    let (folder, mine) = (scratch.sub("files")?, scratch.sub("client")?);
    std::fs::write(mine.join("notes.txt"), "upload me\n")?;
    std::fs::write(mine.join("log.txt"), sample_text(3000))?;
    let (listener, addr) = listen()?;
    run_roles(
        move || server::serve_one(&listener, &folder),
        || {
            let mut stream = TcpStream::connect(addr)?;
            for name in ["notes.txt", "log.txt"] {
                client::upload(&mut stream, &mine.join(name))?;
            }
            client::list(&mut stream)?;
            stream.shutdown(std::net::Shutdown::Write)
        },
    )?;
    narrate("each upload's header carried its size and md5; the server checked both");
    Ok(())
}

/// How far the demo's first try gets before the connection breaks.
const BROKEN_AT: u64 = 1000;

/// The listing, a download that breaks off, and the resumed download.
fn demo_download() -> io::Result<()> {
    let scratch = ScratchDir::new("file_server-demo")?;
    let (folder, dest) = (scratch.sub("files")?, scratch.sub("downloads")?);
    std::fs::write(folder.join("notes.txt"), "download me\n")?;
    std::fs::write(folder.join("log.txt"), sample_text(3000))?;
    let (listener, addr) = listen()?;
    let (done_tx, done) = mpsc::channel();
    run_roles(
        move || {
            for _ in 0..2 {
                if let Err(e) = server::serve_one(&listener, &folder) {
                    Side::server().say(runner::ending(&e));
                }
                let _ = done_tx.send(()); // the client may go on
            }
            Ok(())
        },
        || {
            let mut stream = TcpStream::connect(addr)?;
            client::list(&mut stream)?;
            client::download(&mut stream, "log.txt", &dest, Some(BROKEN_AT))?;
            // SO_LINGER 0: close() resets the connection, as a crash would.
            socket2::SockRef::from(&stream).set_linger(Some(std::time::Duration::ZERO))?;
            drop(stream);
            let _ = done.recv();
            let mut stream = TcpStream::connect(addr)?;
            client::download(&mut stream, "log.txt", &dest, None)?;
            stream.shutdown(std::net::Shutdown::Write)?;
            let _ = done.recv();
            Ok(())
        },
    )?;
    narrate("the second try asked for byte 1000 on and got only the 2000 bytes it lacked");
    narrate("the md5 covers the whole file, so the joined copy was checked end to end");
    Ok(())
}

/// A listener on a free loopback port, announced.
fn listen() -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    Side::server().say(format!("listening on {addr}"));
    Ok((listener, addr))
}

/// The one option `server` and `client` add to the usual ones.
#[derive(Args, Debug)]
struct Folder {
    /// The folder the server saves into and serves from (default `files`),
    /// or `client download` saves into (default `downloads`); created if
    /// missing.
    #[arg(long)]
    dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    classroom::cli::run_with::<Step, Folder, Folder>(
        |_, at, folder| serve(at, &folder.dir.unwrap_or_else(|| "files".into())),
        |step, at, messages, folder| {
            let dir = folder.dir.unwrap_or_else(|| "downloads".into());
            connect(step, at, messages, &dir)
        },
    )
}
