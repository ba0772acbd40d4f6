//! `pool`, beyond the documents: 1,000 clients at once against a pool of 4
//! worker threads. Every client is answered, and the server never has more
//! than 4 handler threads; the same flood against a thread per request
//! starts 1,000 threads.
//!
//! Where do the clients wait? The serving loop accepts a client and puts
//! it in the pool's queue (16 places). When the queue is full, the loop
//! waits for a free place before it accepts again, and new clients wait in
//! the kernel's accept queue, whose size is `request_queue_size` (the
//! listen backlog). Waiting there costs the server no thread and no memory
//! of its own.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use classroom::{Side, narrate};

use crate::{
    Concurrency, DEFAULT_POLL_INTERVAL, MAX_LINE, PATIENCE, RequestHandler, StreamOptions,
    StreamRequest, TcpServer, chomp, connect, errors_in_lane, read_line,
};

/// The port of the two-terminal server (document 000's socketserver port).
pub const PORT: u16 = 9999;
/// How many clients the demo and `client pool` start at once.
pub const CLIENTS: usize = 1000;
/// Worker threads in the pool.
pub const WORKERS: usize = 4;
/// Accepted requests that may wait for a worker.
pub const QUEUE: usize = 16;
/// The listen backlog: room in the kernel for clients the pool is not
/// ready for yet. Python's default, 5, would make a burst of clients
/// retry their handshakes (a second or more each).
pub const BACKLOG: i32 = 1024;

/// How long the flood client waits for any one reply before it gives up.
const REPLY_PATIENCE: Duration = Duration::from_secs(20);

/// A quiet handler: read one line, answer it upper-cased, print nothing
/// (a thousand requests would bury the lesson).
///
/// ```
/// use std::io::{Read, Write};
/// use socketserver_like::{TcpServer, pool::Shout};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), Shout)?;
/// let mut client = std::net::TcpStream::connect(server.server_address()?)?;
/// client.write_all(b"hi\n")?;
/// server.handle_request()?;
/// let mut reply = String::new();
/// client.read_to_string(&mut reply)?;
/// assert_eq!(reply, "HI\n");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Shout;

impl RequestHandler<StreamRequest> for Shout {
    fn options(&self) -> StreamOptions {
        StreamOptions {
            timeout: Some(PATIENCE),
            ..StreamOptions::default()
        }
    }

    fn handle(&self, req: &mut StreamRequest) -> io::Result<()> {
        if let Some(line) = read_line(&mut req.rfile, MAX_LINE)? {
            req.wfile.write_all(&line.to_ascii_uppercase())?;
        }
        Ok(())
    }
}

/// A pool of [`WORKERS`] threads with [`QUEUE`] places, behind a
/// [`BACKLOG`]-deep accept queue.
///
/// ```
/// let server = socketserver_like::pool::server("127.0.0.1:0".parse().unwrap())?;
/// assert_eq!(server.handle().stats().threads_running, socketserver_like::pool::WORKERS);
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: server
pub fn server(addr: SocketAddr) -> io::Result<TcpServer> {
    errors_in_lane(TcpServer::builder())
        .allow_reuse_address(true)
        .request_queue_size(BACKLOG)
        .concurrency(Concurrency::pool(WORKERS, QUEUE))
        .bind(addr, Shout)
}
// ANCHOR_END: server

/// The same handler with a thread per request, for comparison.
///
/// ```
/// let server = socketserver_like::pool::threading_server("127.0.0.1:0".parse().unwrap())?;
/// assert_eq!(server.handle().stats().threads_started, 0, "none until a request comes");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn threading_server(addr: SocketAddr) -> io::Result<TcpServer> {
    errors_in_lane(TcpServer::builder())
        .request_queue_size(BACKLOG)
        .concurrency(Concurrency::threading())
        .bind(addr, Shout)
}

/// What client `n` sends.
fn line_of(n: usize) -> String {
    format!("client {n}\n")
}

// ANCHOR: flood
/// Open `count` connections to `addr`, all at once, and send one line on
/// each. They stay open: the replies are read by [`check_replies`].
///
/// ```
/// use socketserver_like::{DEFAULT_POLL_INTERVAL, pool};
///
/// let serving = pool::server("127.0.0.1:0".parse().unwrap())?.spawn(DEFAULT_POLL_INTERVAL)?;
/// let clients = pool::flood(*serving.server_address(), 20)?;
/// assert_eq!(pool::check_replies(clients)?, 20);
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn flood(addr: SocketAddr, count: usize) -> io::Result<Vec<TcpStream>> {
    (0..count)
        .map(|n| {
            let mut stream = connect(addr)?;
            stream.write_all(line_of(n).as_bytes())?;
            Ok(stream)
        })
        .collect()
}

