//! Exercise 08-threads — lesson 08, Step 4 "threading: the fix".
//!
//! A plain `socketserver.TCPServer` runs the handler inside `serve_forever`,
//! in the server's one thread: while one client is served, the next waits in
//! the accept queue. The
//! `ThreadingTCPServer` gives each connection a thread of its own. The
//! handler here, `echo_handler`, echoes until its client closes.
//!
//! Task: `serve` gives each client its own thread, so a quiet client keeps
//! nobody waiting, and returns when `clients` clients have been served.
//!
//! Check: `cargo run -q -p exercises -- check 08-threads`

use std::io;
use std::net::TcpListener;

use crate::net::echo_handler;

// ANCHOR: task
/// Serve `clients` clients, each in a thread of its own; return when all are done.
pub fn serve(listener: &TcpListener, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (conn, _peer) = listener.accept()?;
        // TODO: the handler runs here, in the accepting thread, like a plain
        // TCPServer's: the next client is not accepted until this one leaves.
        echo_handler(conn)?;
    }
    Ok(())
}
// ANCHOR_END: task
