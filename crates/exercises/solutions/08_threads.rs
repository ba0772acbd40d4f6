//! Solution of exercise 08-threads.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

// ANCHOR: solution
/// Serve `clients` clients, each in a thread of its own; return when all are done.
pub fn serve(listener: &TcpListener, clients: usize) -> io::Result<()> {
    // A scope: every thread started in it has ended when it returns.
    thread::scope(|scope| {
        let mut handlers = Vec::new();
        for _ in 0..clients {
            let (conn, _peer) = listener.accept()?;
            handlers.push(scope.spawn(move || handle(conn)));
        }
        for handler in handlers {
            handler
                .join()
                .map_err(|_| io::Error::other("a handler panicked"))??;
        }
        Ok(())
    })
}
// ANCHOR_END: solution

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
