//! The server side: Python's `BaseServer`, for every kind of socket.
//!
//! A [`Server`] owns a bound socket and a handler. [`serve_forever`]
//! waits for requests and hands each to the handler, the way the
//! [`Concurrency`] it was built with says, until [`ServerHandle::shutdown`]
//! is called from another thread. [`TcpServer`](crate::TcpServer),
//! [`UdpServer`](crate::UdpServer) and the Unix servers are this one type
//! with different sockets.
//!
//! [`serve_forever`]: Server::serve_forever

use std::fmt;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use crate::concurrency::{Concurrency, Dispatch, Process, Report, ThreadCount};
use crate::handler::{Request, RequestError, RequestHandler, run_request};
use crate::wait::{self, AsSource, Ready, Waker};

/// Python's default `poll_interval` for `serve_forever`: half a second.
///
/// ```
/// assert_eq!(socketserver_like::DEFAULT_POLL_INTERVAL.as_millis(), 500);
/// ```
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);

pub(crate) mod sealed {
    /// Only this crate's socket types can be served from.
    pub trait Sealed {}
}

/// A socket a [`Server`] can take requests from: a listening TCP or Unix
/// socket, or a bound UDP or Unix datagram socket. Implemented by this
/// crate only.
///
/// ```
/// use std::net::{SocketAddr, TcpListener, TcpStream};
/// use socketserver_like::{Listen, Server, TcpServer};
///
/// // TcpServer is Server<TcpListener>: it accepts TcpStreams from SocketAddrs.
/// fn serves<L: Listen<Conn = TcpStream, Addr = SocketAddr>>(_: &Server<L>) {}
/// let server: Server<TcpListener> =
///     TcpServer::bind(("127.0.0.1", 0), |_: &mut socketserver_like::BaseRequest| Ok(()))?;
/// serves(&server);
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait Listen: sealed::Sealed + AsSource + Send + Sync + Sized + 'static {
    /// What one request starts as: a connection, or a datagram.
    type Conn: Send + 'static;
    /// A client's address.
    type Addr: Clone + fmt::Debug + Send + Sync + 'static;

    /// Python's `get_request`: take the next connection or datagram. Called
    /// only once a wait has said the socket is ready.
    #[doc(hidden)]
    fn get_request(
        socket: &Arc<Self>,
        max_packet_size: usize,
    ) -> io::Result<(Self::Conn, Self::Addr)>;

    /// The address the socket is bound to.
    #[doc(hidden)]
    fn local_address(&self) -> io::Result<Self::Addr>;
}

/// What [`Server::handle_request`] did.
///
/// ```
/// use std::time::Duration;
/// use socketserver_like::{BaseRequest, Served, TcpServer};
///
/// let server = TcpServer::builder()
///     .timeout(Some(Duration::from_millis(10)))
///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
/// assert_eq!(server.handle_request()?, Served::TimedOut);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Served {
    /// A request came and was handled (or handed to a thread).
    Request,
    /// The server's `timeout` passed first; `handle_timeout` ran.
    TimedOut,
}

/// What a server has done so far: a snapshot from [`ServerHandle::stats`].
///
/// ```
/// use socketserver_like::{BaseRequest, Stats, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
/// assert_eq!(server.handle().stats(), Stats::default());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests taken from the socket: connections accepted, datagrams read.
    pub requests: usize,
    /// Requests that `verify_request` turned away.
    pub refused: usize,
    /// Requests that ended in `handle_error`.
    pub errors: usize,
    /// Threads the server has started for requests: one per request with
    /// [`Concurrency::Threading`], the workers with [`Concurrency::Pool`].
    pub threads_started: usize,
    /// Of those, how many are still running.
    pub threads_running: usize,
}

/// Whether `serve_forever` is running, and whether it has been asked to stop.
#[derive(Debug, Default)]
struct LoopState {
    serving: Option<ThreadId>,
    shutdown_requested: bool,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<LoopState>,
    /// Signalled when `serve_forever` returns.
    stopped: Condvar,
    waker: Waker,
    threads: Arc<ThreadCount>,
    requests: AtomicUsize,
    refused: AtomicUsize,
    errors: AtomicUsize,
}

