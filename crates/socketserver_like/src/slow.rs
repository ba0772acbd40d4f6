//! Slow clients against servers broken on purpose: `sequential` (document 003's
//! server without its threads; `threading` is the fix) and `starve` (`pool` is its fix).

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use classroom::{Side, narrate};

use crate::pool::{self, WORKERS};
use crate::run_demo;
use crate::welcome::{self, EXIT, LineClient};

// ANCHOR: two_clients
/// Client 1 is welcomed, then types slowly; client 2 waits for its welcome.
/// Only if `client_2_waits` (which server this is) does it listen for a
/// limited time: a timer must never decide whether a welcome is reported.
fn two_clients(addr: SocketAddr, client_2_waits: bool) -> io::Result<Duration> {
    let mut one = LineClient::connect(addr, Side::nth_client(1))?;
    one.recv_line()?;
    one.stream().say("types slowly: nothing sent yet");

    let mut two = LineClient::connect(addr, Side::nth_client(2))?;
    let asked = Instant::now();
    if client_2_waits {
        two.hears_nothing("welcome", "the server is still busy with client 1")?;
        one.send_line(EXIT)?; // and only then is client 2 served
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

/// Broken on purpose: the two clients against a sequential server.
pub fn demo_sequential() -> io::Result<()> {
    let server = welcome::sequential_server(classroom::cli::ephemeral())?;
    let how = "one request at a time (Python's TCPServer)";
    let (waited, _) = run_demo(server, how, |addr| two_clients(addr, true))?;
    let why = "serve_forever was inside client 1's handler";
    narrate(format!("client 2 waited {waited:.1?}: {why}"));
    narrate("the fix is one line, a thread per request: `demo threading`");
    Ok(())
}

/// The fix: the same two clients against a thread per request.
pub fn demo_threading() -> io::Result<()> {
    let server = welcome::server(classroom::cli::ephemeral())?;
    let how = "a thread per request (ThreadingMixIn)";
    let (waited, _) = run_demo(server, how, |addr| two_clients(addr, false))?;
    let waited = format!("client 2 was welcomed after {waited:.1?}");
    narrate(format!("{waited}, while client 1 was typing"));
    narrate("but a thread per client is a thread per attacker too: `demo pool` bounds them");
    Ok(())
}

/// `silent` clients that send nothing, then one that sends a line. If
/// `starves`, no answer comes until a silent client leaves.
pub(crate) fn silent_then_one(addr: SocketAddr, silent: usize, starves: bool) -> io::Result<()> {
    let connect = |_| TcpStream::connect(addr);
    let mut quiet = (0..silent).map(connect).collect::<io::Result<Vec<_>>>()?;
    Side::client().say(format!("{silent} clients connected and sent nothing"));
    let mut asks = LineClient::connect(addr, Side::nth_client(silent as u32 + 1))?;
    let asked = Instant::now();
    asks.send_line("hello")?;
    if starves {
        asks.hears_nothing("answer", "every worker waits for a silent client")?;
        Side::client().say("client 1 gives up and closes: its worker is free");
        drop(quiet.remove(0));
    }
    asks.recv_line()?;
    let waited = format!("answered after {:.1?}", asked.elapsed());
    (!starves).then(|| {
        asks.stream()
            .say(format!("{waited}: a silent client holds no worker"))
    });
    Ok(())
}

/// Broken on purpose: 4 silent clients against the starving pool.
pub fn demo_starve() -> io::Result<()> {
    let server = pool::starving_server(classroom::cli::ephemeral())?;
    let how = "a pool of 4 workers that read each request themselves";
    run_demo(server, how, |addr| silent_then_one(addr, WORKERS, true))?;
    narrate("a deadline frees each worker after 30 s, but 4 that come back starve it again");
    narrate("the fix waits for whole lines in one poll thread: `demo pool`, `compare starve`");
    Ok(())
}
