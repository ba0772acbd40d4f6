//! The two-terminal server: the restart story on the document's port, one
//! client at a time.
//!
//! It binds, serves one client, stops, and starts again on the same port,
//! reporting each step. When the restart succeeds it waits for the next
//! client, and the story repeats; when it fails, the server has nothing
//! left to listen with, so it says why and ends (exit code 0: the failed
//! restart is what `server broken` is there to show).

use std::io;
use std::net::SocketAddr;

use classroom::cli::announce_listening;
use classroom::errors::{context, explain};
use classroom::tcp::serve_connection;
use classroom::{Side, narrate};

use crate::{Bind, Restart, ServerHalf, restart};

/// Bind `addr` the way `bind` says, print `listening on HOST:PORT`, then
/// serve one client with `serve`, restart, and repeat until a restart fails
/// or the process is stopped (Ctrl-C).
pub fn serve_and_restart(addr: SocketAddr, bind: Bind, serve: ServerHalf) -> io::Result<()> {
    let mut listener = bind
        .bind(addr)
        .map_err(|e| context(e, format!("binding {addr} ({bind})")))?;
    let addr = announce_listening(&listener)?;
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
        let local = conn.local_addr().unwrap_or(addr);
        // The workspace's one-connection step: timeouts, `serve`, and a
        // line saying how it ended. A client that misbehaves costs only its
        // own connection, and the restart below happens either way.
        serve_connection(conn, peer, &mut out, serve);
        listener = match restart(listener, bind, (local, peer), &out) {
            Restart::Listening(listener) => listener,
            Restart::Failed(e) => {
                if e.kind() == io::ErrorKind::AddrInUse {
                    narrate(format!(
                        "the restart failed: the connection this server closed first holds {addr} in TIME_WAIT"
                    ));
                    narrate(
                        "wait for it to end (60 s on Linux) or use another --port; `server fixed` sets SO_REUSEADDR on every start",
                    );
                }
                return Ok(());
            }
        };
    }
}