/// A handle on a server that other threads can keep: to stop it, or to
/// look at its [`Stats`]. Cheap to clone; every request gets one as its
/// `server` field (Python's `self.server`).
///
/// ```
/// use std::thread;
/// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
/// let handle = server.handle();
/// let serving = thread::spawn(move || server.serve_forever(DEFAULT_POLL_INTERVAL));
/// handle.shutdown(); // returns once serve_forever has returned
/// serving.join().unwrap()?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ServerHandle {
    shared: Arc<Shared>,
}

impl ServerHandle {
    fn new() -> io::Result<ServerHandle> {
        Ok(ServerHandle {
            shared: Arc::new(Shared {
                state: Mutex::default(),
                stopped: Condvar::new(),
                waker: Waker::new()?,
                threads: Arc::default(),
                requests: AtomicUsize::new(0),
                refused: AtomicUsize::new(0),
                errors: AtomicUsize::new(0),
            }),
        })
    }

    fn state(&self) -> MutexGuard<'_, LoopState> {
        // Nothing panics while holding this lock; if something ever did, the
        // flags inside are still meaningful.
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Python's `shutdown()`: stop `serve_forever` and wait until it has
    /// returned.
    ///
    /// The loop stops taking requests at once (it is woken, not left to
    /// notice at its next poll interval). A request being handled on the
    /// loop's own thread, as a sequential server does, is finished first;
    /// requests on other threads go on running, and `server_close` is what
    /// waits for those.
    ///
    /// Unlike Python's, this does not deadlock when called from the thread
    /// that runs `serve_forever` (a handler of a sequential server): it
    /// then only asks, as [`request_shutdown`](Self::request_shutdown)
    /// does. Called before `serve_forever` starts, it makes the next
    /// `serve_forever` return at once.
    ///
    /// ```
    /// use std::thread;
    /// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// let handle = server.handle();
    /// let serving = thread::spawn(move || server.serve_forever(DEFAULT_POLL_INTERVAL));
    /// handle.shutdown();
    /// assert!(serving.join().unwrap().is_ok());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    // ANCHOR: shutdown
    pub fn shutdown(&self) {
        let mut state = self.state();
        state.shutdown_requested = true;
        self.shared.waker.wake();
        if state.serving == Some(thread::current().id()) {
            return; // waiting for ourselves would never end
        }
        while state.serving.is_some() {
            state = self
                .shared
                .stopped
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
    // ANCHOR_END: shutdown

    /// Ask `serve_forever` to stop, without waiting for it: for a handler
    /// (say, of a "stop" command) whose own thread the loop may be waiting
    /// on.
    ///
    /// ```
    /// use std::io::Write;
    /// use std::net::TcpStream;
    /// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |req: &mut BaseRequest| {
    ///     req.server.request_shutdown();
    ///     Ok(())
    /// })?;
    /// TcpStream::connect(server.server_address()?)?.write_all(b"stop")?;
    /// server.serve_forever(DEFAULT_POLL_INTERVAL)?; // returns after that one request
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn request_shutdown(&self) {
        self.state().shutdown_requested = true;
        self.shared.waker.wake();
    }

    /// What the server has done so far.
    ///
    /// ```
    /// use std::net::TcpStream;
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// let _client = TcpStream::connect(server.server_address()?)?;
    /// server.handle_request()?;
    /// assert_eq!(server.handle().stats().requests, 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn stats(&self) -> Stats {
        let shared = &self.shared;
        Stats {
            requests: shared.requests.load(Ordering::SeqCst),
            refused: shared.refused.load(Ordering::SeqCst),
            errors: shared.errors.load(Ordering::SeqCst),
            threads_started: shared.threads.started.load(Ordering::SeqCst),
            threads_running: shared.threads.running.load(Ordering::SeqCst),
        }
    }

    fn shutdown_requested(&self) -> bool {
        self.state().shutdown_requested
    }

    /// Mark `serve_forever` as running on this thread until the guard drops.
    fn start_serving(&self) -> io::Result<LoopGuard<'_>> {
        let mut state = self.state();
        if state.serving.is_some() {
            return Err(io::Error::other(
                "serve_forever is already running on another thread",
            ));
        }
        state.serving = Some(thread::current().id());
        Ok(LoopGuard { handle: self })
    }
}

