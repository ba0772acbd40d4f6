//! Exercise 08-threads — lesson 08, Step 4 "threading: the fix".
//!
//! A plain `socketserver.TCPServer` calls the handler in its own thread: while
//! one client is served, the next waits in the accept queue. The
//! `ThreadingTCPServer` gives each connection a thread of its own.
//!
//! Task: `serve` gives each client its own thread, so a quiet client keeps
//! nobody waiting, and returns when `clients` clients have been served.
//!
//! Check: `cargo run -q -p exercises -- check 08-threads`

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

// ANCHOR: task
/// Serve `clients` clients, each in a thread of its own; return when all are done.
pub fn serve(listener: &TcpListener, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (conn, _peer) = listener.accept()?;
        // TODO: the handler runs here, in the accepting thread, like a plain
        // TCPServer's: the next client is not accepted until this one leaves.
        handle(conn)?;
    }
    Ok(())
}
// ANCHOR_END: task

/// The handler (leave it as it is): echo until the client closes.
pub fn handle(mut conn: TcpStream) -> io::Result<()> {
    let mut buf = [0; 1024];
    loop {
        match conn.read(&mut buf)? {
            0 => return Ok(()),
            n => conn.write_all(&buf[..n])?,
        }
    }
}
