//! What you write: Python's `BaseRequestHandler`. One handler serves every
//! request, on every thread, and gets it as `req` (Python's `self`).

use std::io;
use std::net::SocketAddr;
use std::panic::{self, AssertUnwindSafe};

use crate::server::ServerHandle;

/// One request: Python's `self.request`, `self.client_address`, `self.server`.
#[derive(Debug)]
pub struct Request<R> {
    /// A `TcpStream`, or a UDP [`Datagram`](crate::Datagram).
    pub request: R,
    /// Who sent it.
    pub client_address: SocketAddr,
    /// The server it came to: `req.server.shutdown()` stops it.
    pub server: ServerHandle,
}

/// What to do with one request. A closure `|req: &mut Request<_>| …` is
/// a handler too, with only a `handle`.
// ANCHOR: base_request_handler
pub trait BaseRequestHandler<R>: Send + Sync + 'static {
    /// Runs before `handle`. Does nothing unless you write it.
    fn setup(&self, _req: &mut Request<R>) -> io::Result<()> {
        Ok(())
    }

    /// Answer the request: the one method you must write.
    fn handle(&self, req: &mut Request<R>) -> io::Result<()>;

    /// Runs after `handle`, even when `handle` failed. Does nothing unless written.
    fn finish(&self, _req: &mut Request<R>) -> io::Result<()> {
        Ok(())
    }

    /// Told what `setup`, `handle` or `finish` failed with, a panic too
    /// (Python's `handle_error`, a server method there); then the server goes
    /// on. A client that closed early is a normal end, said calmly.
    fn handle_error(&self, client_address: SocketAddr, error: &io::Error) {
        let ending = classroom::runner::ending(error);
        classroom::Side::server().say(format!("request from {client_address}: {ending}"));
    }
}
// ANCHOR_END: base_request_handler

impl<R, F> BaseRequestHandler<R> for F
where
    F: Fn(&mut Request<R>) -> io::Result<()> + Send + Sync + 'static,
{
    fn handle(&self, req: &mut Request<R>) -> io::Result<()> {
        self(req)
    }
}

// ANCHOR: finish_request
/// One request from start to end: Python's `finish_request` (`setup`,
/// `handle`, `finish`) and `handle_error`. Dropping `req` at the end closes
/// the connection: Python's `shutdown_request`.
pub(crate) fn finish_request<R: 'static>(handler: &dyn BaseRequestHandler<R>, mut req: Request<R>) {
    let result = caught(|| handler.setup(&mut req)).and_then(|()| {
        // Python: try: self.handle() finally: self.finish()
        let handled = caught(|| handler.handle(&mut req));
        let finished = caught(|| handler.finish(&mut req));
        handled.and(finished)
    });
    if let Err(error) = result {
        req.server.state().stats.errors += 1;
        handler.handle_error(req.client_address, &error);
    }
}

/// Run handler code; a panic becomes an error, so one bad request cannot take the server down.
fn caught(f: impl FnOnce() -> io::Result<()>) -> io::Result<()> {
    // AssertUnwindSafe: after a panic we only report it and drop the request.
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let text = panic.downcast_ref::<String>().map(String::as_str);
        let text = text.or_else(|| panic.downcast_ref::<&str>().copied());
        let message = format!("the handler panicked: {}", text.unwrap_or("(no message)"));
        Err(io::Error::other(message))
    })
}
// ANCHOR_END: finish_request
