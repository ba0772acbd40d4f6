//! The handler side: what you write to answer one request.
//!
//! In Python you subclass `BaseRequestHandler` and override `handle`
//! (and maybe `setup` and `finish`); the server makes a new handler object
//! for every request, with `self.request`, `self.client_address` and
//! `self.server` filled in. Here you implement [`RequestHandler`] for a type
//! of yours, or pass a closure, and each call gets the request's state as a
//! `&mut` argument: a [`BaseRequest`] (the raw connection), a
//! [`StreamRequest`](crate::StreamRequest) (buffered `rfile` / `wfile`) or a
//! [`DatagramRequest`](crate::DatagramRequest) (one UDP datagram and its
//! reply). The handler itself is shared by every request, so per-request
//! state lives in the request or in local variables, never in `self`.

use std::any::Any;
use std::error::Error;
use std::fmt;
use std::io;
use std::net::TcpStream;
use std::panic::{self, AssertUnwindSafe};

use crate::server::ServerHandle;
use crate::stream::Stream;

/// One request's state, as the server hands it to a [`RequestHandler`].
///
/// The server turns what it accepted (a connection, a datagram) into one of
/// these with [`open`](Request::open) before `setup`, and lets go of it with
/// [`close`](Request::close) after `finish`. The crate provides
/// [`BaseRequest`], [`StreamRequest`](crate::StreamRequest) and
/// [`DatagramRequest`](crate::DatagramRequest); which one a handler takes
/// decides what it gets, as choosing a base class does in Python.
///
/// ```
/// use socketserver_like::{BaseRequest, Request, StreamRequest};
///
/// // What a TCP server accepts, and the address type it reports:
/// fn accepts<R: Request<Conn = std::net::TcpStream, Addr = std::net::SocketAddr>>() {}
/// accepts::<BaseRequest>();
/// accepts::<StreamRequest>();
/// ```
pub trait Request: Sized + Send + 'static {
    /// What the server accepted: a stream, or a datagram with its socket.
    type Conn: Send + 'static;
    /// The client's address.
    type Addr: Clone + fmt::Debug + Send + Sync + 'static;
    /// Settings a handler chooses for its requests (Python's handler class
    /// attributes such as `timeout`); `()` when there are none.
    type Options: Default + Send + Sync + 'static;

    /// Build the request's state from what the server accepted.
    fn open(
        conn: Self::Conn,
        client_address: Self::Addr,
        server: ServerHandle,
        options: &Self::Options,
    ) -> io::Result<Self>;

    /// Let go of the request: send what is still buffered and close
    /// (Python's `finish` for stream handlers plus `shutdown_request`).
    fn close(self) -> io::Result<()>;
}

/// What to do with one request: Python's `BaseRequestHandler`.
///
/// The server calls `setup`, then `handle`, then `finish`, all on the same
/// thread, once per request. `finish` runs even when `handle` failed or
/// panicked (Python runs it in a `finally:`), but not when `setup` failed.
/// An error or a panic from any of them is reported to the server's
/// `handle_error`, and the server goes on with the next request.
///
/// `R` is the kind of request the handler takes: [`BaseRequest`],
/// [`StreamRequest`](crate::StreamRequest) or
/// [`DatagramRequest`](crate::DatagramRequest).
///
/// ```
/// use std::io::{self, Read, Write};
/// use std::net::TcpStream;
/// use socketserver_like::{BaseRequest, RequestHandler, TcpServer};
///
/// struct Echo;
///
/// impl RequestHandler<BaseRequest> for Echo {
///     fn setup(&self, req: &mut BaseRequest) -> io::Result<()> {
///         req.request.write_all(b"> ")
///     }
///     fn handle(&self, req: &mut BaseRequest) -> io::Result<()> {
///         let mut buf = [0u8; 64];
///         let n = req.request.read(&mut buf)?;
///         req.request.write_all(&buf[..n])
///     }
/// }
///
/// let server = TcpServer::bind(("127.0.0.1", 0), Echo)?;
/// let mut client = TcpStream::connect(server.server_address()?)?;
/// client.write_all(b"hi")?;
/// server.handle_request()?;
/// let mut reply = String::new();
/// client.read_to_string(&mut reply)?;
/// assert_eq!(reply, "> hi");
/// # Ok::<(), std::io::Error>(())
/// ```
// ANCHOR: request_handler
pub trait RequestHandler<R: Request>: Send + Sync + 'static {
    /// Settings for this handler's requests (for a `StreamRequest`:
    /// `rbufsize`, `wbufsize`, `timeout`, `disable_nagle_algorithm`).
    fn options(&self) -> R::Options {
        R::Options::default()
    }

    /// Runs before `handle`. Does nothing unless you override it.
    fn setup(&self, request: &mut R) -> io::Result<()> {
        let _ = request;
        Ok(())
    }

    /// Answer the request. The only method you must write.
    fn handle(&self, request: &mut R) -> io::Result<()>;

    /// Runs after `handle`, even if it failed. Does nothing unless you
    /// override it.
    fn finish(&self, request: &mut R) -> io::Result<()> {
        let _ = request;
        Ok(())
    }
}
// ANCHOR_END: request_handler

/// A closure is a handler with only a `handle` method: the quickest way to
/// write one.
///
/// ```
/// use std::io::{BufRead, Write};
/// use socketserver_like::{StreamRequest, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), |req: &mut StreamRequest| {
///     let mut line = String::new();
///     req.rfile.read_line(&mut line)?;
///     req.wfile.write_all(line.to_uppercase().as_bytes())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
impl<R, F> RequestHandler<R> for F
where
    R: Request,
    F: Fn(&mut R) -> io::Result<()> + Send + Sync + 'static,
{
    fn handle(&self, request: &mut R) -> io::Result<()> {
        self(request)
    }
}

