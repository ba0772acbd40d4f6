//! `ready`: document 001's fix (§粘包的解决办法, port 9999), modelled on an
//! HTTP exchange. The client sends a command; the server announces the
//! size of the output, `ready|SIZE`; the client answers `start`; the server
//! sends the output and the client reads until it has SIZE bytes, showing
//! its progress.
//!
//! ```text
//! client                 server
//!   cat log.txt    ──►
//!              ◄──  ready|2500
//!   start          ──►
//!              ◄──  2500 bytes of output
//! ```
//!
//! Document 001 runs the command through a shell (`subprocess.Popen(cmd,
//! shell=True)`), which lets anyone who can connect run anything. Here the
//! commands are lesson 04's fixed list (`ls`, `cat NAME`, `help`), working
//! inside one folder, and no shell or process is ever started.

use std::io;
use std::net::SocketAddr;
use std::path::Path;

use classroom::{Side, narrate};
use sticky_packet_demo::commands;

use crate::conn::Conn;
use crate::conn::Turns;
use crate::frame::{MESSAGE_CAP, recv_exact};
use classroom::tcp::demo_pair;

use crate::serve::{DemoDir, sample_text};

/// The document's port for this step.
pub const PORT: u16 = 9999;

/// What one `recv` asks for: the document's `recv(1024)`.
pub const RECV_SIZE: usize = 1024;

/// The word that ends the session, the document's `exit`.
pub const EXIT: &str = "exit";

/// The document's answer when a command printed nothing.
pub const CMD_ERROR: &[u8] = b"cmd error...";

// ANCHOR: serve
/// The server's half: run each command, announce the output's size, wait
/// for `start`, send the output.
pub fn serve(conn: &mut impl Conn, out: &mut Side, folder: &Path) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let n = conn.read(&mut buf)?;
        if n == 0 {
            out.eof();
            return Ok(());
        }
        out.received(&buf[..n]);
        let Ok(command) = std::str::from_utf8(&buf[..n]) else {
            send(conn, b"error: the command is not UTF-8 text", out)?;
            continue;
        };
        if command == EXIT {
            return Ok(());
        }
        let output = commands::run(command, folder)?; // never a shell
        if output.is_empty() {
            send(conn, CMD_ERROR, out)?;
            continue;
        }
        send(conn, format!("ready|{}", output.len()).as_bytes(), out)?;
        let n = conn.read(&mut buf)?;
        if n == 0 {
            out.eof();
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the client closed instead of answering start",
            ));
        }
        out.received(&buf[..n]);
        if &buf[..n] != b"start" {
            send(conn, b"error: expected start", out)?;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the client did not answer start",
            ));
        }
        send(conn, &output, out)?;
    }
}
// ANCHOR_END: serve

fn send(conn: &mut impl Conn, data: &[u8], out: &mut Side) -> io::Result<()> {
    out.sent(data);
    conn.write_all(data)
}

/// `ready|2500` → 2500. Anything else is not a size announcement.
pub fn parse_ready(tag: &[u8]) -> Option<u64> {
    std::str::from_utf8(tag)
        .ok()?
        .strip_prefix("ready|")?
        .parse()
        .ok()
}

// ANCHOR: client
/// The client's half of one command: send it, and if the server is ready,
/// say `start` and read exactly the announced number of bytes.
pub fn run_command(stream: &mut impl Conn, command: &str, out: &mut Side) -> io::Result<Vec<u8>> {
    out.sent(command.as_bytes());
    stream.write_all(command.as_bytes())?;
    let mut tag = [0u8; RECV_SIZE];
    let n = stream.read(&mut tag)?;
    out.received(&tag[..n]);
    let Some(size) = parse_ready(&tag[..n]) else {
        return Ok(tag[..n].to_vec()); // an answer without output, shown as is
    };
    if size > MESSAGE_CAP {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("ready|{size} exceeds the cap of {MESSAGE_CAP} bytes"),
        ));
    }
    out.sent(b"start");
    stream.write_all(b"start")?;
    // ANCHOR: read_announced
    let mut output = Vec::with_capacity(size as usize);
    while (output.len() as u64) < size {
        let want = RECV_SIZE.min(size as usize - output.len());
        let mut chunk = vec![0u8; want];
        let got = recv_exact(stream, &mut chunk)?;
        out.received(&chunk[..got]);
        if got < want {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the server closed after {} of {size} bytes",
                    output.len() + got
                ),
            ));
        }
        output.extend_from_slice(&chunk);
        out.say(format!("progress: {}/{size} bytes", output.len()));
    }
    // ANCHOR_END: read_announced
    Ok(output)
}
// ANCHOR_END: client

/// Run each line as a command until `exit` or the end of input.
pub fn client(
    stream: &mut impl Conn,
    out: &mut Side,
    lines: impl Iterator<Item = String>,
) -> io::Result<()> {
    for line in lines {
        let command = line.trim();
        if command.is_empty() {
            continue; // the document's `if not send_data: continue`
        }
        if command == EXIT || command == "q" {
            out.sent(EXIT.as_bytes());
            return stream.write_all(EXIT.as_bytes());
        }
        run_command(stream, command, out)?;
    }
    out.sent(EXIT.as_bytes());
    stream.write_all(EXIT.as_bytes())
}

/// Connect and run commands from `messages` or stdin.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    classroom::tcp::client_session(addr, |mut stream, out| {
        out.say("commands: ls | cat NAME | help, exit to quit");
        client(&mut stream, out, classroom::cli::input_lines(messages))
    })
}

/// Two commands against a scratch folder: a long output, and a name the
/// server refuses.
pub fn demo() -> io::Result<()> {
    let dir = DemoDir::new()?;
    let folder = dir.sub("files")?;
    std::fs::write(folder.join("notes.txt"), "ready, start, go\n")?;
    std::fs::write(folder.join("log.txt"), sample_text(2500))?;
    let commands = ["cat log.txt", "cat ../secret.txt"].map(String::from);
    demo_pair(
        move |mut conn: Turns, out| serve(&mut conn, out, &folder),
        |mut stream: Turns, out| client(&mut stream, out, commands.into_iter()),
    )?;
    narrate(
        "the client knew the size before the output came, so it read exactly that much: nothing was left over for the next command",
    );
    narrate(
        "the cost: an extra round trip (start) per command; a length header saves it, see `demo length`",
    );
    Ok(())
}
