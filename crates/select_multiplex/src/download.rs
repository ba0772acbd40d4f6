//! `client-broken` and `client` (document 002 §5): the document's `select`
//! *client*. Five sockets connect without blocking; `select()` says when a
//! socket becomes **writable** (its handshake is done: send the GET) and
//! when it becomes **readable** (the picture is arriving: read it, save it).
//!
//! The document reads the answer with one `recv(8196)` and saves what
//! follows the blank line, so a bigger picture is cut short
//! ([`on_readable_naive`]). The fix reads until the head's `Content-Length`
//! bytes have come ([`on_readable_framed`]).

use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsFd;
use std::path::Path;
use std::time::{Duration, Instant};

use classroom::files::ScratchDir;
use classroom::{Side, narrate};
use nix::errno::Errno;
use nix::sys::select::{FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};
use socket2::{Domain, Socket, Type};

use crate::http::{self, HEAD_LIMIT, PICTURE, PNG_SIGNATURE};
use crate::select::watch;

/// How many downloads run at once: the document's `range(5)`.
pub const CLIENTS: usize = 5;

/// How much the document's client reads at once: its `recv(8196)` (8196,
/// not 8192: the document's own number).
pub const DOC_RECV_SIZE: usize = 8196;

/// The document's `select(…, 0.1)`: wake at least every 100 ms.
const ROUND_MS: i64 = 100;

/// Downloads not done by then have failed: nothing waits for ever.
const DEADLINE: Duration = Duration::from_secs(10);

/// One of the five downloads.
#[derive(Debug)]
pub struct Download {
    n: usize,
    /// `None` once the picture is saved or the download failed.
    stream: Option<TcpStream>,
    /// The GET is sent: watch for readable (the document's `recv_list`), no
    /// longer for writable (its `client_list`).
    sent: bool,
    received: Vec<u8>,
    /// What happened to it, told once the loop is over.
    story: Vec<String>,
}

impl Download {
    /// `images/N.png` in the download folder. (The document names its files
    /// with `uuid.uuid4()`; a number per socket is unique too.)
    pub fn name(&self) -> String {
        format!("images/{}.png", self.n)
    }

    fn finish(&mut self, line: String) {
        self.story.push(line);
        self.stream = None; // closes the socket
    }
}

// ANCHOR: connect_nonblocking
/// Start connecting without waiting for the handshake: `connect` on a
/// non-blocking socket returns at once with EINPROGRESS (Python raises
/// BlockingIOError), and the kernel carries on by itself.
pub fn connect_nonblocking(addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_nonblocking(true)?; // Python: client.setblocking(False)
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(Errno::EINPROGRESS as i32) => {}
        Err(e) => return Err(e),
    }
    Ok(socket.into())
}
// ANCHOR_END: connect_nonblocking

/// Download the picture [`CLIENTS`] times at once into `folder/images/`,
/// reading each answer with [`on_readable_naive`] or [`on_readable_framed`].
/// Returns every download, saved or failed.
pub fn download_all(
    addr: SocketAddr,
    folder: &Path,
    on_readable: fn(&mut Download, &Path) -> io::Result<()>,
) -> io::Result<Vec<Download>> {
    fs::create_dir_all(folder.join("images"))?;
    let mut downloads = Vec::with_capacity(CLIENTS);
    for n in 1..=CLIENTS {
        downloads.push(Download {
            n,
            stream: Some(connect_nonblocking(addr)?),
            sent: false,
            received: Vec::new(),
            story: Vec::new(),
        });
        Side::nth_client(n as u32).say(
            "connect() returned at once: in progress (EINPROGRESS); select() will say when it is done",
        );
    }
    let request = http::request(addr);
    let deadline = Instant::now() + DEADLINE;
    while downloads.iter().any(|d| d.stream.is_some()) {
        if Instant::now() > deadline {
            let why = format!("the downloads were not done within {DEADLINE:?}");
            return Err(io::Error::new(ErrorKind::TimedOut, why));
        }
        // ANCHOR: client_loop
        // Sockets still connecting are watched for writable, those whose GET
        // has gone for readable.
        let mut readable = FdSet::new();
        let mut writable = FdSet::new();
        for d in &downloads {
            if let Some(stream) = &d.stream {
                let set = if d.sent { &mut readable } else { &mut writable };
                watch(set, stream.as_fd())?;
            }
        }
        // Python: r, w, e = select.select(recv_list, client_list, [], 0.1)
        let mut timeout = TimeVal::milliseconds(ROUND_MS);
        match select(None, &mut readable, &mut writable, None, &mut timeout) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
        let ready: Vec<bool> = (downloads.iter())
            .map(|d| d.stream.as_ref().map(AsFd::as_fd))
            .map(|fd| fd.is_some_and(|fd| readable.contains(fd) || writable.contains(fd)))
            .collect();
        for (d, _) in downloads.iter_mut().zip(ready).filter(|&(_, ready)| ready) {
            let done = if d.sent {
                on_readable(d, folder)
            } else {
                on_writable(d, &request)
            };
            if let Err(e) = done {
                d.finish(format!("failed: {e}"));
            }
        }
        // ANCHOR_END: client_loop
    }
    Ok(downloads)
}

