//! The three event-loop servers side by side: which one to run, what a loop
//! tells the outside ([`Log`]), the two-terminal server, and the demo each
//! of them plays the same way.

use std::fmt::Display;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use classroom::cli::announce_listening;
use classroom::errors::explain;
use classroom::{Side, Traced, narrate};

use crate::{ROUND_MS, bind_listener, echo_round};

/// Which system call the event loop waits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `select()`: three bitmaps of at most 1024 descriptors.
    Select,
    /// `poll()`: an array of (descriptor, events) entries.
    Poll,
    /// `epoll`: an interest list kept in the kernel (Linux).
    Epoll,
}

impl Kind {
    /// The call, as the lanes print it.
    pub fn call(self) -> &'static str {
        match self {
            Kind::Select => "select()",
            Kind::Poll => "poll()",
            Kind::Epoll => "epoll_wait()",
        }
    }

    /// An error saying why this kind cannot run here, if it cannot.
    pub fn available(self) -> io::Result<()> {
        if self == Kind::Epoll && !cfg!(target_os = "linux") {
            return Err(io::Error::new(
                ErrorKind::Unsupported,
                "epoll needs Linux; macOS and the BSDs have kqueue instead: run `demo poll` here",
            ));
        }
        Ok(())
    }
}

/// Run the echo server of `kind` on `listener` until `stop` is set.
pub fn serve(kind: Kind, listener: TcpListener, stop: &AtomicBool, log: &Log) -> io::Result<()> {
    kind.available()?;
    match kind {
        Kind::Select => crate::select::serve(listener, stop, log),
        Kind::Poll => crate::poll::serve(listener, stop, log),
        #[cfg(target_os = "linux")]
        Kind::Epoll => crate::epoll::serve(listener, stop, log),
        #[cfg(not(target_os = "linux"))]
        Kind::Epoll => unreachable!("refused by `available`"),
    }
}

/// `server select|poll|epoll`: bind, announce, serve until Ctrl-C.
pub fn run_server(kind: Kind, addr: SocketAddr) -> io::Result<()> {
    kind.available()?;
    let listener = bind_listener(addr)?;
    announce_listening(&listener)?;
    let log = Log::printing();
    log.say(format!(
        "one thread; {} waits at most {ROUND_MS} ms per round; Ctrl-C to stop",
        kind.call()
    ));
    serve(kind, listener, &AtomicBool::new(false), &log)
}

/// Something the loop did that another thread may be waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A connection from this peer was accepted and is now watched.
    Accepted(SocketAddr),
    /// The connection from this peer ended and is no longer watched.
    Left(SocketAddr),
}

/// What a loop tells the outside: lines in the `[server]` lane (its
/// connections' sends and receives are printed by [`Traced`]), and
/// [`Event`]s for a demo or a test that waits until the loop has reacted.
#[derive(Debug, Default)]
pub struct Log {
    /// Where to print; `None` prints nothing (tests with hundreds of
    /// clients, and the bench, which measures the loop).
    pub lane: Option<Side>,
    /// Where to send an [`Event`] after each accept and each leave.
    pub events: Option<Sender<Event>>,
}

/// A connection's socket as a loop reads and writes it: [`Traced`], or the
/// bare `TcpStream` when the loop is quiet.
pub trait Stream: Read + Write {
    /// The socket underneath, to watch its descriptor.
    fn tcp(&self) -> &TcpStream;
}

impl Stream for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Stream for Traced<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Log {
    /// Print every line in the `[server]` lane.
    pub fn printing() -> Self {
        Log {
            lane: Some(Side::server()),
            events: None,
        }
    }

    /// Print nothing.
    pub fn quiet() -> Self {
        Log::default()
    }

    /// A free-form line.
    pub fn say(&self, text: impl Display) {
        if let Some(lane) = &self.lane {
            lane.say(text);
        }
    }

    /// An accepted connection, printed ([`Traced`]) unless the loop is quiet.
    pub fn stream(&self, conn: TcpStream) -> Box<dyn Stream> {
        match self.lane {
            Some(_) => Box::new(Traced::server(conn)),
            None => Box::new(conn),
        }
    }