/// The raw request: Python's `BaseRequestHandler` attributes
/// `self.request`, `self.client_address` and `self.server`.
///
/// For a TCP server `request` is the connected [`TcpStream`]: read from it
/// and write to it directly, as document 000's handler does with
/// `self.request.recv(1024)` and `self.request.sendall(...)`.
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::TcpStream;
/// use socketserver_like::{BaseRequest, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), |req: &mut BaseRequest| {
///     let mut buf = [0u8; 1024];
///     let n = req.request.read(&mut buf)?;
///     req.request.write_all(&buf[..n].to_ascii_uppercase())
/// })?;
/// let mut client = TcpStream::connect(server.server_address()?)?;
/// client.write_all(b"hi")?;
/// server.handle_request()?;
/// let mut reply = String::new();
/// client.read_to_string(&mut reply)?;
/// assert_eq!(reply, "HI");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct BaseRequest<S: Stream = TcpStream> {
    /// The connection (Python's `self.request`).
    pub request: S,
    /// Who is on the other end (Python's `self.client_address`).
    pub client_address: S::Addr,
    /// The server this request came to (Python's `self.server`).
    pub server: ServerHandle,
}

impl<S: Stream> Request for BaseRequest<S> {
    type Conn = S;
    type Addr = S::Addr;
    type Options = ();

    fn open(
        conn: S,
        client_address: S::Addr,
        server: ServerHandle,
        _options: &(),
    ) -> io::Result<Self> {
        Ok(BaseRequest {
            request: conn,
            client_address,
            server,
        })
    }

    fn close(self) -> io::Result<()> {
        // Python's `shutdown_request`: say "no more data" (FIN) even if the
        // handler left a copy of the socket somewhere, then close. An error
        // here (the client already reset) changes nothing: we are done.
        let _ = self.request.shutdown_write();
        Ok(())
    }
}

/// Why a request failed: what the server's `handle_error` receives.
///
/// ```
/// use std::net::TcpStream;
/// use std::sync::mpsc;
/// use socketserver_like::{BaseRequest, RequestError, TcpServer};
///
/// let (tx, rx) = mpsc::channel();
/// let server = TcpServer::builder()
///     .handle_error(move |_, error| {
///         tx.send(matches!(error, RequestError::Panic(_))).unwrap();
///     })
///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| panic!("a bug in the handler"))?;
/// let _client = TcpStream::connect(server.server_address()?)?;
/// server.handle_request()?; // the panic is caught and reported
/// assert!(rx.recv().unwrap());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub enum RequestError {
    /// The handler returned an I/O error (the client reset, a read timed
    /// out, …).
    Io(io::Error),
    /// The handler panicked; the message is the panic's.
    Panic(String),
}

impl RequestError {
    /// The error, with a hint naming the lesson that explains it when it is
    /// an I/O error a student will meet.
    ///
    /// ```
    /// use socketserver_like::RequestError;
    ///
    /// let reset = RequestError::Io(std::io::ErrorKind::ConnectionReset.into());
    /// assert!(reset.explain().contains("hint:"));
    /// let panic = RequestError::Panic("boom".into());
    /// assert_eq!(panic.explain(), "the handler panicked: boom");
    /// ```
    pub fn explain(&self) -> String {
        match self {
            RequestError::Io(error) => classroom::errors::explain(error),
            RequestError::Panic(_) => self.to_string(),
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Io(error) => error.fmt(f),
            RequestError::Panic(message) => write!(f, "the handler panicked: {message}"),
        }
    }
}

impl Error for RequestError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            RequestError::Io(error) => Some(error),
            RequestError::Panic(_) => None,
        }
    }
}

impl From<io::Error> for RequestError {
    fn from(error: io::Error) -> Self {
        RequestError::Io(error)
    }
}

// ANCHOR: run_request
/// One request from start to end: Python's `finish_request` (make the
/// handler, `setup`, `handle`, `finish`) and `shutdown_request` (close).
pub(crate) fn run_request<R, H>(
    handler: &H,
    conn: R::Conn,
    client_address: R::Addr,
    server: ServerHandle,
) -> Result<(), RequestError>
where
    R: Request,
    H: RequestHandler<R>,
{
    let mut request = R::open(conn, client_address, server, &handler.options())?;
    caught(|| handler.setup(&mut request))?;
    // Python: `try: self.handle() finally: self.finish()`.
    let handled = caught(|| handler.handle(&mut request));
    let finished = caught(|| handler.finish(&mut request));
    let closed = request.close().map_err(RequestError::from);
    handled.and(finished).and(closed)
}

/// Run a piece of handler code, turning a panic into an error so that one
/// bad request cannot take the server (or a pool worker) down with it.
fn caught(f: impl FnOnce() -> io::Result<()>) -> Result<(), RequestError> {
    // AssertUnwindSafe: after a panic we only report it and drop the
    // request; a handler that shares state between requests keeps it in a
    // Mutex, which a panic poisons so the next request notices.
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(RequestError::Io),
        Err(panic) => Err(RequestError::Panic(panic_message(panic.as_ref()))),
    }
}
// ANCHOR_END: run_request

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        let err = caught(|| panic!("boom {}", 1)).unwrap_err();
        assert_eq!(err.to_string(), "the handler panicked: boom 1");
        let err = caught(|| std::panic::panic_any(7)).unwrap_err();
        assert_eq!(err.to_string(), "the handler panicked: (no message)");
    }

    #[test]
    fn io_errors_keep_their_kind() {
        let err = caught(|| Err(io::ErrorKind::TimedOut.into())).unwrap_err();
        assert!(matches!(err, RequestError::Io(ref e) if e.kind() == io::ErrorKind::TimedOut));
        assert!(err.source().is_some());
    }
}
