//! `shutdown`, beyond the documents: stopping a threading server from
//! another thread while a client is in the middle of its conversation.
//!
//! Stopping happens in two steps, as in Python:
//!
//! 1. `shutdown()` stops `serve_forever`: no more `accept`. It returns as
//!    soon as the loop has stopped; handler threads go on running.
//! 2. `server_close()` closes the listening socket (clients still waiting
//!    in the kernel's accept queue are reset) and then, with
//!    `block_on_close`, waits for every handler thread to finish.

use std::io::{self, Read};
use std::thread;
use std::time::{Duration, Instant};

use classroom::{Side, narrate};

use crate::DEFAULT_POLL_INTERVAL;
use crate::welcome::{self, EXIT, LineClient, timed_out};

/// How long the late client waits to see its connection reset.
const RESET_PATIENCE: Duration = Duration::from_secs(5);

/// A client in the middle of a conversation, a shutdown, a late client,
/// then `server_close`.
///
/// ```
/// socketserver_like::shutdown::demo()?;
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: demo
pub fn demo() -> io::Result<()> {
    let server = welcome::server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    let lane = Side::server();
    lane.say(format!(
        "listening on {addr}: a thread per request, block_on_close"
    ));
    let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;

    let mut one = LineClient::connect(addr, Side::nth_client(1))?;
    one.recv_line()?; // welcomed: its handler thread now waits for a line

    lane.say("shutdown() from this thread, while client 1 is connected");
    let asked = Instant::now();
    let server = serving.shutdown()?;
    lane.say(format!(
        "shutdown() returned after {:.1?}: serve_forever has stopped, client 1's handler still runs",
        asked.elapsed()
    ));

    let mut late = LineClient::connect(addr, Side::nth_client(2))?;
    late.out().say(
        "connected: the listening socket is still open, so the kernel completed the handshake",
    );
    late.stream().set_read_timeout(Some(crate::NO_ANSWER))?;
    match late.recv_line() {
        Err(e) if timed_out(&e) => late.out().say(format!(
            "no welcome within {:?}: nobody calls accept any more",
            crate::NO_ANSWER
        )),
        other => return Err(unexpected("no welcome for client 2", other)),
    }

    // The request in flight is served to the end.
    one.send_line("Ada")?;
    one.recv_line()?;

    lane.say(
        "server_close() on another thread: close the listening socket, then wait for the handlers",
    );
    let closing_started = Instant::now();
    let closing = thread::spawn(move || server.server_close());

    late.stream().set_read_timeout(Some(RESET_PATIENCE))?;
    match late.stream().read(&mut [0u8; 64]) {
        Ok(0) => late.out().eof(),
        Ok(_) => return Err(io::Error::other("client 2 was answered after all")),
        Err(e) => late.out().say(format!("recv failed: {e}")),
    }

    one.send_line(EXIT)?;
    one.recv_line()?;
    closing
        .join()
        .map_err(|_| io::Error::other("server_close panicked"))?;
    lane.say(format!(
        "server_close() returned after {:.1?}: it waited for client 1's handler",
        closing_started.elapsed()
    ));
    narrate("shutdown() stops the accepting; requests already being handled run to their end");
    narrate(
        "clients that connected after it were never accepted: server_close reset them when it closed the socket",
    );
    Ok(())
}
// ANCHOR_END: demo

fn unexpected(what: &str, got: io::Result<Vec<u8>>) -> io::Error {
    io::Error::other(format!("expected {what}, got {got:?}"))
}
