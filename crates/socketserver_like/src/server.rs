//! The server: Python's `BaseServer`, `TCPServer` and `UDPServer`, with
//! `ThreadingMixIn` and, beyond Python, a bounded pool of workers.

use std::io::{self, ErrorKind::*};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::Duration;

use classroom::errors::{bind_failed, explain};
use socket2::{Domain, SockRef, Type};

use crate::handler::{BaseRequestHandler, Request, finish_request};
use crate::os::{AsSource, REUSE_ADDRESS, poll_readable, source};
use crate::thread_pool::ThreadPool;

/// Python's default `poll_interval` for `serve_forever`: half a second.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Python's `request_queue_size`: the `listen` backlog of [`TcpServer::bind`].
pub const REQUEST_QUEUE_SIZE: i32 = 5;
/// A backlog for bursts of clients: 1,024 finished handshakes may wait for `accept`.
pub const BACKLOG: i32 = 1024;
/// Python's `max_packet_size`: the most a UDP server reads of one datagram.
pub const MAX_PACKET_SIZE: usize = 8192;

/// A UDP request: the datagram and the server's socket to answer on.
pub type Datagram = (Vec<u8>, Arc<UdpSocket>);

/// A socket a [`Server`] takes requests from: a `TcpListener`, a `UdpSocket`, a [`Watched`](crate::Watched).
pub trait Listen: AsSource + Send + Sync + 'static {
    /// What the handler gets as `req.request`.
    type Request: Send + 'static;
    /// Python's `get_request`: take the request a wait said is there.
    fn get_request(socket: &Arc<Self>) -> io::Result<(Self::Request, SocketAddr)>;

    /// Wait for a request (`true`), `waker` (second `true`) or `timeout`: `poll` on both.
    fn wait(&self, waker: &UdpSocket, timeout: Option<Duration>) -> io::Result<(bool, bool)> {
        let readable = poll_readable(&[source(self), source(waker)], timeout)?;
        Ok((readable[0], readable[1]))
    }
}

// ANCHOR: get_request
impl Listen for TcpListener {
    type Request = TcpStream;
    fn get_request(listener: &Arc<Self>) -> io::Result<(TcpStream, SocketAddr)> {
        let (conn, client_address) = listener.accept()?; // Python: self.socket.accept()
        conn.set_nonblocking(false)?; // macOS, Windows: it inherits the listener's
        Ok((conn, client_address))
    }
}

impl Listen for UdpSocket {
    type Request = Datagram;
    fn get_request(socket: &Arc<Self>) -> io::Result<(Datagram, SocketAddr)> {
        let mut data = vec![0u8; MAX_PACKET_SIZE]; // our limit: a longer datagram is cut
        let (n, client_address) = socket.recv_from(&mut data)?; // self.socket.recvfrom(...)
        data.truncate(n);
        Ok(((data, Arc::clone(socket)), client_address))
    }
}
// ANCHOR_END: get_request

// ANCHOR: server_bind
/// Python's `server_bind()` and `server_activate()`: a TCP socket with
/// `allow_reuse_address` on (document 000; on Windows off, lesson 02), bound to
/// `address`, listening with `request_queue_size` as the backlog.
pub fn server_bind(address: SocketAddr, request_queue_size: i32) -> io::Result<TcpListener> {
    let socket = socket2::Socket::new(Domain::for_address(address), Type::STREAM, None)?;
    socket.set_reuse_address(REUSE_ADDRESS)?; // Python: allow_reuse_address = True
    let bound = socket.bind(&address.into()); // self.socket.bind(self.server_address)
    bound.map_err(|e| bind_failed(e, address, "TCP"))?;
    socket.listen(request_queue_size)?; // self.socket.listen(self.request_queue_size)
    Ok(socket.into())
}
// ANCHOR_END: server_bind

/// Python's `TCPServer`.
pub type TcpServer = Server<TcpListener>;
/// Python's `UDPServer`.
pub type UdpServer = Server<UdpSocket>;

