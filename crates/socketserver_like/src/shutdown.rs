//! `shutdown`, beyond the documents: stopping a threading server from
//! another thread while a client is in the middle of its conversation.

use std::io;
use std::thread;
use std::time::Instant;

use classroom::{Side, narrate};

use crate::welcome::{self, EXIT, LineClient};

// ANCHOR: demo
/// A client in the middle of a conversation, a shutdown, a late client, `server_close`.
pub fn demo() -> io::Result<()> {
    let server = welcome::server(classroom::cli::ephemeral())?;
    let addr = server.server_address()?;
    let lane = Side::server();
    lane.say(format!("listening on {addr}: a thread per request"));
    let mut one = server.serve_while(|| {
        let mut one = LineClient::connect(addr, Side::nth_client(1))?;
        one.recv_line()?; // welcomed: its handler thread now waits for a line
        lane.say("shutdown() from this thread, while client 1 is connected");
        let asked = Instant::now();
        server.shutdown();
        let took = format!("shutdown() returned after {:.1?}", asked.elapsed());
        lane.say(format!("{took}: serve_forever stopped"));
        Ok(one)
    })?;

    let mut late = LineClient::connect(addr, Side::nth_client(2))?;
    late.stream()
        .say("connected: the socket still listens, so the kernel did the handshake");
    late.hears_nothing("welcome", "nobody calls accept any more")?;

    one.send_line("Ada")?; // the request in flight goes on to its end
    one.recv_line()?;

    lane.say("server_close() on another thread: close the socket, then wait for the handlers");
    let closing_started = Instant::now();
    let closing = thread::spawn(move || server.server_close());
    match late.recv_line() {
        Ok(line) if !line.is_empty() => return Err(io::Error::other("client 2 was answered")),
        Ok(_) => {} // the end of stream, printed
        Err(e) => late.stream().say(format!("recv failed: {e}")),
    }
    one.send_line(EXIT)?;
    one.recv_line()?;
    let panicked = |_| io::Error::other("server_close panicked");
    closing.join().map_err(panicked)?;
    let took = format!(
        "server_close() returned after {:.1?}",
        closing_started.elapsed()
    );
    lane.say(format!("{took}: it waited for client 1"));
    narrate("shutdown() stops the accepting; requests already being handled run to their end");
    narrate("clients that came after it were never accepted: server_close reset them");
    Ok(())
}
// ANCHOR_END: demo
