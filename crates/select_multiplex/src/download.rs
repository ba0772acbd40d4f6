//! `client-broken` and `client` (document 002 §5): the document's `select` client: five
//! sockets connect without blocking, send a GET when writable, read when readable.

use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use classroom::files::ScratchDir;
use classroom::{Side, narrate};
use socket2::{Domain, Socket, Type};

use crate::http::{self, HEAD_LIMIT, PICTURE, PNG_SIGNATURE};
use crate::multiplex::Readiness;
use crate::os::{AsFd, IN_PROGRESS};
use crate::select::Select;

/// How many downloads run at once: the document's `range(5)`.
pub const CLIENTS: usize = 5;
/// The document's `recv(8196)` (8196, not 8192: its own number).
pub const DOC_RECV_SIZE: usize = 8196;

/// One of the five downloads: `sent` moves it from the document's
/// `client_list` (writable) to `recv_list` (readable); `done`, off both.
#[derive(Debug)]
pub struct Download {
    stream: TcpStream,
    /// `images/N.png` (the document's names come from `uuid.uuid4()`).
    name: String,
    sent: bool,
    done: bool,
    received: Vec<u8>,
    story: Vec<String>,
}

// ANCHOR: connect_nonblocking
/// Start connecting without waiting for the handshake: a non-blocking `connect`
/// returns at once with EINPROGRESS (Windows: WSAEWOULDBLOCK; Python raises
/// BlockingIOError), and the kernel carries on by itself.
pub fn connect_nonblocking(addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_nonblocking(true)?; // Python: client.setblocking(False)
    match socket.connect(&addr.into()) {
        Err(e) if e.raw_os_error() != Some(IN_PROGRESS.0) => Err(e),
        _ => Ok(socket.into()),
    }
}
// ANCHOR_END: connect_nonblocking

impl Download {
    fn finish(&mut self, line: String) -> io::Result<()> {
        self.story.push(line);
        self.done = true;
        Ok(())
    }
}

/// Download the picture [`CLIENTS`] times at once into `folder/images/`,
/// reading with [`on_readable_framed`] if `fixed`, else the document's way.
pub fn download_all(addr: SocketAddr, folder: &Path, fixed: bool) -> io::Result<Vec<Download>> {
    fs::create_dir_all(folder.join("images"))?;
    let on_readable = [on_readable_naive, on_readable_framed][usize::from(fixed)];
    let mut downloads = Vec::new();
    for n in 1..=CLIENTS {
        let (stream, name) = (connect_nonblocking(addr)?, format!("images/{n}.png"));
        let (sent, done, received, story) = (false, false, Vec::new(), Vec::new());
        downloads.push(Download {
            stream,
            name,
            sent,
            done,
            received,
            story,
        });
        let line =
            "connect() returned at once: in progress ({errno}); select() will say when it is done";
        Side::nth_client(n as u32).say(line.replace("{errno}", IN_PROGRESS.1));
    }
    let started = Instant::now();
    while downloads.iter().any(|d| !d.done) && started.elapsed() < Duration::from_secs(10) {
        // ANCHOR: client_loop
        // Sockets still connecting are watched for writable, those whose GET
        // has gone for readable: the server's select() round does the rest.
        let watching = (0..).zip(&downloads).filter(|(_, d)| !d.done);
        let mut watched = watching.map(|(i, d)| (i, d.stream.as_fd(), !d.sent));
        // Python: r, w, e = select.select(recv_list, client_list, [], 0.1)
        let ready = match Select::default().wait(&mut watched, Some(100)) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            ready => ready?,
        };
        for i in ready {
            let d = &mut downloads[i as usize];
            let next_step = if d.sent { on_readable } else { on_writable };
            if let Err(e) = next_step(d, folder) {
                d.finish(format!("failed: {e}"))?;
            }
        }
        // ANCHOR_END: client_loop
    }
    Ok(downloads)
}

/// Writable after a non-blocking connect: connected, unless SO_ERROR says
/// otherwise. Send the GET.
fn on_writable(d: &mut Download, _: &Path) -> io::Result<()> {
    if let Some(e) = d.stream.take_error()? {
        return Err(e);
    }
    let request = http::request(d.stream.peer_addr()?);
    d.stream.write_all(request.as_bytes())?; // Python: sock.sendall(b"GET …")
    let (len, image) = (request.len(), http::IMAGE_PATH);
    let line = format!("writable: connected; sent the {len}-byte GET {image}");
    d.story.push(line);
    d.sent = true;
    Ok(())
}

