//! `sequential` (broken on purpose) and `threading` (the fix): two clients
//! against document 003's server, the first one slow to type. On a plain
//! `TcpServer` the second client waits for the first to leave (lesson 01's
//! `one-at-a-time`); with a thread per request it is welcomed at once.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use classroom::{Side, narrate};

use crate::TcpServer;
use crate::welcome::{self, EXIT, LineClient};

// ANCHOR: two_clients
/// Client 1 connects and is welcomed, then types slowly (sends nothing);
/// client 2 connects and waits for its welcome. Returns how long it waited.
///
/// `client_2_waits` says which server this is. Only then does client 2
/// listen for a limited time, to show the welcome that does not come: a
/// short timer must never decide whether a welcome that *will* come is
/// reported (on a busy machine a new thread can take longer than that).
fn two_clients(addr: SocketAddr, client_2_waits: bool) -> io::Result<Duration> {
    let mut one = LineClient::connect(addr, Side::nth_client(1))?;
    one.recv_line()?;
    one.stream().say("types slowly: nothing sent yet");

    let mut two = LineClient::connect(addr, Side::nth_client(2))?;
    let asked = Instant::now();
    if client_2_waits {
        two.hears_nothing("the server is still busy with client 1")?;
        // Client 1 finally leaves, and only then is client 2 served. (Client
        // 1 does not wait to see the server close: the server's next lines
        // are already client 2's.)
        one.send_line(EXIT)?;
    }
    two.recv_line()?; // the welcome
    let waited = asked.elapsed();
    two.stream().say(format!("welcomed after {waited:.1?}"));
    two.send_line(EXIT)?;
    two.recv_line()?;
    if !client_2_waits {
        one.send_line(EXIT)?; // still connected all this time
        one.recv_line()?;
    }
    Ok(waited)
}
// ANCHOR_END: two_clients

/// The two clients against `server`; how long client 2 waited.
fn run(server: TcpServer, how: &str, client_2_waits: bool) -> io::Result<Duration> {
    let addr = server.server_address()?;
    Side::server().say(format!("listening on {addr}: {how}"));
    let waited = server.serve_while(|| two_clients(addr, client_2_waits));
    server.server_close();
    waited
}

/// Broken on purpose: the two clients against a sequential server.
pub fn demo_sequential() -> io::Result<()> {
    let server = welcome::sequential_server(classroom::cli::ephemeral())?;
    let waited = run(server, "one request at a time (Python's TCPServer)", true)?;
    narrate(format!(
        "client 2 waited {waited:.1?}: serve_forever was inside client 1's handler"
    ));
    narrate("the fix is one line, a thread per request: `demo threading`");
    Ok(())
}

/// The fix: the same two clients against a thread per request.
pub fn demo_threading() -> io::Result<()> {
    let server = welcome::server(classroom::cli::ephemeral())?;
    let waited = run(server, "a thread per request (ThreadingMixIn)", false)?;
    narrate(format!(
        "client 2 was welcomed after {waited:.1?}, while client 1 was typing"
    ));
    narrate("but a thread per client is a thread per attacker too: `demo pool` bounds them");
    Ok(())
}