/// While alive, `serve_forever` is running. Dropping it (on return, or if a
/// hook panics) clears the shutdown request and wakes `shutdown()` callers,
/// like the `finally:` in Python's `serve_forever`.
struct LoopGuard<'a> {
    handle: &'a ServerHandle,
}

impl Drop for LoopGuard<'_> {
    fn drop(&mut self) {
        let mut state = self.handle.state();
        state.serving = None;
        state.shutdown_requested = false;
        self.handle.shared.stopped.notify_all();
    }
}

type Verify<A> = Arc<dyn Fn(&A) -> bool + Send + Sync>;
type OnError<A> = Arc<dyn Fn(&A, &RequestError) + Send + Sync>;
type Hook = Arc<dyn Fn() + Send + Sync>;

/// The methods a Python subclass of `BaseServer` overrides, as closures.
struct Hooks<A> {
    verify_request: Verify<A>,
    handle_error: OnError<A>,
    handle_timeout: Hook,
    service_actions: Hook,
}

impl<A: fmt::Debug> Default for Hooks<A> {
    fn default() -> Self {
        Hooks {
            verify_request: Arc::new(|_| true),
            // Python prints a traceback to stderr and carries on.
            handle_error: Arc::new(|client_address, error| {
                eprintln!(
                    "error while handling a request from {client_address:?}: {}",
                    error.explain()
                );
            }),
            handle_timeout: Arc::new(|| {}),
            service_actions: Arc::new(|| {}),
        }
    }
}

/// Settings for a server before it binds: Python's class attributes
/// (`allow_reuse_address`, `request_queue_size`, `timeout`, …), the mixin
/// you would pick (`ThreadingMixIn`), and the methods you would override
/// (`verify_request`, `handle_error`, …).
///
/// ```
/// use std::time::Duration;
/// use socketserver_like::{BaseRequest, Concurrency, TcpServer};
///
/// let server = TcpServer::builder()
///     .allow_reuse_address(true)
///     .request_queue_size(128)
///     .concurrency(Concurrency::threading())
///     .timeout(Some(Duration::from_secs(1)))
///     .verify_request(|client| client.ip().is_loopback())
///     .handle_error(|client, error| eprintln!("{client}: {error}"))
///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ServerBuilder<L: Listen> {
    pub(crate) allow_reuse_address: bool,
    pub(crate) allow_reuse_port: bool,
    pub(crate) request_queue_size: i32,
    max_packet_size: usize,
    timeout: Option<Duration>,
    concurrency: Concurrency,
    hooks: Hooks<L::Addr>,
}

impl<L: Listen> Default for ServerBuilder<L> {
    fn default() -> Self {
        ServerBuilder {
            allow_reuse_address: false,
            allow_reuse_port: false,
            request_queue_size: 5,
            max_packet_size: 8192,
            timeout: None,
            concurrency: Concurrency::Sequential,
            hooks: Hooks::default(),
        }
    }
}

