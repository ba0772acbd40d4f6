//! `client-broken` and `client` (document 002 §5): the document's `select`
//! *client*. Five sockets connect without blocking; `select()` says when a
//! socket becomes **writable** (its handshake is done: send the GET) and
//! when it becomes **readable** (the picture is arriving: read it, save it).
//! One thread keeps five downloads in flight.
//!
//! The document reads the answer with one `recv(8196)` and saves what
//! follows the blank line. A picture bigger than that is cut short
//! ([`on_readable_naive`], `demo client-broken`). The fix reads until the
//! head's `Content-Length` bytes have come ([`on_readable_framed`]).

use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsFd, BorrowedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use classroom::{Side, narrate};
use nix::errno::Errno;
use nix::sys::select::{FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};
use socket2::{Domain, Socket, Type};

use crate::http::{self, HEAD_LIMIT};
use crate::log::Log;
use crate::select::watch;

/// How many downloads run at once: the document's `range(5)`.
pub const CLIENTS: usize = 5;

/// How much one read asks for: the document's `recv(8196)`.
pub const RECV_SIZE: usize = 8196;

/// The document's `select(…, 0.1)`: wake at least every 100 ms.
const ROUND_MS: i64 = 100;

/// A download that is not done by then has failed: nothing waits for ever.
const DEADLINE: Duration = Duration::from_secs(10);

/// Where one download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Connect in progress: wait for *writable* (the document's `client_list`).
    Connecting,
    /// GET sent: wait for *readable* (the document's `recv_list`).
    Receiving,
    /// Saved, or failed: the socket is closed.
    Done,
}

/// One of the five downloads.
#[derive(Debug)]
pub struct Download {
    n: usize,
    stream: Option<TcpStream>,
    stage: Stage,
    /// `images/<random>.png`, relative to the download folder.
    name: String,
    received: Vec<u8>,
    /// What happened to it, printed once the loop is over.
    story: Vec<String>,
    saved: bool,
}

impl Download {
    fn fd(&self) -> Option<BorrowedFd<'_>> {
        self.stream.as_ref().map(AsFd::as_fd)
    }

    fn finish(&mut self, line: String) {
        self.story.push(line);
        self.stage = Stage::Done;
        self.stream = None; // closes the socket
    }
}

/// What reading once did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// More is to come: keep watching for readable.
    Waiting,
    /// The picture is saved.
    Saved,
}

/// How a download reads its answer: [`on_readable_naive`] or
/// [`on_readable_framed`].
pub type OnReadable = fn(&mut Download, &Path) -> io::Result<Progress>;

// ANCHOR: connect_nonblocking
/// Start connecting without waiting for the handshake: `connect` on a
/// non-blocking socket returns at once with EINPROGRESS (Python raises
/// BlockingIOError), and the kernel carries on by itself.
pub fn connect_nonblocking(addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_nonblocking(true)?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(Errno::EINPROGRESS as i32) => {}
        Err(e) => return Err(e),
    }
    Ok(socket.into())
}
// ANCHOR_END: connect_nonblocking

