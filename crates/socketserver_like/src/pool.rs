//! `pool`, beyond the documents: silent clients, then 1,000 at once, against a
//! pool of 4 worker threads, then a thread per request; and `starve`'s pool.

use std::io::{self, BufReader, Write};
use std::net::{SocketAddr, TcpStream};

use classroom::cli::ephemeral;
use classroom::tcp::{PATIENCE, patience};
use classroom::{Side, Traced, narrate};

use crate::{BACKLOG, DEFAULT_POLL_INTERVAL, MAX_LINE, Message, Stats, run_demo};
use crate::{Request, Server, TcpServer, Watched, read_line, server_bind};

pub use crate::os::make_room_for;

/// How many clients the demo and `client pool` start at once.
pub const CLIENTS: usize = 1000;
/// Worker threads in the pool.
pub const WORKERS: usize = 4;
/// Whole requests that may wait for a worker.
pub const QUEUE: usize = 16;
/// Open files for [`CLIENTS`] connections with both ends in one process.
pub const FDS_NEEDED: u64 = 4096;

/// A quiet handler: answer the line the server read, upper-cased.
fn shout(req: &mut Request<Message>) -> io::Result<()> {
    let (line, mut conn) = (&req.request.0, &req.request.1);
    conn.write_all(&line.to_ascii_uppercase())
}

// ANCHOR: server
/// A pool of [`WORKERS`] threads with [`QUEUE`] places and a [`BACKLOG`];
/// a worker gets a connection once its whole line came ([`Watched`], step 6).
pub fn server(addr: SocketAddr) -> io::Result<Server<Watched>> {
    // FIX: serve_forever's thread waits for every client's line with one
    // poll; a worker gets only whole lines, and never waits for a client.
    let watched = Watched::lines(server_bind(addr, BACKLOG)?);
    Server::new(watched, shout)?.pool(WORKERS, QUEUE)
}
// ANCHOR_END: server

// ANCHOR: starving
/// Broken on purpose: the same pool, with a handler that reads the line.
pub fn starving_server(addr: SocketAddr) -> io::Result<TcpServer> {
    let reads_itself = |req: &mut Request<TcpStream>| {
        let conn = Traced::quiet(req.request.try_clone()?); // a second handle, unprinted
        let mut rfile = BufReader::new(conn.with_patience(patience())?);
        // BUG: the worker itself waits here for the client's line. A client
        // that sends nothing holds it until its deadline; WORKERS such
        // clients hold the whole pool, and when let go, they connect again.
        if let Some(line) = read_line(&mut rfile, MAX_LINE)? {
            rfile.get_mut().write_all(&line.to_ascii_uppercase())?;
        }
        Ok(())
    };
    Server::new(server_bind(addr, BACKLOG)?, reads_itself)?.pool(WORKERS, QUEUE)
}
// ANCHOR_END: starving

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

/// What the server counted, by the end of `server_close()`.
fn say_counted(s: Stats) {
    let (r, t, n) = (s.requests, s.threads_started, s.threads_running);
    let threads = format!("threads started: {t}, running: {n}");
    Side::server().say(format!("after server_close: requests: {r}, {threads}"));
}

/// Silent clients and 1,000 clients against the pool, then 1,000 against a thread per request.
pub fn demo() -> io::Result<()> {
    make_room_for(FDS_NEEDED)?;
    let pool = format!("a pool of {WORKERS} worker threads, room for {QUEUE} waiting requests");
    let ((), counted) = run_demo(server(ephemeral())?, &pool, |addr| {
        say_threads("(this one, serve_forever's, the workers')");
        crate::slow::silent_then_one(addr, 20, false)?; // step 6's broken pool starves
        flood(addr, CLIENTS, || say_threads("with all of them connected")).map(drop)
    })?;
    say_counted(counted);
    let served = format!("{WORKERS} threads served client 21 and {CLIENTS} more; the others");
    narrate(format!("{served} waited in the queue and in the kernel"));

    let listener = server_bind(ephemeral(), BACKLOG)?;
    let server = Server::new(Watched::lines(listener), shout)?.threading();
    let how = "the same, a thread per request";
    let ((), counted) = run_demo(server, how, |addr| flood(addr, CLIENTS, || {}).map(drop))?;
    say_counted(counted);
    narrate("a thread per request is a thread per client: a flood of them is a flood of threads");
    Ok(())
}

/// `server pool`: the pool server in its own terminal, until Ctrl-C.
pub fn serve(addr: SocketAddr) -> io::Result<()> {
    let server = server(addr)?;
    classroom::cli::announce_listening(&server.socket().listener)?;
    let room = format!("{WORKERS} workers, room for {QUEUE} waiting requests");
    Side::server().say(room);
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// `client pool`: [`CLIENTS`] clients at once against a running server.
pub fn run_client(addr: SocketAddr) -> io::Result<()> {
    make_room_for(FDS_NEEDED)?;
    flood(addr, CLIENTS, || {}).map(drop)
}