impl<L: Listen> fmt::Debug for ServerBuilder<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerBuilder")
            .field("allow_reuse_address", &self.allow_reuse_address)
            .field("allow_reuse_port", &self.allow_reuse_port)
            .field("request_queue_size", &self.request_queue_size)
            .field("max_packet_size", &self.max_packet_size)
            .field("timeout", &self.timeout)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl<L: Listen> ServerBuilder<L> {
    /// Set SO_REUSEADDR before binding, so a restarted server can bind
    /// while connections of its last run linger in TIME_WAIT (lesson 02).
    /// Python's default: off.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .allow_reuse_address(true)
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// assert!(socket2::SockRef::from(server.socket()).reuse_address()?);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn allow_reuse_address(mut self, allow: bool) -> Self {
        self.allow_reuse_address = allow;
        self
    }

    /// Set SO_REUSEPORT before binding, so several servers can listen on
    /// one port and the kernel spreads clients among them (Unix only;
    /// binding fails with `Unsupported` elsewhere). Python's default: off.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let handler = |_: &mut BaseRequest| Ok(());
    /// let first = TcpServer::builder().allow_reuse_port(true);
    /// if cfg!(unix) {
    ///     let first = first.bind(("127.0.0.1", 0), handler)?;
    ///     let second = TcpServer::builder()
    ///         .allow_reuse_port(true)
    ///         .bind(first.server_address()?, handler)?;
    ///     assert_eq!(first.server_address()?, second.server_address()?);
    /// } else {
    ///     let refused = first.bind(("127.0.0.1", 0), handler).unwrap_err();
    ///     assert_eq!(refused.kind(), std::io::ErrorKind::Unsupported);
    /// }
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn allow_reuse_port(mut self, allow: bool) -> Self {
        self.allow_reuse_port = allow;
        self
    }

    /// The listen backlog: how many finished handshakes the kernel keeps
    /// waiting for `accept` (the accept queue, 全连接队列). Python's
    /// default, 5, is small for a burst of clients; the kernel caps it
    /// (Linux: `net.core.somaxconn`). Not used by datagram servers.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .request_queue_size(1024)
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn request_queue_size(mut self, backlog: i32) -> Self {
        self.request_queue_size = backlog;
        self
    }

    /// The largest datagram a datagram server reads whole; longer ones are
    /// cut (lesson 03). Python's default: 8192.
    ///
    /// ```
    /// use socketserver_like::{DatagramRequest, UdpServer};
    ///
    /// let server = UdpServer::builder()
    ///     .max_packet_size(65507)
    ///     .bind(("127.0.0.1", 0), |_: &mut DatagramRequest| Ok(()))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn max_packet_size(mut self, bytes: usize) -> Self {
        self.max_packet_size = bytes;
        self
    }

    /// How long [`Server::handle_request`] waits for a request before it
    /// calls `handle_timeout` and returns. `None` (Python's default): for
    /// ever. `serve_forever` ignores it, as in Python.
    ///
    /// ```
    /// use std::time::Duration;
    /// use socketserver_like::{BaseRequest, Served, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .timeout(Some(Duration::from_millis(10)))
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// assert_eq!(server.handle_request()?, Served::TimedOut);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Who runs each request: see [`Concurrency`]. Default: sequential.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, Concurrency, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .concurrency(Concurrency::pool(2, 8))
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// assert_eq!(server.handle().stats().threads_running, 2);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn concurrency(mut self, concurrency: Concurrency) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// Python's `verify_request`: called with each client's address before
    /// its request is handled; `false` closes the request unhandled.
    ///
    /// ```
    /// use std::io::Read;
    /// use std::net::TcpStream;
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .verify_request(|_client| false)
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| unreachable!())?;
    /// let mut client = TcpStream::connect(server.server_address()?)?;
    /// server.handle_request()?;
    /// assert_eq!(client.read(&mut [0u8; 8])?, 0, "closed without a word");
    /// assert_eq!(server.handle().stats().refused, 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn verify_request(
        mut self,
        verify: impl Fn(&L::Addr) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.hooks.verify_request = Arc::new(verify);
        self
    }

    /// Python's `handle_error`: called (on the handler's thread) when a
    /// handler returns an error or panics. The default prints to stderr.
    /// Either way the server goes on with the next request.
    ///
    /// ```
    /// use std::net::TcpStream;
    /// use std::sync::mpsc;
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let server = TcpServer::builder()
    ///     .handle_error(move |_client, error| tx.send(error.to_string()).unwrap())
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Err(std::io::Error::other("nope")))?;
    /// let _client = TcpStream::connect(server.server_address()?)?;
    /// server.handle_request()?;
    /// assert_eq!(rx.recv().unwrap(), "nope");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn handle_error(
        mut self,
        handle_error: impl Fn(&L::Addr, &RequestError) + Send + Sync + 'static,
    ) -> Self {
        self.hooks.handle_error = Arc::new(handle_error);
        self
    }

    /// Python's `handle_timeout`: called when `handle_request` waited
    /// `timeout` for nothing.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let timed_out = Arc::new(AtomicBool::new(false));
    /// let flag = Arc::clone(&timed_out);
    /// let server = TcpServer::builder()
    ///     .timeout(Some(Duration::from_millis(10)))
    ///     .handle_timeout(move || flag.store(true, Ordering::SeqCst))
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// server.handle_request()?;
    /// assert!(timed_out.load(Ordering::SeqCst));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn handle_timeout(mut self, handle_timeout: impl Fn() + Send + Sync + 'static) -> Self {
        self.hooks.handle_timeout = Arc::new(handle_timeout);
        self
    }

    /// Python's `service_actions`: called by `serve_forever` every time
    /// round its loop, at least once per poll interval.
    ///
    /// ```
    /// use std::time::Duration;
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .service_actions(|| { /* rotate a log, expire a cache, … */ })
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn service_actions(mut self, service_actions: impl Fn() + Send + Sync + 'static) -> Self {
        self.hooks.service_actions = Arc::new(service_actions);
        self
    }

    /// Wrap a bound socket and a handler into a server.
    pub(crate) fn build<R, H>(self, socket: L, handler: H) -> io::Result<Server<L>>
    where
        R: Request<Conn = L::Conn, Addr = L::Addr>,
        H: RequestHandler<R>,
    {
        let handle = ServerHandle::new()?;
        let report: Report<L::Addr> = {
            let handle = handle.clone();
            let handle_error = Arc::clone(&self.hooks.handle_error);
            Arc::new(move |client_address, error| {
                handle.shared.errors.fetch_add(1, Ordering::SeqCst);
                handle_error(client_address, &error);
            })
        };
        let process: Process<L::Conn, L::Addr> = {
            let handle = handle.clone();
            let report = Arc::clone(&report);
            Arc::new(move |conn, client_address: L::Addr| {
                let outcome =
                    run_request::<R, H>(&handler, conn, client_address.clone(), handle.clone());
                if let Err(error) = outcome {
                    report(&client_address, error);
                }
            })
        };
        let threads = Arc::clone(&handle.shared.threads);
        Ok(Server {
            socket: Arc::new(socket),
            dispatch: Dispatch::new(self.concurrency, process, report, threads)?,
            concurrency: self.concurrency,
            handle,
            hooks: self.hooks,
            timeout: self.timeout,
            max_packet_size: self.max_packet_size,
        })
    }
}

