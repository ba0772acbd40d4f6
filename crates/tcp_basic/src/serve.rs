//! The server loop every two-terminal step shares: bind, announce, then
//! handle connections one after another, forever.
//!
//! A client that misbehaves (vanishes, resets, never sends) costs only its
//! own connection: the error is printed and the loop goes on to the next
//! client. This is still the documents' one-client-at-a-time server; lessons
//! 07 and 08 serve many at once.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use classroom::Side;
use classroom::cli::announce_listening;
use classroom::errors::{context, explain};

/// How long a server waits for a silent client before it gives up on it, so
/// one client that never sends cannot hold the server for ever.
pub const PATIENCE: Duration = Duration::from_secs(30);

// ANCHOR: serve_forever
/// Bind `addr`, print `listening on HOST:PORT`, and hand each connection to
/// `handle`, one at a time, until the process is stopped (Ctrl-C).
pub fn serve_forever(
    addr: SocketAddr,
    mut handle: impl FnMut(TcpStream, &mut Side) -> io::Result<()>,
) -> io::Result<()> {
    let listener = TcpListener::bind(addr).map_err(|e| context(e, format!("binding {addr}")))?;
    announce_listening(&listener)?;
    loop {
        let mut out = Side::server();
        out.say("waiting for a connection (Ctrl-C to stop)");
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                out.say(format!("accept failed: {}", explain(&e)));
                continue;
            }
        };
        out.say(format!("accepted a connection from {peer}"));
        let outcome = conn
            .set_read_timeout(Some(PATIENCE))
            .and_then(|()| handle(conn, &mut out));
        match outcome {
            Ok(()) => out.say(format!("done with {peer}")),
            Err(e) => out.say(format!("gave up on {peer}: {}", explain(&e))),
        }
    }
}
// ANCHOR_END: serve_forever