impl TcpServer {
    /// Python's `TCPServer((host, port), Handler)`.
    pub fn bind(addr: SocketAddr, handler: impl BaseRequestHandler<TcpStream>) -> io::Result<Self> {
        Server::new(server_bind(addr, REQUEST_QUEUE_SIZE)?, handler)
    }
}

impl UdpServer {
    /// Python's `UDPServer((host, port), Handler)`: bind (UDP has no listen).
    pub fn bind(addr: SocketAddr, handler: impl BaseRequestHandler<Datagram>) -> io::Result<Self> {
        let socket = UdpSocket::bind(addr).map_err(|e| bind_failed(e, addr, "UDP"))?;
        Server::new(socket, handler)
    }
}

/// A bound server and its handler.
pub struct Server<L: Listen> {
    // Dropped in this order: the socket (queued clients are reset), then a pool.
    socket: Arc<L>,
    handler: Arc<dyn BaseRequestHandler<L::Request>>,
    dispatch: Dispatch,
    handle: ServerHandle,
}

/// Who runs a request.
enum Dispatch {
    Inline,
    Threads(Mutex<Vec<JoinHandle<()>>>),
    Pool(ThreadPool),
}

impl<L: Listen> Server<L> {
    /// A server on a socket bound your own way (`bind_and_activate=False`), one request at a time.
    pub fn new(socket: L, handler: impl BaseRequestHandler<L::Request>) -> io::Result<Self> {
        // A client can give up between `poll` and `accept`: never block in accept.
        SockRef::from(&socket).set_nonblocking(true)?;
        let (socket, handler) = (Arc::new(socket), Arc::new(handler));
        let (dispatch, handle) = (Dispatch::Inline, ServerHandle::new()?);
        Ok(Server {
            socket,
            handler,
            dispatch,
            handle,
        })
    }

    /// Python's `ThreadingMixIn`: a new thread for every request.
    pub fn threading(mut self) -> Self {
        self.dispatch = Dispatch::Threads(Mutex::default());
        self
    }

    /// A pool of `workers` threads fed through a queue of `queue` places.
    pub fn pool(mut self, workers: usize, queue: usize) -> io::Result<Self> {
        self.dispatch = Dispatch::Pool(ThreadPool::new(workers, queue, &self.handle)?);
        Ok(self)
    }

    /// Where the server is bound, with the real port if it asked for port 0.
    pub fn server_address(&self) -> io::Result<SocketAddr> {
        let address = SockRef::from(&*self.socket).local_addr()?.as_socket();
        address.ok_or_else(|| io::Error::other("not an IP socket"))
    }

    /// The server's socket (Python's `server.socket`).
    pub fn socket(&self) -> &L {
        &self.socket
    }

    /// A handle to keep: to stop the server, or read its [`Stats`].
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    // ANCHOR: serve_forever
    /// Python's `serve_forever(poll_interval)`: handle requests until
    /// `shutdown()`. Each time round, wait until a request is there, or
    /// `shutdown()` rings, or `poll_interval` passes (Python's loop then
    /// runs `service_actions()`; ours has none, and waits again).
    pub fn serve_forever(&self, poll_interval: Duration) -> io::Result<()> {
        let _serving = self.handle.start_serving()?;
        loop {
            let ready = self.handle.wait(&*self.socket, Some(poll_interval))?;
            // A shutdown that rang during the wait wins over a client that
            // came at the same time (as in Python since bpo-35017).
            if self.handle.state().shutdown_request {
                return Ok(());
            }
            if ready {
                self.handle_request_noblock(poll_interval)?;
            }
        }
    }