/// Read every client's reply and check it; the number of correct replies,
/// or an error naming the first wrong one.
///
/// ```
/// use std::io::Write;
/// use socketserver_like::pool;
///
/// // A server that answers in lower case fails the check.
/// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// let clients = pool::flood(listener.local_addr()?, 1)?;
/// listener.accept()?.0.write_all(b"client 0\n")?;
/// assert!(pool::check_replies(clients).is_err());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn check_replies(clients: Vec<TcpStream>) -> io::Result<usize> {
    let count = clients.len();
    for (n, stream) in clients.into_iter().enumerate() {
        stream.set_read_timeout(Some(REPLY_PATIENCE))?;
        let reply = read_line(&mut io::BufReader::new(stream), MAX_LINE)?.unwrap_or_default();
        let expected = line_of(n).to_ascii_uppercase();
        if reply != expected.as_bytes() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "client {n} got {} instead of {expected:?}",
                    classroom::bytes::show(chomp(&reply))
                ),
            ));
        }
    }
    Ok(count)
}
// ANCHOR_END: flood

/// Threads in this process right now, from Linux's `/proc/self/status`.
///
/// ```
/// let threads = socketserver_like::pool::threads_in_process();
/// if cfg!(target_os = "linux") {
///     assert!(threads.unwrap() >= 1);
/// }
/// ```
pub fn threads_in_process() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Make sure this process may hold `fds` open files: each connection is
/// one (both ends are, when the client is in the same process). Many
/// systems start programs with a soft limit of 1024 (macOS: 256), below
/// what 1,000 clients need; the soft limit may be raised up to the hard
/// one without any privilege (`ulimit -n` in a shell).
///
/// ```
/// socketserver_like::pool::make_room_for(512)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn make_room_for(fds: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, getrlimit, setrlimit};
        let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
        if soft < fds {
            setrlimit(Resource::RLIMIT_NOFILE, fds.min(hard), hard)?;
        }
    }
    #[cfg(not(unix))]
    let _ = fds; // Windows has no per-process limit on sockets to raise
    Ok(())
}

/// Enough open files for [`CLIENTS`] connections with both ends in this
/// process, and room to spare.
const FDS_NEEDED: u64 = 4096;

fn say_threads(lane: &Side, when: &str) {
    match threads_in_process() {
        Some(n) => lane.say(format!("threads in this process {when}: {n}")),
        None => lane.say(format!(
            "threads in this process {when}: (counting them needs Linux's /proc)"
        )),
    }
}

/// 1,000 clients against the pool, then against a thread per request.
///
/// ```
/// socketserver_like::pool::demo()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn demo() -> io::Result<()> {
    make_room_for(FDS_NEEDED)?;
    let mut lane = Side::server();
    let client = Side::client();

    let server = server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    let handle = server.handle();
    lane.say(format!(
        "listening on {addr}: a pool of {WORKERS} worker threads, room for {QUEUE} waiting requests"
    ));
    let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;
    say_threads(&lane, "(this one, serve_forever's, the workers')");
    let clients = flood(addr, CLIENTS)?;
    client.say(format!(
        "{CLIENTS} clients connected at once, each sent one line"
    ));
    say_threads(&lane, "with all of them connected");
    let correct = check_replies(clients)?;
    client.say(format!("{correct} replies, every one correct"));
    serving.shutdown()?.server_close();
    let stats = handle.stats();
    lane.say(format!(
        "requests: {}, handler threads started: {}, still running after server_close: {}",
        stats.requests, stats.threads_started, stats.threads_running
    ));
    narrate(format!(
        "{WORKERS} threads served {CLIENTS} clients; the rest waited in the queue and in the kernel's accept queue"
    ));

    lane = Side::server();
    let server = threading_server(classroom::cli::ephemeral())?;
    let handle = server.handle();
    lane.say("the same flood against a thread per request (ThreadingMixIn):");
    let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;
    let correct = check_replies(flood(*serving.server_address(), CLIENTS)?)?;
    client.say(format!("{correct} replies, every one correct"));
    serving.shutdown()?.server_close();
    let stats = handle.stats();
    lane.say(format!(
        "requests: {}, handler threads started: {}",
        stats.requests, stats.threads_started
    ));
    narrate(
        "a thread per request costs a thread per client: a flood of clients is a flood of threads; a pool has a ceiling",
    );
    Ok(())
}

/// `server pool`: the pool server in its own terminal, until Ctrl-C.
///
/// ```no_run
/// socketserver_like::pool::serve("127.0.0.1:9999".parse().unwrap())?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn serve(addr: SocketAddr) -> io::Result<()> {
    let server = server(addr)?;
    classroom::cli::announce_listening(server.socket())?;
    Side::server().say(format!(
        "a pool of {WORKERS} worker threads, room for {QUEUE} waiting requests"
    ));
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// `client pool`: [`CLIENTS`] clients at once against a running server.
///
/// ```
/// use socketserver_like::{DEFAULT_POLL_INTERVAL, pool};
///
/// let serving = pool::server("127.0.0.1:0".parse().unwrap())?.spawn(DEFAULT_POLL_INTERVAL)?;
/// pool::run_client(*serving.server_address())?;
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_client(addr: SocketAddr) -> io::Result<()> {
    make_room_for(FDS_NEEDED)?;
    let out = Side::client();
    let clients = flood(addr, CLIENTS)?;
    out.say(format!(
        "{CLIENTS} clients connected at once, each sent one line"
    ));
    let correct = check_replies(clients)?;
    out.say(format!("{correct} replies, every one correct"));
    Ok(())
}
