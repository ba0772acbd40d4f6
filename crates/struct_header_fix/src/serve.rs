//! The server loop every two-terminal step shares, and the one-process demo
//! scaffolding.
//!
//! A client that misbehaves (a bad length, a bad name, a file cut short, a
//! reset) costs only its own connection: the step's handler tells that
//! client what was wrong where its protocol allows, the loop prints the
//! error and goes on to the next client.

use std::fs;
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use classroom::cli::announce_listening;
use classroom::errors::explain;
use classroom::{Side, run_roles};

use crate::conn::Turns;

/// How long a server waits on a silent client before giving up on it, so a
/// client that stops mid-file cannot hold the server for ever.
pub const PATIENCE: Duration = Duration::from_secs(30);

// ANCHOR: serve_forever
/// Bind `addr`, print `listening on HOST:PORT`, and hand each connection to
/// `handle`, one at a time, until the process is stopped (Ctrl-C).
pub fn serve_forever(
    addr: SocketAddr,
    mut handle: impl FnMut(TcpStream, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    announce_listening(&listener)?;
    loop {
        let mut out = Side::server();
        out.say("waiting for a connection (Ctrl-C to stop)");
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                out.say(format!("accept failed: {}", explain(&e)));
                continue;
            }
        };
        out.say(format!("accepted a connection from {peer}"));
        let outcome = conn
            .set_read_timeout(Some(PATIENCE))
            .and_then(|()| conn.set_write_timeout(Some(PATIENCE)))
            .and_then(|()| handle(conn, &mut out));
        match outcome {
            Ok(()) => out.say(format!("done with {peer}")),
            Err(e) => out.say(format!("gave up on {peer}: {}", explain(&name_timeout(e)))),
        }
    }
}
// ANCHOR_END: serve_forever

/// A read that waited [`PATIENCE`] in vain fails with the OS's words for a
/// timeout ("Resource temporarily unavailable" on Linux, which reads like a
/// non-blocking socket's error); say what happened instead.
pub fn name_timeout(error: io::Error) -> io::Error {
    match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => io::Error::new(
            ErrorKind::TimedOut,
            format!(
                "nothing arrived from the client for {} s",
                PATIENCE.as_secs()
            ),
        ),
        _ => error,
    }
}

/// Run one exchange in one process: `serve` on a thread with the accepted
/// connection, `client` here with the connected stream.
///
/// The roles take turns once through two channels (the server prints that it
/// accepted, then the client that it connected); after that the protocol
/// itself orders the lanes: a receive cannot print before the send it
/// receives, and [`Turns`] holds a side's writes until its turn is over.
pub fn demo_pair(
    serve: impl FnOnce(Turns, &mut Side) -> io::Result<()> + Send + 'static,
    client: impl FnOnce(Turns, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}"));
    let (accepted_tx, accepted) = mpsc::channel();
    let (go_tx, go) = mpsc::channel();
    run_roles(
        move || {
            let (conn, peer) = listener.accept()?;
            server.say(format!("accepted a connection from {peer}"));
            let _ = accepted_tx.send(());
            let _ = go.recv();
            serve(Turns::new(conn), &mut server)
        },
        || {
            let stream = TcpStream::connect(addr)?;
            accepted
                .recv()
                .map_err(|_| io::Error::other("the server stopped before accepting"))?;
            let mut out = Side::client();
            out.say(format!("connected to {addr}"));
            let _ = go_tx.send(());
            client(Turns::new(stream), &mut out)
        },
    )
}

/// A scratch folder for a demo, removed when dropped. Demos print names
/// relative to it (`files/a.txt`), never the temporary path.
#[derive(Debug)]
pub struct DemoDir {
    root: PathBuf,
}

impl DemoDir {
    /// A fresh empty folder under the system's temporary folder.
    pub fn new() -> io::Result<DemoDir> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let root =
            std::env::temp_dir().join(format!("struct_header_fix-demo-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root)?;
        Ok(DemoDir { root })
    }

    /// A subfolder, created.
    pub fn sub(&self, name: &str) -> io::Result<PathBuf> {
        let path = self.root.join(name);
        fs::create_dir_all(&path)?;
        Ok(path)
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.root
    }
}

impl Drop for DemoDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Some text of exactly `len` bytes, numbered lines, the same every run.
pub fn sample_text(len: usize) -> Vec<u8> {
    let mut text = Vec::with_capacity(len + 64);
    let mut line = 1;
    while text.len() < len {
        text.extend(format!("line {line:03}: sticky packets need a frame\n").bytes());
        line += 1;
    }
    text.truncate(len);
    text
}