/// A bound server: Python's `BaseServer` and its subclasses.
///
/// Build one with [`TcpServer::bind`](crate::TcpServer) (or `builder()`
/// for settings), then call [`serve_forever`](Self::serve_forever), or
/// [`handle_request`](Self::handle_request) one request at a time. Dropping
/// the server is Python's `server_close()`.
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::TcpStream;
/// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), |req: &mut BaseRequest| {
///     req.request.write_all(b"hi")
/// })?;
/// let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;
/// let mut reply = String::new();
/// TcpStream::connect(serving.server_address())?.read_to_string(&mut reply)?;
/// assert_eq!(reply, "hi");
/// serving.shutdown()?.server_close();
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Server<L: Listen> {
    // Fields are dropped in the order they are declared, and that order is
    // Python's `server_close`: first close the socket (new clients are
    // refused, queued ones reset), then wait for the handler threads.
    socket: Arc<L>,
    dispatch: Dispatch<L::Conn, L::Addr>,
    concurrency: Concurrency,
    handle: ServerHandle,
    hooks: Hooks<L::Addr>,
    timeout: Option<Duration>,
    max_packet_size: usize,
}

impl<L: Listen + fmt::Debug> fmt::Debug for Server<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("socket", &self.socket)
            .field("concurrency", &self.concurrency)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<L: Listen> Server<L> {
    /// Settings first, then `bind`.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, Concurrency, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .concurrency(Concurrency::threading())
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn builder() -> ServerBuilder<L> {
        ServerBuilder::default()
    }

    /// A handle other threads can keep, to stop the server or read its
    /// [`Stats`].
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// let handle = server.handle();
    /// assert_eq!(handle.stats().requests, 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// The address the server is bound to (Python's `server_address`),
    /// with the real port when it was bound to port 0.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// assert_ne!(server.server_address()?.port(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn server_address(&self) -> io::Result<L::Addr> {
        self.socket.local_address()
    }

    /// The server's socket (Python's `server.socket`), to read or set an
    /// option, or to get its file descriptor (`fileno()`).
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// assert_eq!(server.socket().local_addr()?, server.server_address()?);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn socket(&self) -> &L {
        &self.socket
    }

    /// Python's `serve_forever(poll_interval)`: handle requests until
    /// [`ServerHandle::shutdown`] is called from another thread.
    ///
    /// Each time round, the loop waits until a request is waiting, a
    /// shutdown rings the waker, or `poll_interval` passes (then it runs
    /// `service_actions`). It never spins, and never waits a whole poll
    /// interval to notice a shutdown.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// server.handle().shutdown(); // asked before it starts: returns at once
    /// server.serve_forever(DEFAULT_POLL_INTERVAL)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    // ANCHOR: serve_forever
    pub fn serve_forever(&self, poll_interval: Duration) -> io::Result<()> {
        let _serving = self.handle.start_serving()?;
        while !self.handle.shutdown_requested() {
            let ready = wait::wait(
                &*self.socket,
                &self.handle.shared.waker,
                Some(poll_interval),
            )?;
            // A shutdown that rang during the wait wins over a client that
            // arrived at the same time (as in Python since bpo-35017).
            if self.handle.shutdown_requested() {
                break;
            }
            if ready == Ready::Socket {
                self.handle_request_noblock(poll_interval)?;
            }
            (self.hooks.service_actions)();
        }
        Ok(())
    }
    // ANCHOR_END: serve_forever

    /// Python's `handle_request()`: wait for one request (at most the
    /// server's `timeout`) and handle it. On timeout, `handle_timeout`
    /// runs and [`Served::TimedOut`] is returned.
    ///
    /// ```
    /// use std::io::Write;
    /// use std::net::TcpStream;
    /// use socketserver_like::{BaseRequest, Served, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// TcpStream::connect(server.server_address()?)?.write_all(b"one")?;
    /// assert_eq!(server.handle_request()?, Served::Request);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn handle_request(&self) -> io::Result<Served> {
        let deadline = self.timeout.map(|timeout| Instant::now() + timeout);
        loop {
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match wait::wait(&*self.socket, &self.handle.shared.waker, left)? {
                Ready::Socket => {
                    if self.handle_request_noblock(DEFAULT_POLL_INTERVAL)? {
                        return Ok(Served::Request);
                    }
                }
                Ready::Woken => {} // not ours to act on; wait out the rest
                Ready::Timeout => {
                    (self.hooks.handle_timeout)();
                    return Ok(Served::TimedOut);
                }
            }
        }
    }

    // ANCHOR: handle_request_noblock
    /// Python's `_handle_request_noblock`: take the request the wait said
    /// is there, check it, and hand it on. `false` if there was none after
    /// all.
    fn handle_request_noblock(&self, back_off: Duration) -> io::Result<bool> {
        let (conn, client_address) = match L::get_request(&self.socket, self.max_packet_size) {
            Ok(request) => request,
            Err(error) if wait::is_spurious(&error) => return Ok(false),
            Err(error) => {
                // Such as EMFILE, too many open files. The socket stays
                // readable, so trying again at once would spin: pause for
                // one poll interval (a shutdown still cuts it short).
                eprintln!(
                    "cannot take a request: {}",
                    classroom::errors::explain(&error)
                );
                wait::pause(&self.handle.shared.waker, back_off)?;
                return Ok(false);
            }
        };
        self.handle.shared.requests.fetch_add(1, Ordering::SeqCst);
        if (self.hooks.verify_request)(&client_address) {
            self.dispatch.process_request(conn, client_address);
        } else {
            self.handle.shared.refused.fetch_add(1, Ordering::SeqCst);
            drop(conn); // Python's shutdown_request: close it unanswered
        }
        Ok(true)
    }
    // ANCHOR_END: handle_request_noblock

    /// Python's `server_close()`: close the socket, then wait for handler
    /// threads as the server's [`Concurrency`] says (a pool's workers
    /// finish the requests already queued). Dropping the server does the
    /// same.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, Concurrency, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .concurrency(Concurrency::pool(2, 4))
    ///     .bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// let handle = server.handle();
    /// server.server_close();
    /// assert_eq!(handle.stats().threads_running, 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn server_close(self) {
        drop(self);
    }

    /// Run `serve_forever` on a new thread: the usual way to serve in the
    /// background, as Python programs do with
    /// `threading.Thread(target=server.serve_forever)`.
    ///
    /// ```
    /// use std::net::TcpStream;
    /// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// let serving = server.spawn(DEFAULT_POLL_INTERVAL)?;
    /// let _client = TcpStream::connect(serving.server_address())?;
    /// let server = serving.shutdown()?;
    /// server.server_close();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn spawn(self, poll_interval: Duration) -> io::Result<Serving<L>> {
        let handle = self.handle();
        let server_address = self.server_address()?;
        let thread = thread::Builder::new()
            .name("serve_forever".into())
            .spawn(move || {
                let served = self.serve_forever(poll_interval);
                (self, served)
            })?;
        Ok(Serving {
            handle,
            server_address,
            thread,
        })
    }
}