    /// `accept()` failed. Nobody waiting (`WouldBlock`: the client gave up)
    /// or a signal is no news; out of descriptors (EMFILE), …: say so.
    pub fn accept_failed(&self, error: &io::Error) {
        if !matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) {
            self.say(format!("accept failed: {}", explain(error)));
        }
    }

    /// A connection failed; the loop drops it and serves the others.
    pub fn failed(&self, peer: SocketAddr, error: &io::Error) {
        self.say(format!("gave up on {peer}: {}", explain(error)));
    }

    /// A connection was accepted and is watched now: say `line`, then tell.
    pub fn accepted(&self, line: impl Display, peer: SocketAddr, connections: usize) {
        self.say(line);
        self.changed(Event::Accepted(peer), connections);
    }

    /// A connection ended and was dropped, which closed its socket.
    pub fn left(&self, peer: SocketAddr, connections: usize) {
        self.say(format!(
            "{peer} left: its socket is closed and no longer watched"
        ));
        self.changed(Event::Left(peer), connections);
    }

    /// `watching the listener + N connections` (the document's `inputs`
    /// list), then `event` to whoever waits for it.
    fn changed(&self, event: Event, connections: usize) {
        let s = if connections == 1 { "" } else { "s" };
        self.say(format!(
            "watching the listener + {connections} connection{s}"
        ));
        if let Some(events) = &self.events {
            let _ = events.send(event); // nobody waiting any more is fine
        }
    }
}

/// How long a demo waits for the server to react before it calls the run
/// failed (it normally takes well under a millisecond).
const REACTION: Duration = Duration::from_secs(10);

/// Two clients talk to the `kind` server, each waiting for the server's
/// reaction before its next move, so the lanes print the same every run.
pub fn demo(kind: Kind) -> io::Result<()> {
    if let Err(e) = kind.available() {
        narrate(e);
        return Ok(());
    }
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    Side::server().say(format!(
        "listening on {addr}: one thread, {} at most every {ROUND_MS} ms",
        kind.call()
    ));
    let stop = &AtomicBool::new(false);
    let (tx, events) = mpsc::channel();
    let log = Log {
        events: Some(tx),
        ..Log::printing()
    };
    thread::scope(|s| {
        let server = s.spawn(move || serve(kind, listener, stop, &log));
        let script = two_clients(addr, &events);
        // Stop the server even if the script failed, then report both.
        stop.store(true, Ordering::Relaxed);
        let served = server
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the server loop panicked")));
        script.and(served)
    })?;
    let [first, second] = match kind {
        Kind::Select => [
            "client 2 was served while client 1 sat connected: one thread, one select() watching all",
            "select() waited at most 50 ms per round; between rounds the loop was free to do other work",
        ],
        Kind::Poll => [
            "the same conversation with poll(): an array of (descriptor, events), so no 1024 limit",
            "but the whole array still goes into the kernel on every call, and every entry is checked",
        ],
        Kind::Epoll => [
            "the same conversation with epoll: each socket registered once with epoll_ctl, in the kernel",
            "epoll_wait() returned only the ready sockets, each with its token: no scan of the others",
        ],
    };
    narrate(first);
    narrate(second);
    Ok(())
}

/// The clients' half of [`demo`].
fn two_clients(addr: SocketAddr, events: &Receiver<Event>) -> io::Result<()> {
    let mut one = arrive(addr, 1, events)?;
    let mut two = arrive(addr, 2, events)?;
    // Client 2 speaks first, while client 1 is connected and silent: the
    // blocking server of `demo blocking` could not answer it now.
    echo_round(&mut two, b"hello from client 2")?;
    echo_round(&mut one, b"hello from client 1")?;
    let me = one.local_addr()?;
    one.say("closing");
    drop(one);
    wait_for(events, Event::Left(me))?;
    echo_round(&mut two, b"still here")?;
    let me = two.local_addr()?;
    two.say("closing");
    drop(two);
    wait_for(events, Event::Left(me))
}

/// Connect as client `n`, and wait until the server has accepted (and
/// said so).
fn arrive(addr: SocketAddr, n: u32, events: &Receiver<Event>) -> io::Result<Traced<TcpStream>> {
    let lane = Side::nth_client(n);
    lane.say("connecting");
    let stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(REACTION))?; // for a broken run only
    wait_for(events, Event::Accepted(stream.local_addr()?))?;
    Ok(Traced::new(stream, lane))
}

/// Wait for `wanted`, skipping events about other clients.
fn wait_for(events: &Receiver<Event>, wanted: Event) -> io::Result<()> {
    loop {
        match events.recv_timeout(REACTION) {
            Ok(event) if event == wanted => return Ok(()),
            Ok(_) => {}
            Err(_) => {
                let why = format!("the server did not report {wanted:?} within {REACTION:?}");
                return Err(io::Error::new(ErrorKind::TimedOut, why));
            }
        }
    }
}