/// Writable after a non-blocking connect: the handshake is over, and it
/// worked unless SO_ERROR says otherwise. Send the GET.
fn on_writable(d: &mut Download, request: &str) -> io::Result<()> {
    let Some(stream) = &mut d.stream else {
        return Ok(());
    };
    if let Some(e) = stream.take_error()? {
        return Err(e);
    }
    stream.write_all(request.as_bytes())?; // Python: sock.sendall(b"GET …")
    let line = format!("writable: connected; sent the {}-byte GET", request.len());
    d.story.push(format!("{line} {}", http::IMAGE_PATH));
    d.sent = true;
    Ok(())
}

// ANCHOR: on_readable_naive
/// The document's way: one `recv(8196)`, keep what follows the blank line,
/// save it, done.
pub fn on_readable_naive(d: &mut Download, folder: &Path) -> io::Result<()> {
    let Some(stream) = &mut d.stream else {
        return Ok(());
    };
    let mut buf = vec![0u8; DOC_RECV_SIZE];
    // BUG: one read returns what has arrived, at most 8196 bytes; a bigger
    // picture is cut short, and nothing checks it.
    // FIX: on_readable_framed reads until Content-Length bytes have come.
    let n = stream.read(&mut buf)?; // Python: data = sock.recv(8196)
    let body = http::body_start(&buf[..n]).map_or(&[][..], |start| &buf[start..n]);
    fs::write(folder.join(d.name()), body)?;
    d.finish(format!(
        "readable: one recv(8196) returned {n} bytes; saved the {} bytes after the blank line",
        body.len()
    ));
    Ok(())
}
// ANCHOR_END: on_readable_naive

// ANCHOR: on_readable_framed
/// Read what has arrived; once the head is in, it says how long the body
/// is. Save only when all of it is here, and only if it is a PNG.
pub fn on_readable_framed(d: &mut Download, folder: &Path) -> io::Result<()> {
    let Some(stream) = &mut d.stream else {
        return Ok(());
    };
    let mut buf = [0u8; DOC_RECV_SIZE];
    let n = match stream.read(&mut buf) {
        Ok(0) => return Err(invalid("the server closed before the whole answer came")),
        Ok(n) => n,
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    d.received.extend_from_slice(&buf[..n]);
    // FIX: the head ends at the blank line and names the body's length;
    // until both are here, wait for the next readable.
    let Some(start) = http::body_start(&d.received) else {
        if d.received.len() > HEAD_LIMIT {
            return Err(invalid("the response head is too long"));
        }
        return Ok(());
    };
    let length = http::content_length(&d.received[..start])?; // capped at BODY_LIMIT
    let body = &d.received[start..];
    if body.len() < length {
        return Ok(());
    }
    if body.len() > length || !body.starts_with(PNG_SIGNATURE) {
        return Err(invalid("the body is not a PNG of Content-Length bytes"));
    }
    // A temporary name, renamed once complete: a half-written file never
    // appears under the real one.
    let (path, partial) = (folder.join(d.name()), folder.join(d.name() + ".part"));
    fs::write(&partial, body)?;
    fs::rename(&partial, &path)?;
    let line = format!(
        "readable until Content-Length: {} bytes in all; saved the {length}-byte body",
        d.received.len()
    );
    d.finish(line);
    Ok(())
}
// ANCHOR_END: on_readable_framed

fn invalid(why: &str) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, why)
}

/// The demo: a picture server on loopback and the five downloads, read with
/// `on_readable`; then every saved file is compared with what was served.
pub fn demo(on_readable: fn(&mut Download, &Path) -> io::Result<()>) -> io::Result<()> {
    let listener = crate::bind_listener(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    Side::server().say(format!(
        "serving {} ({} bytes, a 160x120 PNG) on {addr}, one client at a time",
        http::IMAGE_PATH,
        PICTURE.len(),
    ));
    let folder = ScratchDir::new("select_multiplex")?;
    Side::client()
        .say("five sockets, all non-blocking; pictures go to images/ in a new temporary folder");
    let downloads = classroom::run_roles(
        move || http::serve_image(listener, CLIENTS),
        || download_all(addr, folder.path(), on_readable),
    )?;
    // Which socket became ready first changes from run to run; what each
    // one went through does not. So the story is told per socket, after.
    Side::client().say("the select() loop is over; what each socket went through:");
    let mut identical = 0;
    for d in &downloads {
        let lane = Side::nth_client(d.n as u32);
        d.story.iter().for_each(|line| lane.say(line));
        if let Ok(saved) = fs::read(folder.path().join(d.name())) {
            let verdict = if saved == PICTURE {
                identical += 1;
                "identical to what was served".to_owned()
            } else {
                format!("but the picture has {}: cut short", PICTURE.len())
            };
            lane.say(format!("{}: {} bytes, {verdict}", d.name(), saved.len()));
        }
    }
    Side::client().say(format!(
        "{identical} of {CLIENTS} saved pictures are byte-identical to the served one"
    ));
    Ok(())
}

/// `demo client-broken`.
pub fn demo_broken() -> io::Result<()> {
    demo(on_readable_naive)?;
    narrate("one recv(8196) returns what has arrived, at most 8196 bytes: the rest was never read");
    narrate(
        "readable means \"some bytes are here\", not \"the whole answer\" (lesson 04: a byte stream)",
    );
    narrate("`demo client` reads until the head's Content-Length bytes have come");
    Ok(())
}

/// `demo client`.
pub fn demo_fixed() -> io::Result<()> {
    demo(on_readable_framed)?;
    narrate(
        "five downloads, one thread: select() said which socket could take its GET, which had bytes",
    );
    narrate(
        "each socket stayed watched for readable until Content-Length bytes came, however many reads",
    );
    Ok(())
}
