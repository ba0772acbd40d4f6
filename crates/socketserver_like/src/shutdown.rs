//! `shutdown`, beyond the documents: stopping a threading server from
//! another thread while a client is in the middle of its conversation.
//!
//! Stopping happens in two steps, as in Python:
//!
//! 1. `shutdown()` stops `serve_forever`: no more `accept`. It returns as
//!    soon as the loop has stopped; handler threads go on running.
//! 2. `server_close()` closes the listening socket (clients still waiting
//!    in the kernel's accept queue are reset) and then waits for every
//!    handler thread to finish.

use std::io;
use std::thread;
use std::time::Instant;

use classroom::{Side, narrate};

use crate::DEFAULT_POLL_INTERVAL;
use crate::welcome::{self, EXIT, LineClient};

// ANCHOR: demo
/// A client in the middle of a conversation, a shutdown, a late client,
/// then `server_close`.
pub fn demo() -> io::Result<()> {
    let server = welcome::server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    let lane = Side::server();
    lane.say(format!(
        "listening on {addr}: a thread per request (ThreadingMixIn)"
    ));
    let mut one = server.serve_while(DEFAULT_POLL_INTERVAL, || {
        let mut one = LineClient::connect(addr, Side::nth_client(1))?;
        one.recv_line()?; // welcomed: its handler thread now waits for a line
        lane.say("shutdown() from this thread, while client 1 is connected");
        let asked = Instant::now();
        server.shutdown();
        let took = asked.elapsed();
        lane.say(format!("shutdown() returned after {took:.1?}: serve_forever has stopped, client 1's handler still runs"));
        Ok(one)
    })?;

    let mut late = LineClient::connect(addr, Side::nth_client(2))?;
    late.stream().say(
        "connected: the listening socket is still open, so the kernel completed the handshake",
    );
    late.hears_nothing("nobody calls accept any more")?;

    one.send_line("Ada")?; // the request in flight is served to the end
    one.recv_line()?;

    lane.say(
        "server_close() on another thread: close the listening socket, then wait for the handlers",
    );
    let closing_started = Instant::now();
    let closing = thread::spawn(move || server.server_close());

    match late.recv_line() {
        Ok(line) if !line.is_empty() => return Err(io::Error::other("client 2 was answered")),
        Ok(_) => {} // the end of stream, printed
        Err(e) => late.stream().say(format!("recv failed: {e}")),
    }

    one.send_line(EXIT)?;
    one.recv_line()?;
    closing
        .join()
        .map_err(|_| io::Error::other("server_close panicked"))?;
    let took = closing_started.elapsed();
    lane.say(format!(
        "server_close() returned after {took:.1?}: it waited for client 1's handler"
    ));
    narrate("shutdown() stops the accepting; requests already being handled run to their end");
    narrate(
        "clients that connected after it were never accepted: server_close reset them when it closed the socket",
    );
    Ok(())
}
// ANCHOR_END: demo