    /// Python's `_handle_request_noblock`: take the request the wait said is
    /// there (`accept()` or `recv_from()`), and process it.
    fn handle_request_noblock(&self, back_off: Duration) -> io::Result<()> {
        let (request, client_address) = match L::get_request(&self.socket) {
            Ok(request) => request,
            Err(e) if nothing_there(&e) => return Ok(()),
            Err(e) => {
                // Such as EMFILE, too many open files. The socket stays
                // readable: pause, or the loop would spin.
                eprintln!("cannot take a request: {}", explain(&e));
                self.handle.wait(&self.handle.0.waker, Some(back_off))?;
                return Ok(());
            }
        };
        self.handle.state().stats.requests += 1;
        let server = self.handle();
        self.process_request(Request {
            request,
            client_address,
            server,
        });
        Ok(())
    }
    // ANCHOR_END: serve_forever

    /// Python's `handle_request()`: wait for one request and handle it.
    pub fn handle_request(&self) -> io::Result<()> {
        while !self.handle.wait(&*self.socket, None)? {} // a ring is not ours to act on
        self.handle_request_noblock(DEFAULT_POLL_INTERVAL)
    }

    // ANCHOR: process_request
    /// Python's `process_request`: the one place where a plain server,
    /// `ThreadingMixIn` and the pool differ.
    fn process_request(&self, req: Request<L::Request>) {
        let handler = Arc::clone(&self.handler);
        let job = move || finish_request(&*handler, req);
        match &self.dispatch {
            // The handler runs inside serve_forever: the next client waits.
            Dispatch::Inline => job(),
            // A new thread, and serve_forever goes straight back to waiting.
            Dispatch::Threads(threads) => {
                let running = self.handle.thread_started(); // counted until it ends
                match thread::Builder::new().spawn(move || job_on(running, job)) {
                    Ok(thread) => {
                        let mut threads = threads.lock().unwrap_or_else(PoisonError::into_inner);
                        // Forget finished threads, or months keep a handle per request.
                        threads.retain(|thread| !thread.is_finished());
                        threads.push(thread);
                    }
                    Err(e) => eprintln!("no thread for a request: {e}"), // the job is dropped
                }
            }
            // Wait for room in the queue; a free worker takes it from there.
            Dispatch::Pool(pool) => pool.execute(job),
        }
    }
    // ANCHOR_END: process_request

    /// Python's `shutdown()`: see [`ServerHandle::shutdown`].
    pub fn shutdown(&self) {
        self.handle.shutdown();
    }

    // ANCHOR: server_close
    /// Python's `server_close()`: close the socket, then wait for the
    /// handler threads (Python's `block_on_close`; a pool's workers finish
    /// the requests it queued). Dropping a threading server does not wait.
    pub fn server_close(self) {
        drop(self.socket);
        if let Dispatch::Threads(threads) = self.dispatch {
            let threads = threads.into_inner().unwrap_or_else(PoisonError::into_inner);
            threads.into_iter().for_each(|thread| drop(thread.join()));
        } // a pool joins its workers when it is dropped, here
    }
    // ANCHOR_END: server_close

    /// `serve_forever` on a thread while `clients` runs on this one, then `shutdown()`.
    pub fn serve_while<T>(&self, clients: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
        thread::scope(|scope| {
            let serving = scope.spawn(|| self.serve_forever(DEFAULT_POLL_INTERVAL));
            let stop = StopOnDrop(&self.handle); // even if `clients` panics
            let value = clients();
            drop(stop);
            let panicked = |_| Err(io::Error::other("it panicked"));
            serving.join().unwrap_or_else(panicked).and(value)
        })
    }
}

/// Errors that mean "no request after all": a client gave up, an ICMP error came (Windows).
pub(crate) fn nothing_there(e: &io::Error) -> bool {
    let kinds = [WouldBlock, Interrupted, ConnectionAborted, ConnectionReset];
    kinds.contains(&e.kind())
}

/// A request's thread: counted as running until its job is done.
fn job_on(_running: Running, job: impl FnOnce()) {
    job();
}