// ANCHOR: on_readable_naive
/// The document's way: one `recv(8196)`; save what follows the blank line.
pub fn on_readable_naive(d: &mut Download, folder: &Path) -> io::Result<()> {
    let mut buf = vec![0u8; DOC_RECV_SIZE];
    // BUG: one read returns what has arrived, at most 8196 bytes; a bigger
    // picture is cut short, and nothing checks it.
    // FIX: on_readable_framed reads until Content-Length bytes have come.
    let n = d.stream.read(&mut buf)?; // Python: data = sock.recv(8196)
    let body = http::body_start(&buf[..n]).map_or(Default::default(), |start| &buf[start..n]);
    fs::write(folder.join(&d.name), body)?;
    let saved = body.len();
    d.finish(format!(
        "readable: one recv(8196) returned {n} bytes; saved the {saved} bytes after the blank line"
    ))
}
// ANCHOR_END: on_readable_naive

// ANCHOR: on_readable_framed
/// Read what has come; the head says how long the body is: save it once
/// all of it is here, if it is a PNG.
pub fn on_readable_framed(d: &mut Download, folder: &Path) -> io::Result<()> {
    let invalid = |why: &str| Err(io::Error::new(ErrorKind::InvalidData, why));
    let mut buf = [0u8; DOC_RECV_SIZE];
    match d.stream.read(&mut buf) {
        Ok(0) => return invalid("the server closed before the whole answer came"),
        Ok(n) => d.received.extend_from_slice(&buf[..n]),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
        Err(e) => return Err(e),
    }
    // FIX: the head ends at the blank line and names the body's length;
    // until both are here, wait for the next readable.
    let Some(start) = http::body_start(&d.received) else {
        if d.received.len() > HEAD_LIMIT {
            return invalid("the response head is too long");
        }
        return Ok(());
    };
    let length = http::content_length(&d.received[..start])?; // capped at BODY_LIMIT
    let body = &d.received[start..];
    if body.len() < length {
        return Ok(());
    }
    if body.len() > length || !body.starts_with(PNG_SIGNATURE) {
        return invalid("the body is not a PNG of Content-Length bytes");
    }
    // Written under a temporary name, then renamed: never a half-written file.
    let partial = folder.join(format!("{}.part", d.name));
    fs::write(&partial, body)?;
    fs::rename(&partial, folder.join(&d.name))?;
    let all = d.received.len();
    d.finish(format!(
        "readable until Content-Length: {all} bytes in all; saved the {length}-byte body"
    ))
}
// ANCHOR_END: on_readable_framed

/// What `demo client-broken` and `demo client` show.
const NOTES: [&[&str]; 2] = [
    &[
        "one recv(8196) returns what has arrived, at most 8196 bytes: the rest was never read",
        "readable means \"some bytes are here\", not \"the whole answer\" (lesson 04: a byte stream)",
        "`demo client` reads until the head's Content-Length bytes have come",
    ],
    &[
        "five downloads, one thread: select() said which socket could take its GET, which had bytes",
        "each socket stayed watched for readable until Content-Length bytes came, however many reads",
    ],
];

/// `demo client-broken` or `demo client`: the picture server and the five
/// downloads; then every saved file is compared with what was served.
pub fn demo(fixed: bool) -> io::Result<()> {
    let listener = crate::bind_listener(classroom::cli::ephemeral())?;
    let (addr, size, image) = (listener.local_addr()?, PICTURE.len(), http::IMAGE_PATH);
    Side::server().say(format!(
        "serving {image} ({size} bytes, a 160x120 PNG) on {addr}, one client at a time"
    ));
    let folder = ScratchDir::new("select_multiplex")?;
    Side::client().say("five sockets, all non-blocking; pictures go to images/ in a new folder");
    let downloads = classroom::run_roles(
        move || http::serve_image(listener, CLIENTS),
        || download_all(addr, folder.path(), fixed),
    )?;
    // The order of events changes from run to run, each socket's story not.
    Side::client().say("the select() loop is over; what each socket went through:");
    let mut identical = 0;
    for (n, d) in (1..).zip(&downloads) {
        let lane = Side::nth_client(n);
        d.story.iter().for_each(|line| lane.say(line));
        if let Ok(saved) = fs::read(folder.path().join(&d.name)) {
            identical += usize::from(saved == PICTURE);
            let verdict =
                ["cut short", "identical to what was served"][usize::from(saved == PICTURE)];
            let (name, len) = (&d.name, saved.len());
            lane.say(format!("{name}: {len} bytes ({size} served), {verdict}"));
        }
    }
    Side::client().say(format!(
        "{identical} of {CLIENTS} saved pictures are byte-identical to the served one"
    ));
    NOTES[usize::from(fixed)].iter().for_each(narrate);
    Ok(())
}
