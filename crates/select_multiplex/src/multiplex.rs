//! The three event-loop servers side by side: which one to run, the
//! two-terminal server, and the demo every one of them plays the same way.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use classroom::cli::announce_listening;
use classroom::{Side, narrate};

use crate::log::{Event, Log};
use crate::{ROUND_MS, bind_listener, send_and_check};

/// How long a demo waits for the server to react before it calls the run
/// failed (it normally takes well under a millisecond).
const REACTION: Duration = Duration::from_secs(10);

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
            return Err(crate::unsupported(
                "epoll needs Linux",
                "macOS and the BSDs have kqueue instead; run `demo poll` here",
            ));
        }
        Ok(())
    }
}

/// Run the echo server of `kind` on `listener` until `stop` is set.
pub fn serve(
    kind: Kind,
    listener: TcpListener,
    stop: &AtomicBool,
    log: &mut Log,
) -> io::Result<()> {
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
    let mut log = Log::printing();
    log.say(format!(
        "one thread; {} waits at most {ROUND_MS} ms per round; Ctrl-C to stop",
        kind.call()
    ));
    serve(kind, listener, &AtomicBool::new(false), &mut log)
}

/// Two clients talk to the `kind` server, each waiting for the server's
/// reaction before the next move, so the lanes print the same every run.
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
    let stop = AtomicBool::new(false);
    let (tx, events) = mpsc::channel();
    let mut log = Log::printing().notify(tx);
    thread::scope(|s| {
        let server = s.spawn(|| serve(kind, listener, &stop, &mut log));
        let script = two_clients(addr, &events);
        // Stop the server even if the script failed, then report both.
        stop.store(true, Ordering::Relaxed);
        let served = server
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the server loop panicked")));
        script.and(served)
    })?;
    match kind {
        Kind::Select => {
            narrate(
                "client 2 was served while client 1 was still connected: one thread, one select() watching every socket",
            );
            narrate(
                "select() waited at most 50 ms per round; between rounds the loop was free to do other work",
            );
        }
        Kind::Poll => {
            narrate(
                "the same conversation with poll(): an array of (descriptor, events) instead of bitmaps, so no 1024 limit",
            );
            narrate(
                "but the whole array still goes into the kernel on every call, and every entry is checked",
            );
        }
        Kind::Epoll => {
            narrate(
                "the same conversation with epoll: each socket registered once with epoll_ctl, in the kernel",
            );
            narrate(
                "epoll_wait() returned only the ready sockets, each with its token: no scan of the others",
            );
        }
    }
    Ok(())
}

/// The clients' half of [`demo`].
fn two_clients(addr: SocketAddr, events: &Receiver<Event>) -> io::Result<()> {
    let (mut one, mut two) = (Side::nth_client(1), Side::nth_client(2));
    let mut first = arrive(addr, &one, events)?;
    let mut second = arrive(addr, &two, events)?;
    // Client 2 speaks first, while client 1 is connected and silent: the
    // blocking server of `demo blocking` could not answer it now.
    send_and_check(&mut second, &mut two, b"hello from client 2")?;
    send_and_check(&mut first, &mut one, b"hello from client 1")?;
    leave(first, &one, events)?;
    send_and_check(&mut second, &mut two, b"still here")?;
    leave(second, &two, events)
}

/// Connect and wait until the server has accepted (and said so).
pub fn arrive(addr: SocketAddr, out: &Side, events: &Receiver<Event>) -> io::Result<TcpStream> {
    out.say("connecting");
    let stream = crate::connect(addr)?;
    // Our server always echoes: the bound is for a broken run, not a
    // guess at how fast a loaded machine answers (ECHO_PATIENCE is for
    // servers that may not echo at all).
    stream.set_read_timeout(Some(REACTION))?;
    wait_for(events, Event::Accepted(stream.local_addr()?))?;
    Ok(stream)
}

/// Close, and wait until the server has noticed (and said so).
pub fn leave(stream: TcpStream, out: &Side, events: &Receiver<Event>) -> io::Result<()> {
    let me = stream.local_addr()?;
    out.say("closing");
    drop(stream);
    wait_for(events, Event::Left(me))
}

/// Wait for `wanted`, skipping events about other clients.
pub fn wait_for(events: &Receiver<Event>, wanted: Event) -> io::Result<()> {
    loop {
        match events.recv_timeout(REACTION) {
            Ok(event) if event == wanted => return Ok(()),
            Ok(_) => continue,
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the server did not report {wanted:?} within {REACTION:?}"),
                ));
            }
        }
    }
}
