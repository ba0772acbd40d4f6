//! Solution of exercise 08-threads.

use std::io;
use std::net::TcpListener;
use std::thread;

use crate::net::echo_handler;

// ANCHOR: solution
/// Serve `clients` clients, each in a thread of its own; return when all are done.
pub fn serve(listener: &TcpListener, clients: usize) -> io::Result<()> {
    // A scope: every thread started in it has ended when it returns.
    thread::scope(|scope| {
        let mut handlers = Vec::new();
        for _ in 0..clients {
            let (conn, _peer) = listener.accept()?;
            handlers.push(scope.spawn(move || echo_handler(conn)));
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