/// What a server has done so far: a snapshot from [`ServerHandle::stats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests taken from the socket: connections accepted, datagrams read.
    pub requests: usize,
    /// Requests that ended in `handle_error`.
    pub errors: usize,
    /// Threads started for requests: one per request, or the pool's workers.
    pub threads_started: usize,
    /// Of those, how many are still running.
    pub threads_running: usize,
}

/// A handle on a server (Python's `self.server`): stop it, or read its [`Stats`].
#[derive(Clone, Debug)]
pub struct ServerHandle(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when `serve_forever` returns.
    changed: Condvar,
    /// `shutdown()` rings it to end the wait: UDP on loopback, connected to itself.
    waker: UdpSocket,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    serving: Option<ThreadId>,
    shutdown_request: bool,
    pub(crate) stats: Stats,
}

impl ServerHandle {
    fn new() -> io::Result<ServerHandle> {
        let waker = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        waker.connect(waker.local_addr()?)?;
        waker.set_nonblocking(true)?;
        let (state, changed) = (Mutex::default(), Condvar::new());
        Ok(ServerHandle(Arc::new(Shared {
            state,
            changed,
            waker,
        })))
    }

    // ANCHOR: shutdown
    /// Python's `shutdown()`: stop `serve_forever` and wait until it has
    /// returned. Called from a handler on the loop's own thread, it only
    /// asks (Python's would wait for itself for ever).
    pub fn shutdown(&self) {
        let mut state = self.state();
        state.shutdown_request = true;
        let _ = self.0.waker.send(&[1]); // ring: the wait ends now
        if state.serving != Some(thread::current().id()) {
            let stopped = self.0.changed.wait_while(state, |s| s.serving.is_some());
            drop(stopped); // serve_forever has returned (or panicked)
        }
    }

    /// Wait until `socket` has a request (`true`), or the waker rings or
    /// `timeout` passes (`false`): the socket's own `wait`, a `poll` on it
    /// and the waker. A ring is used up.
    fn wait(&self, socket: &impl Listen, timeout: Option<Duration>) -> io::Result<bool> {
        let (ready, woken) = socket.wait(&self.0.waker, timeout)?;
        if woken {
            while self.0.waker.recv(&mut [0u8; 8]).is_ok() {}
        }
        Ok(ready)
    }
    // ANCHOR_END: shutdown

    /// What the server has done so far.
    pub fn stats(&self) -> Stats {
        self.state().stats
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Mark `serve_forever` as running on this thread until the guard drops.
    fn start_serving(&self) -> io::Result<Serving<'_>> {
        let mut state = self.state();
        if state.serving.is_some() {
            return Err(io::Error::other("serve_forever is already running"));
        }
        state.serving = Some(thread::current().id());
        Ok(Serving(self))
    }

    pub(crate) fn thread_started(&self) -> Running {
        let stats = &mut self.state().stats;
        stats.threads_started += 1;
        stats.threads_running += 1;
        Running(self.clone())
    }
}

/// `serve_forever` runs while it lives; dropped, it wakes `shutdown()` (Python's `finally:`).
struct Serving<'a>(&'a ServerHandle);

impl Drop for Serving<'_> {
    fn drop(&mut self) {
        let mut state = self.0.state();
        (state.serving, state.shutdown_request) = (None, false);
        self.0.0.changed.notify_all();
    }
}

struct StopOnDrop<'a>(&'a ServerHandle);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.shutdown();
    }
}

/// A thread started for requests: counted as running until dropped.
pub(crate) struct Running(ServerHandle);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.state().stats.threads_running -= 1;
    }
}

/// A timeout in whole milliseconds for `poll`, rounded up (never 0, which spins); `None`: -1.
pub(crate) fn millis(timeout: Option<Duration>) -> i32 {
    let ms = |t: Duration| i32::try_from(t.as_nanos().div_ceil(1_000_000));
    timeout.map_or(-1, |t| ms(t).unwrap_or(i32::MAX))
}