/// A server running `serve_forever` on its own thread, from
/// [`Server::spawn`].
///
/// ```
/// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
///
/// let serving = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?
///     .spawn(DEFAULT_POLL_INTERVAL)?;
/// assert_eq!(serving.handle().stats().requests, 0);
/// serving.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Serving<L: Listen> {
    handle: ServerHandle,
    server_address: L::Addr,
    thread: JoinHandle<(Server<L>, io::Result<()>)>,
}

impl<L: Listen> Serving<L> {
    /// A handle on the running server.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
    ///
    /// let serving = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?
    ///     .spawn(DEFAULT_POLL_INTERVAL)?;
    /// let handle = serving.handle();
    /// handle.shutdown();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// Where the server listens.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
    ///
    /// let serving = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?
    ///     .spawn(DEFAULT_POLL_INTERVAL)?;
    /// assert!(serving.server_address().ip().is_loopback());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn server_address(&self) -> &L::Addr {
        &self.server_address
    }

    /// [`ServerHandle::shutdown`], then wait for the serving thread, and
    /// give the server back, not yet closed: call
    /// [`Server::server_close`] (or drop it) when you are ready to wait
    /// for the handlers still running.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, DEFAULT_POLL_INTERVAL, TcpServer};
    ///
    /// let serving = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?
    ///     .spawn(DEFAULT_POLL_INTERVAL)?;
    /// let server = serving.shutdown()?;
    /// assert!(server.server_address().is_ok(), "still bound until server_close");
    /// server.server_close();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn shutdown(self) -> io::Result<Server<L>> {
        self.handle.shutdown();
        match self.thread.join() {
            Ok((server, Ok(()))) => Ok(server),
            Ok((_, Err(error))) => Err(error),
            Err(_) => Err(io::Error::other("the serve_forever thread panicked")),
        }
    }
}