/// Download the picture [`CLIENTS`] times at once into `folder/images/`,
/// reading each answer with `on_readable`. Returns every download, saved or
/// failed; an error only if the loop itself fails.
pub fn download_all(
    addr: SocketAddr,
    folder: &Path,
    on_readable: OnReadable,
) -> io::Result<Vec<Download>> {
    fs::create_dir_all(folder.join("images"))?;
    let mut names = Names::new();
    let mut downloads = Vec::with_capacity(CLIENTS);
    for n in 1..=CLIENTS {
        downloads.push(Download {
            n,
            stream: Some(connect_nonblocking(addr)?),
            stage: Stage::Connecting,
            name: format!("images/{}.png", names.next_uuid()),
            received: Vec::new(),
            story: Vec::new(),
            saved: false,
        });
        Side::nth_client(n as u32)
            .say("connect() returned at once: in progress (EINPROGRESS); select() will say when it is done");
    }
    let request = http::request(addr);
    let deadline = Instant::now() + DEADLINE;
    while downloads.iter().any(|d| d.stage != Stage::Done) {
        if Instant::now() > deadline {
            return Err(io::Error::new(
                ErrorKind::TimedOut,
                format!("the downloads were not done within {DEADLINE:?}"),
            ));
        }
        // ANCHOR: client_loop
        // Connecting sockets are watched for writable, receiving ones for
        // readable (the document's `client_list` and `recv_list`).
        let mut readable = FdSet::new();
        let mut writable = FdSet::new();
        for d in &downloads {
            match (d.stage, d.fd()) {
                (Stage::Connecting, Some(fd)) => watch(&mut writable, fd)?,
                (Stage::Receiving, Some(fd)) => watch(&mut readable, fd)?,
                _ => {}
            }
        }
        let mut timeout = TimeVal::milliseconds(ROUND_MS);
        match select(None, &mut readable, &mut writable, None, &mut timeout) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
        let ready: Vec<bool> = downloads
            .iter()
            .map(|d| {
                d.fd()
                    .is_some_and(|fd| readable.contains(fd) || writable.contains(fd))
            })
            .collect();
        for (d, ready) in downloads.iter_mut().zip(ready) {
            match (ready, d.stage) {
                (true, Stage::Connecting) => on_writable(d, &request),
                (true, Stage::Receiving) => match on_readable(d, folder) {
                    Ok(Progress::Waiting) => {}
                    Ok(Progress::Saved) => d.stage = Stage::Done,
                    Err(e) => d.finish(format!("failed: {e}")),
                },
                _ => {}
            }
        }
        // ANCHOR_END: client_loop
    }
    Ok(downloads)
}

/// Writable after a non-blocking connect means the handshake is over: it
/// either worked, or failed and SO_ERROR says why. If it worked, send the GET.
fn on_writable(d: &mut Download, request: &str) {
    let Some(stream) = &mut d.stream else { return };
    let sent = match stream.take_error() {
        Ok(None) => stream.write_all(request.as_bytes()),
        Ok(Some(e)) | Err(e) => Err(e),
    };
    match sent {
        Ok(()) => {
            d.story.push(format!(
                "writable: connected; sent the {}-byte GET {}",
                request.len(),
                http::IMAGE_PATH
            ));
            d.stage = Stage::Receiving;
        }
        Err(e) => d.finish(format!("connect failed: {e}")),
    }
}

// ANCHOR: on_readable_naive
/// The document's way: one `recv(8196)`, keep what follows the blank line,
/// save it, done.
pub fn on_readable_naive(d: &mut Download, folder: &Path) -> io::Result<Progress> {
    let Some(stream) = &mut d.stream else {
        return Ok(Progress::Saved);
    };
    let mut buf = vec![0u8; RECV_SIZE];
    // BUG: one read returns what has arrived, at most 8196 bytes; a bigger
    // picture is cut short, and nothing checks it.
    // FIX: on_readable_framed reads until Content-Length bytes have come.
    let n = stream.read(&mut buf)?;
    let body = http::body_start(&buf[..n]).map_or(&[][..], |start| &buf[start..n]);
    fs::write(folder.join(&d.name), body)?;
    d.saved = true;
    d.finish(format!(
        "readable: one recv(8196) returned {n} bytes; saved the {} bytes after the blank line",
        body.len()
    ));
    Ok(Progress::Saved)
}
// ANCHOR_END: on_readable_naive

// ANCHOR: on_readable_framed
/// Read what has arrived; once the head is in, it says how long the body
/// is. Save only when all of it is here, and only if it is a PNG.
pub fn on_readable_framed(d: &mut Download, folder: &Path) -> io::Result<Progress> {
    let Some(stream) = &mut d.stream else {
        return Ok(Progress::Saved);
    };
    let mut buf = [0u8; RECV_SIZE];
    let n = match stream.read(&mut buf) {
        Ok(0) => {
            return Err(io::Error::new(
                ErrorKind::UnexpectedEof,
                format!("the server closed after {} bytes", d.received.len()),
            ));
        }
        Ok(n) => n,
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
            return Ok(Progress::Waiting);
        }
        Err(e) => return Err(e),
    };
    d.received.extend_from_slice(&buf[..n]);
    // FIX: the head ends at the blank line and names the body's length;
    // until both are here, wait for the next readable.
    let Some(start) = http::body_start(&d.received) else {
        return if d.received.len() > HEAD_LIMIT {
            Err(io::Error::new(
                ErrorKind::InvalidData,
                "the response head is too long",
            ))
        } else {
            Ok(Progress::Waiting)
        };
    };
    let head = &d.received[..start];
    if http::status(head) != Some(200) {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            "the answer is not 200 OK",
        ));
    }
    let total = start + http::content_length(head)?; // capped at BODY_LIMIT
    if d.received.len() < total {
        return Ok(Progress::Waiting);
    }
    if d.received.len() > total {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            "more bytes than Content-Length",
        ));
    }
    save_png(&folder.join(&d.name), &d.received[start..])?;
    d.saved = true;
    let line = format!(
        "readable until Content-Length: {} bytes in all; saved the {}-byte body",
        d.received.len(),
        total - start
    );
    d.finish(line);
    Ok(Progress::Saved)
}
// ANCHOR_END: on_readable_framed

