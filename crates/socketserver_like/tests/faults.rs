//! A server keeps serving through handlers that panic or fail and clients
//! that reset or go quiet; shutdown and server_close wait for exactly what
//! they should. In-process, real sockets on 127.0.0.1 port 0.

use std::io::{self, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use classroom::testing::PATIENCE as DEADLINE;
use socket2::SockRef;
use socketserver_like::{
    BaseRequestHandler, Datagram, MAX_LINE, Request, Server, TcpServer, UdpServer, chomp,
    read_line, server_bind,
};

/// Long on purpose: nothing here may wait for the poll interval.
const POLL: Duration = Duration::from_secs(10);
/// How long a test watches for something that must not happen yet.
const NOT_YET: Duration = Duration::from_millis(200);
/// What "promptly" means here: a correctness bound, not a benchmark.
const PROMPTLY: Duration = Duration::from_secs(2);

fn any_port() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Prompts `> `, reads one line, answers it upper-cased; `panic` panics.
/// Errors are sent to the test.
struct Prompted {
    timeout: Option<Duration>,
    errors: Mutex<Sender<io::Error>>,
}

impl BaseRequestHandler<TcpStream> for Prompted {
    fn setup(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        req.request.set_read_timeout(self.timeout)
    }

    fn handle(&self, req: &mut Request<TcpStream>) -> io::Result<()> {
        (&req.request).write_all(b"> ")?;
        let line = read_line(&mut BufReader::new(&req.request), MAX_LINE)?;
        let line = line.ok_or(io::ErrorKind::UnexpectedEof)?;
        if chomp(&line) == b"panic" {
            panic!("asked to panic");
        }
        (&req.request).write_all(&line.to_ascii_uppercase())
    }

    fn handle_error(&self, _: SocketAddr, error: &io::Error) {
        let copy = io::Error::new(error.kind(), error.to_string());
        let _ = self.errors.lock().unwrap().send(copy);
    }
}

/// A `Prompted` server, and the errors it reports.
fn prompted(timeout: Option<Duration>) -> (TcpServer, Receiver<io::Error>) {
    let (errors, reported) = mpsc::channel();
    let handler = Prompted {
        timeout,
        errors: Mutex::new(errors),
    };
    (TcpServer::bind(any_port(), handler).unwrap(), reported)
}

/// Connect, wait for the prompt, send `line`, read the answer to the end.
fn ask(addr: SocketAddr, line: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut prompt = [0u8; 2];
    stream.read_exact(&mut prompt).unwrap();
    assert_eq!(&prompt, b"> ");
    stream.write_all(line.as_bytes()).unwrap();
    reply(stream)
}

fn reply(mut client: TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    client.read_to_end(&mut got).unwrap();
    got
}

fn next_error(errors: &Receiver<io::Error>) -> io::Error {
    errors
        .recv_timeout(DEADLINE)
        .expect("handle_error was called")
}

#[test]
fn a_panicking_handler_is_reported_and_the_server_goes_on() {
    type Dispatch = fn(TcpServer) -> TcpServer;
    let sequential: Dispatch = |server| server;
    let threading: Dispatch = TcpServer::threading;
    // A pool of one: the only worker must survive the panic.
    let pool: Dispatch = |server| server.pool(1, 1).unwrap();
    for (name, dispatch) in [
        ("sequential", sequential),
        ("threading", threading),
        ("pool", pool),
    ] {
        let (server, errors) = prompted(None);
        let server = dispatch(server);
        let addr = server.server_address().unwrap();
        server
            .serve_while(|| {
                assert_eq!(ask(addr, "panic\n"), b"", "{name}: closed, no answer");
                let error = next_error(&errors).to_string();
                assert_eq!(error, "the handler panicked: asked to panic", "{name}");
                assert_eq!(ask(addr, "hello\n"), b"HELLO\n", "{name}");
                Ok(())
            })
            .unwrap();
        let stats = server.handle().stats();
        assert_eq!((stats.requests, stats.errors), (2, 1), "{name}");
    }
}

#[test]
fn a_client_that_resets_mid_request_is_reported_and_the_server_goes_on() {
    let (server, errors) = prompted(None);
    let addr = server.server_address().unwrap();
    server
        .serve_while(|| {
            let mut rude = TcpStream::connect(addr)?;
            rude.read_exact(&mut [0u8; 2])?; // the handler is running
            rude.write_all(b"hel")?; // half a line
            // SO_LINGER with a zero timeout makes close() send RST, not FIN.
            SockRef::from(&rude).set_linger(Some(Duration::ZERO))?;
            drop(rude);
            let error = next_error(&errors);
            assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
            assert_eq!(ask(addr, "hello\n"), b"HELLO\n");
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_client_that_never_sends_times_out_and_the_server_goes_on() {
    let timeout = Duration::from_millis(200);
    let (server, errors) = prompted(Some(timeout));
    let addr = server.server_address().unwrap();
    server
        .serve_while(|| {
            let _silent = TcpStream::connect(addr)?;
            // The sequential server is busy with the silent client until its
            // read times out; only then does it get to this one.
            let started = Instant::now();
            assert_eq!(ask(addr, "hello\n"), b"HELLO\n");
            let waited = started.elapsed();
            let error = next_error(&errors);
            assert!(classroom::tcp::is_timeout(&error), "{error}");
            assert!(waited >= timeout - Duration::from_millis(20), "{waited:?}");
            assert!(waited < DEADLINE, "{waited:?}");
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_line_longer_than_the_limit_is_refused_and_the_server_goes_on() {
    let (server, errors) = prompted(None);
    let addr = server.server_address().unwrap();
    server
        .serve_while(|| {
            let mut flood = TcpStream::connect(addr)?;
            flood.read_exact(&mut [0u8; 2])?;
            let _ = flood.write_all(&vec![b'a'; 4 * MAX_LINE]); // no newline, ever
            let error = next_error(&errors);
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{error}");
            assert_eq!(ask(addr, "hello\n"), b"HELLO\n");
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_udp_handler_that_panics_does_not_stop_the_udp_server() {
    let server = UdpServer::bind(any_port(), |req: &mut Request<Datagram>| {
        let (data, socket) = &req.request;
        assert_ne!(data, b"panic", "asked to panic");
        socket.send_to(&data.to_ascii_uppercase(), req.client_address)?;
        Ok(())
    })
    .unwrap();
    let addr = server.server_address().unwrap();
    server
        .serve_while(|| {
            let client = UdpSocket::bind("127.0.0.1:0")?;
            client.connect(addr)?;
            client.set_read_timeout(Some(DEADLINE))?;
            client.send(b"panic")?;
            client.send(b"hello")?;
            let mut buf = [0u8; 16];
            let n = client.recv(&mut buf)?;
            assert_eq!(&buf[..n], b"HELLO");
            Ok(())
        })
        .unwrap();
    let stats = server.handle().stats();
    assert_eq!((stats.requests, stats.errors), (2, 1));
}

#[test]
fn shutdown_does_not_wait_for_the_poll_interval() {
    let (server, _errors) = prompted(None);
    let addr = server.server_address().unwrap();
    thread::scope(|s| {
        let serving = s.spawn(|| server.serve_forever(POLL));
        // Let the loop get into its wait: one request goes through.
        assert_eq!(ask(addr, "hi\n"), b"HI\n");
        let started = Instant::now();
        server.shutdown();
        let took = started.elapsed();
        assert!(
            took < PROMPTLY,
            "shutdown took {took:?} with a {POLL:?} poll interval"
        );
        serving.join().unwrap().unwrap();
    });
}

/// A handler that says when it starts, then waits to be released; a
/// channel to release it.
fn held() -> (impl BaseRequestHandler<TcpStream>, Receiver<()>, Sender<()>) {
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let (started_tx, release_rx) = (Mutex::new(started_tx), Mutex::new(release_rx));
    let handler = move |req: &mut Request<TcpStream>| {
        let _ = started_tx.lock().unwrap().send(());
        let _ = release_rx.lock().unwrap().recv_timeout(DEADLINE);
        (&req.request).write_all(b"done\n")
    };
    (handler, started, release)
}

/// Run `f` on a thread; a channel says when it returned.
fn in_background<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Receiver<T> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx
}

/// Wait (bounded) until `done` is true, without sleeping.
fn eventually(what: &str, done: impl Fn() -> bool) {
    let give_up = Instant::now() + DEADLINE;
    while !done() {
        assert!(Instant::now() < give_up, "never: {what}");
        thread::yield_now();
    }
}

#[test]
fn on_a_sequential_server_shutdown_waits_for_the_request_in_flight() {
    let (handler, started, release) = held();
    let server = TcpServer::bind(any_port(), handler).unwrap();
    let client = TcpStream::connect(server.server_address().unwrap()).unwrap();
    thread::scope(|s| {
        let serving = s.spawn(|| server.serve_forever(POLL));
        started.recv_timeout(DEADLINE).expect("the handler started");
        let (stopped_tx, stopped) = mpsc::channel();
        let server = &server;
        s.spawn(move || {
            server.shutdown();
            stopped_tx.send(()).unwrap();
        });
        assert_eq!(
            stopped.recv_timeout(NOT_YET).unwrap_err(),
            RecvTimeoutError::Timeout,
            "shutdown returned while serve_forever was inside a handler"
        );
        let released = Instant::now();
        release.send(()).unwrap();
        stopped.recv_timeout(DEADLINE).unwrap();
        assert!(released.elapsed() < PROMPTLY, "{:?}", released.elapsed());
        serving.join().unwrap().unwrap();
    });
    assert_eq!(reply(client), b"done\n");
}

/// A threading server with a request in flight, after `shutdown()`
/// returned (at once); the client, and the handler's release.
fn threading_in_flight() -> (TcpServer, TcpStream, Sender<()>) {
    let (handler, started, release) = held();
    let server = TcpServer::bind(any_port(), handler).unwrap().threading();
    let client = TcpStream::connect(server.server_address().unwrap()).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let took = server
        .serve_while(|| {
            started.recv_timeout(DEADLINE).expect("the handler started");
            let asked = Instant::now();
            server.shutdown();
            Ok(asked.elapsed())
        })
        .unwrap();
    assert!(took < PROMPTLY, "{took:?}");
    assert_eq!(
        server.handle().stats().threads_running,
        1,
        "the handler still runs"
    );
    (server, client, release)
}

#[test]
fn on_a_threading_server_shutdown_returns_at_once_and_server_close_waits() {
    let (server, client, release) = threading_in_flight();
    let handle = server.handle();
    let closed = in_background(move || server.server_close());
    assert_eq!(
        closed.recv_timeout(NOT_YET).unwrap_err(),
        RecvTimeoutError::Timeout,
        "server_close returned while a handler thread was running (block_on_close)"
    );
    release.send(()).unwrap();
    closed.recv_timeout(DEADLINE).unwrap();
    assert_eq!(handle.stats().threads_running, 0);
    assert_eq!(reply(client), b"done\n");
}

#[test]
fn dropping_a_server_instead_of_closing_it_does_not_wait_for_handlers() {
    let (server, client, release) = threading_in_flight();
    in_background(move || drop(server))
        .recv_timeout(PROMPTLY)
        .unwrap();
    // The handler thread lives on, and still answers.
    release.send(()).unwrap();
    assert_eq!(reply(client), b"done\n");
}

#[test]
fn a_pool_serves_the_requests_it_queued_before_closing() {
    let (handler, _started, release) = held();
    let server = TcpServer::bind(any_port(), handler)
        .unwrap()
        .pool(1, 4)
        .unwrap();
    let addr = server.server_address().unwrap();
    let handle = server.handle();
    let clients = server
        .serve_while(|| {
            let clients: Vec<_> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
            // One running, two queued.
            eventually("3 requests accepted", || handle.stats().requests == 3);
            Ok(clients)
        })
        .unwrap();
    let closed = in_background(move || server.server_close());
    for _ in &clients {
        release.send(()).unwrap();
    }
    closed.recv_timeout(DEADLINE).unwrap();
    for client in clients {
        client.set_read_timeout(Some(DEADLINE)).unwrap();
        assert_eq!(reply(client), b"done\n");
    }
}

#[test]
fn a_pool_never_runs_more_handlers_at_once_than_it_has_workers() {
    let (busy, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (busy_in, most_in) = (Arc::clone(&busy), Arc::clone(&most));
    let handler = move |req: &mut Request<TcpStream>| {
        let now = busy_in.fetch_add(1, Ordering::SeqCst) + 1;
        most_in.fetch_max(now, Ordering::SeqCst);
        let echoed = (&req.request).write_all(b"ok");
        busy_in.fetch_sub(1, Ordering::SeqCst);
        echoed
    };
    // A backlog for 50 clients: with Python's 5, connects would be retried.
    let listener = server_bind(any_port(), 64).unwrap();
    let server = Server::new(listener, handler).unwrap().pool(3, 2).unwrap();
    let addr = server.server_address().unwrap();
    server
        .serve_while(|| {
            let clients: Vec<_> = (0..50).map(|_| TcpStream::connect(addr).unwrap()).collect();
            clients
                .into_iter()
                .for_each(|client| assert_eq!(reply(client), b"ok"));
            Ok(())
        })
        .unwrap();
    let stats = server.handle().stats();
    assert_eq!((stats.requests, stats.threads_started), (50, 3));
    assert!(most.load(Ordering::SeqCst) <= 3);
    server.server_close();
    assert_eq!(busy.load(Ordering::SeqCst), 0);
}

#[test]
fn a_handler_can_stop_its_own_sequential_server_without_deadlock() {
    let server = TcpServer::bind(any_port(), |req: &mut Request<TcpStream>| {
        req.server.shutdown(); // on the serving thread: asks, does not wait
        Ok(())
    })
    .unwrap();
    let _client = TcpStream::connect(server.server_address().unwrap()).unwrap();
    let served = in_background(move || server.serve_forever(POLL));
    served.recv_timeout(DEADLINE).unwrap().unwrap();
}

#[test]
fn serve_forever_runs_once_at_a_time() {
    let (server, _errors) = prompted(None);
    let addr = server.server_address().unwrap();
    server
        .serve_while(|| {
            assert_eq!(ask(addr, "hi\n"), b"HI\n"); // the first loop is running
            let second = server.serve_forever(POLL);
            assert!(second.is_err(), "a second serve_forever ran: {second:?}");
            Ok(())
        })
        .unwrap();
}

#[test]
fn tcp_server_bind_sets_reuse_address_and_names_a_busy_address() {
    let handler = |_: &mut Request<TcpStream>| Ok(());
    let first = TcpServer::bind(any_port(), handler).unwrap();
    assert!(SockRef::from(first.socket()).reuse_address().unwrap());
    let addr = first.server_address().unwrap();
    let err = TcpServer::bind(addr, handler).map(drop).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    let text = classroom::errors::explain(&err);
    assert!(text.starts_with(&format!("binding TCP {addr}: ")), "{text}");
    assert!(text.contains("`--port 0`"), "{text}");
    let on_its_own = Server::new(first.socket().try_clone().unwrap(), handler);
    assert!(on_its_own.is_ok(), "a listener bound its own way");
}

#[test]
fn udp_server_bind_names_a_busy_address_without_blaming_time_wait() {
    let handler = |_: &mut Request<Datagram>| Ok(());
    let first = UdpServer::bind(any_port(), handler).unwrap();
    let addr = first.server_address().unwrap();
    let err = UdpServer::bind(addr, handler).map(drop).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    let text = classroom::errors::explain(&err);
    assert!(text.starts_with(&format!("binding UDP {addr}: ")), "{text}");
    assert!(text.contains("`--port 0`"), "{text}");
    assert!(!text.contains("TIME_WAIT"), "UDP has no TIME_WAIT: {text}");
}

/// Connections the kernel completes while nobody calls `accept` wait in
/// the listen backlog; past it, a client's handshake is not answered.
#[test]
fn the_threading_server_takes_a_burst_of_clients_into_its_backlog() {
    let server = socketserver_like::welcome::server(any_port()).unwrap();
    let addr = server.server_address().unwrap();
    // Not serving: every connection must fit in the backlog. With Python's
    // 5, the 7th connect would wait for a retried handshake.
    let burst: Vec<_> = (0..64)
        .map(|n| {
            TcpStream::connect_timeout(&addr, PROMPTLY).map_err(|e| format!("client {n}: {e}"))
        })
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(burst.len(), 64);
}
