//! `pool`, beyond the documents: 1,000 clients at once against a pool of 4
//! worker threads, then against a thread per request.

use std::io::{self, BufReader, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::tcp::PATIENCE;
use classroom::{Side, narrate};

use crate::{BaseRequestHandler, DEFAULT_POLL_INTERVAL, MAX_LINE, Request, TcpServer, read_line};
use crate::{Server, Stats, server_bind};

pub use crate::os::make_room_for;

/// How many clients the demo and `client pool` start at once.
pub const CLIENTS: usize = 1000;
/// Worker threads in the pool.
pub const WORKERS: usize = 4;
/// Accepted requests that may wait for a worker.
pub const QUEUE: usize = 16;
/// The listen backlog: room in the kernel for the clients the pool is not
/// ready for yet. With Python's 5, a burst of handshakes would be dropped.
pub const BACKLOG: i32 = 1024;
/// Open files for [`CLIENTS`] connections with both ends in one process.
pub const FDS_NEEDED: u64 = 4096;

/// A quiet handler: read one line, answer it upper-cased.
pub struct Shout;

impl BaseRequestHandler<TcpStream> for Shout {
    fn setup(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        req.request.set_read_timeout(Some(PATIENCE))
    }

    fn handle(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        if let Some(line) = read_line(&mut BufReader::new(&req.request), MAX_LINE)? {
            (&req.request).write_all(&line.to_ascii_uppercase())?;
        }
        Ok(())
    }
}

// ANCHOR: server
/// A pool of [`WORKERS`] threads with [`QUEUE`] places, behind a
/// [`BACKLOG`]-deep accept queue.
pub fn server(addr: SocketAddr) -> io::Result<TcpServer> {
    Server::new(server_bind(addr, BACKLOG)?, Shout)?.pool(WORKERS, QUEUE)
}
// ANCHOR_END: server

// ANCHOR: flood
/// Open `count` connections to `addr` and send one line on each, keeping
/// them all open; then read every reply and check it.
pub fn flood(addr: SocketAddr, count: usize, all_connected: impl FnOnce()) -> io::Result<usize> {
    let lane = Side::client();
    let line_of = |n: usize| format!("client {n}\n");
    let mut clients = Vec::with_capacity(count);
    for n in 0..count {
        let mut stream = TcpStream::connect(addr)?;
        stream.write_all(line_of(n).as_bytes())?;
        clients.push(stream); // it stays open
    }
    lane.say(format!("{count} clients connected, each sent one line"));
    all_connected();
    for (n, stream) in clients.into_iter().enumerate() {
        stream.set_read_timeout(Some(PATIENCE))?;
        let reply = read_line(&mut BufReader::new(stream), MAX_LINE)?.unwrap_or_default();
        if reply != line_of(n).to_ascii_uppercase().as_bytes() {
            let got = classroom::bytes::show(&reply);
            return Err(io::Error::other(format!("client {n} got {got}")));
        }
    }
    lane.say(format!("{count} replies, every one correct"));
    Ok(count)
}
// ANCHOR_END: flood

/// Threads in this process right now, from Linux's `/proc/self/status`.
pub fn threads_in_process() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let threads = status.lines().find_map(|l| l.strip_prefix("Threads:"))?;
    threads.trim().parse().ok()
}

fn say_threads(when: &str) {
    let count = threads_in_process().map_or("(counting needs Linux)".into(), |n| n.to_string());
    Side::server().say(format!("threads in this process {when}: {count}"));
}

/// `server_close()`, then print what the server counted.
fn close_and_count(server: TcpServer) {
    let handle = server.handle();
    server.server_close();
    let Stats {
        requests,
        threads_started,
        threads_running,
        ..
    } = handle.stats();
    let threads = format!("threads started: {threads_started}, running: {threads_running}");
    Side::server().say(format!(
        "after server_close: requests: {requests}, {threads}"
    ));
}

/// 1,000 clients against the pool, then against a thread per request.
pub fn demo() -> io::Result<()> {
    make_room_for(FDS_NEEDED)?;
    let server = server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    let pool = format!("a pool of {WORKERS} worker threads, room for {QUEUE} waiting requests");
    Side::server().say(format!("listening on {addr}: {pool}"));
    server.serve_while(|| {
        say_threads("(this one, serve_forever's, the workers')");
        flood(addr, CLIENTS, || say_threads("with all of them connected"))
    })?;
    close_and_count(server);
    let waited = "the others waited in the queue and in the kernel";
    narrate(format!(
        "{WORKERS} threads served {CLIENTS} clients; {waited}"
    ));

    let listener = server_bind(classroom::cli::ephemeral(), BACKLOG)?;
    let server = Server::new(listener, Shout)?.threading();
    let addr = server.server_address()?;
    Side::server().say(format!(
        "listening on {addr}: the same, a thread per request"
    ));
    server.serve_while(|| flood(addr, CLIENTS, || {}))?;
    close_and_count(server);
    narrate("a thread per request is a thread per client: a flood of them is a flood of threads");
    Ok(())
}

/// `server pool`: the pool server in its own terminal, until Ctrl-C.
pub fn serve(addr: SocketAddr) -> io::Result<()> {
    let server = server(addr)?;
    classroom::cli::announce_listening(server.socket())?;
    Side::server().say(format!(
        "{WORKERS} workers, room for {QUEUE} waiting requests"
    ));
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// `client pool`: [`CLIENTS`] clients at once against a running server.
pub fn run_client(addr: SocketAddr) -> io::Result<()> {
    make_room_for(FDS_NEEDED)?;
    flood(addr, CLIENTS, || {}).map(drop)
}