/// Write `body` under a temporary name next to `path`, and rename it only if
/// it is a PNG: a half-written or wrong file never appears under the name.
fn save_png(path: &Path, body: &[u8]) -> io::Result<()> {
    if !body.starts_with(&crate::png::SIGNATURE) {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            "the body is not a PNG",
        ));
    }
    let partial = path.with_extension("png.part");
    fs::write(&partial, body)?;
    fs::rename(&partial, path)
}

/// uuid4-shaped names, like the document's `uuid.uuid4()`, from a seeded
/// generator (splitmix64) so every run prints the same names.
struct Names(u64);

impl Names {
    fn new() -> Names {
        Names(0x5e1ec7)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn next_uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new() -> io::Result<TempFolder> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "select_multiplex-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&path)?;
        Ok(TempFolder(path))
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The demo: a picture server on loopback and the five downloads, read with
/// `on_readable`; then every saved file is compared with what was served.
pub fn demo(on_readable: OnReadable) -> io::Result<()> {
    let image = crate::png::picture();
    let listener = crate::bind_listener(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let server = Log::printing();
    server.say(format!(
        "serving {} ({} bytes, a {}x{} PNG) on {addr}, one client after another",
        http::IMAGE_PATH,
        image.len(),
        crate::png::WIDTH,
        crate::png::HEIGHT
    ));
    let folder = TempFolder::new()?;
    Side::client()
        .say("five sockets, all non-blocking; pictures go to images/ in a new temporary folder");
    let served = image.clone();
    let downloads = classroom::run_roles(
        move || http::serve_image(listener, CLIENTS, &served, &server),
        || download_all(addr, &folder.0, on_readable),
    )?;
    // Which socket became ready first changes from run to run; what each
    // one went through does not. So the story is told per socket, after.
    Side::client().say("the select() loop is over; what each socket went through:");
    let mut identical = 0;
    for d in &downloads {
        let out = Side::nth_client(d.n as u32);
        for line in &d.story {
            out.say(line);
        }
        if d.saved {
            let saved = fs::read(folder.0.join(&d.name))?;
            if saved == image {
                identical += 1;
                out.say(format!(
                    "{}: {} bytes, identical to what was served",
                    d.name,
                    saved.len()
                ));
            } else {
                out.say(format!(
                    "{}: {} bytes, but the picture has {}: cut short",
                    d.name,
                    saved.len(),
                    image.len()
                ));
            }
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
    narrate(
        "one recv(8196) returns what has arrived, at most 8196 bytes: the rest of each picture was never read",
    );
    narrate(
        "readable means \"some bytes are here\", not \"the whole answer is here\" (lesson 04: TCP is a byte stream)",
    );
    narrate("`demo client` reads until the head's Content-Length bytes have come");
    Ok(())
}

/// `demo client`.
pub fn demo_fixed() -> io::Result<()> {
    demo(on_readable_framed)?;
    narrate(
        "five downloads, one thread: select() said which socket could take its GET and which had bytes to read",
    );
    narrate(
        "each socket stayed in the readable set until Content-Length bytes had come, however many reads that took",
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_look_like_uuid4_and_repeat_run_after_run() {
        let first: Vec<String> = {
            let mut names = Names::new();
            (0..5).map(|_| names.next_uuid()).collect()
        };
        let mut again = Names::new();
        for name in &first {
            assert_eq!(name.len(), 36);
            assert_eq!(&name[14..15], "4");
            assert_eq!(name, &again.next_uuid());
        }
        let mut unique = first.clone();
        unique.dedup();
        assert_eq!(unique.len(), 5);
    }
}
