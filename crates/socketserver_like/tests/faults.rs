//! A server keeps serving through handlers that panic or fail and clients
//! that reset or go quiet; shutdown and server_close wait for exactly what
//! they should. In-process, real sockets on 127.0.0.1 port 0.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use classroom::testing::PATIENCE as DEADLINE;
use socket2::SockRef;
use socketserver_like::{
    Concurrency, DatagramRequest, MAX_LINE, RequestError, RequestHandler, Serving, StreamOptions,
    StreamRequest, TcpServer, UdpServer, chomp, read_line,
};

/// Long on purpose: nothing here may wait for the poll interval.
const POLL: Duration = Duration::from_secs(10);
/// How long a test watches for something that must not happen yet.
const NOT_YET: Duration = Duration::from_millis(200);
/// What "promptly" means here: a correctness bound, not a benchmark.
const PROMPTLY: Duration = Duration::from_secs(2);

/// Prompts `> `, reads one line, answers it upper-cased; `panic` panics.
struct Prompted {
    timeout: Option<Duration>,
}

impl RequestHandler<StreamRequest> for Prompted {
    fn options(&self) -> StreamOptions {
        StreamOptions {
            timeout: self.timeout,
            ..StreamOptions::default()
        }
    }

    fn handle(&self, req: &mut StreamRequest) -> io::Result<()> {
        req.wfile.write_all(b"> ")?;
        let line = read_line(&mut req.rfile, MAX_LINE)?.ok_or(io::ErrorKind::UnexpectedEof)?;
        if chomp(&line) == b"panic" {
            panic!("asked to panic");
        }
        req.wfile.write_all(&line.to_ascii_uppercase())
    }
}

/// A `Prompted` server running `serve_forever`, and its reported errors.
fn prompted(
    concurrency: Concurrency,
    timeout: Option<Duration>,
) -> (Serving<TcpListener>, Receiver<RequestError>) {
    let (errors_tx, errors) = mpsc::channel();
    let server = TcpServer::builder()
        .concurrency(concurrency)
        .handle_error(move |_, error| {
            let _ = errors_tx.send(clone_error(error));
        })
        .bind(("127.0.0.1", 0), Prompted { timeout })
        .unwrap();
    (server.spawn(POLL).unwrap(), errors)
}

fn clone_error(error: &RequestError) -> RequestError {
    match error {
        RequestError::Io(e) => RequestError::Io(io::Error::new(e.kind(), e.to_string())),
        RequestError::Panic(message) => RequestError::Panic(message.clone()),
    }
}

/// Connect, wait for the prompt, send `line`, read the answer to the end.
fn ask(addr: SocketAddr, line: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut prompt = [0u8; 2];
    stream.read_exact(&mut prompt).unwrap();
    assert_eq!(&prompt, b"> ");
    stream.write_all(line.as_bytes()).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    reply
}

fn next_error(errors: &Receiver<RequestError>) -> RequestError {
    errors
        .recv_timeout(DEADLINE)
        .expect("handle_error was called")
}

#[test]
fn a_panicking_handler_is_reported_and_the_server_goes_on() {
    for concurrency in [
        Concurrency::Sequential,
        Concurrency::threading(),
        Concurrency::pool(2, 2),
    ] {
        let (serving, errors) = prompted(concurrency, None);
        let addr = *serving.server_address();
        assert_eq!(
            ask(addr, "panic\n"),
            b"",
            "{concurrency:?}: closed, no answer"
        );
        let error = next_error(&errors);
        assert!(
            matches!(&error, RequestError::Panic(m) if m == "asked to panic"),
            "{concurrency:?}: {error}"
        );
        assert_eq!(ask(addr, "hello\n"), b"HELLO\n", "{concurrency:?}");
        let server = serving.shutdown().unwrap();
        assert_eq!(server.handle().stats().errors, 1);
        assert_eq!(server.handle().stats().requests, 2);
    }
}

#[test]
fn a_client_that_resets_mid_request_is_reported_and_the_server_goes_on() {
    let (serving, errors) = prompted(Concurrency::Sequential, None);
    let addr = *serving.server_address();
    let mut rude = TcpStream::connect(addr).unwrap();
    rude.read_exact(&mut [0u8; 2]).unwrap(); // the handler is running
    rude.write_all(b"hel").unwrap(); // half a line
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(rude);
    let error = next_error(&errors);
    assert!(
        matches!(&error, RequestError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "{error}"
    );
    assert_eq!(ask(addr, "hello\n"), b"HELLO\n");
}

#[test]
fn a_client_that_never_sends_times_out_and_the_server_goes_on() {
    let timeout = Duration::from_millis(200);
    let (serving, errors) = prompted(Concurrency::Sequential, Some(timeout));
    let addr = *serving.server_address();
    let _silent = TcpStream::connect(addr).unwrap();
    // The sequential server is busy with the silent client until its
    // read times out; only then does it get to this one.
    let started = Instant::now();
    assert_eq!(ask(addr, "hello\n"), b"HELLO\n");
    let waited = started.elapsed();
    let error = next_error(&errors);
    assert!(
        matches!(&error, RequestError::Io(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)),
        "{error}"
    );
    assert!(waited >= timeout - Duration::from_millis(20), "{waited:?}");
    assert!(waited < DEADLINE, "{waited:?}");
}

#[test]
fn a_line_longer_than_the_limit_is_refused_and_the_server_goes_on() {
    let (serving, errors) = prompted(Concurrency::Sequential, None);
    let addr = *serving.server_address();
    let mut flood = TcpStream::connect(addr).unwrap();
    flood.read_exact(&mut [0u8; 2]).unwrap();
    let _ = flood.write_all(&vec![b'a'; 4 * MAX_LINE]); // no newline, ever
    let error = next_error(&errors);
    assert!(
        matches!(&error, RequestError::Io(e) if e.kind() == io::ErrorKind::InvalidData),
        "{error}"
    );
    assert_eq!(ask(addr, "hello\n"), b"HELLO\n");
}

#[test]
fn a_udp_handler_that_panics_does_not_stop_the_udp_server() {
    let (errors_tx, errors) = mpsc::channel();
    let server = UdpServer::builder()
        .handle_error(move |_, error| errors_tx.send(error.to_string()).unwrap())
        .bind(("127.0.0.1", 0), |req: &mut DatagramRequest| {
            assert_ne!(req.packet(), b"panic", "asked to panic");
            req.wfile
                .extend_from_slice(&req.packet().to_ascii_uppercase());
            Ok(())
        })
        .unwrap();
    let serving = server.spawn(POLL).unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.connect(serving.server_address()).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.send(b"panic").unwrap();
    let reported = errors.recv_timeout(DEADLINE).unwrap();
    assert!(reported.contains("asked to panic"), "{reported}");
    client.send(b"hello").unwrap();
    let mut buf = [0u8; 16];
    let n = client.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"HELLO");
    serving.shutdown().unwrap();
}

#[test]
fn verify_request_turns_clients_away_unhandled() {
    let server = TcpServer::builder()
        .verify_request(|_| false)
        .bind(("127.0.0.1", 0), Prompted { timeout: None })
        .unwrap();
    let serving = server.spawn(POLL).unwrap();
    let mut stream = TcpStream::connect(serving.server_address()).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = Vec::new();
    stream.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"", "closed before any prompt");
    let stats = serving.handle().stats();
    assert_eq!((stats.requests, stats.refused), (1, 1));
    serving.shutdown().unwrap();
}

#[test]
fn shutdown_does_not_wait_for_the_poll_interval() {
    let (serving, _errors) = prompted(Concurrency::Sequential, None);
    // Let the loop get into its wait: one request goes through.
    assert_eq!(ask(*serving.server_address(), "hi\n"), b"HI\n");
    let started = Instant::now();
    serving.shutdown().unwrap().server_close();
    let took = started.elapsed();
    assert!(
        took < PROMPTLY,
        "shutdown took {took:?} with a {POLL:?} poll interval"
    );
}

/// A handler that says when it starts and then waits to be released.
fn held(started: Sender<()>, release: Receiver<()>) -> impl RequestHandler<StreamRequest> {
    let release = Mutex::new(release);
    move |req: &mut StreamRequest| {
        let _ = started.send(());
        let _ = release.lock().unwrap().recv_timeout(DEADLINE);
        req.wfile.write_all(b"done\n")
    }
}

/// A server with a `held` handler and a client whose request is in flight.
struct InFlight {
    serving: Serving<TcpListener>,
    release: Sender<()>,
    client: TcpStream,
}

fn in_flight(concurrency: Concurrency) -> InFlight {
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let server = TcpServer::builder()
        .concurrency(concurrency)
        .bind(("127.0.0.1", 0), held(started_tx, release_rx))
        .unwrap();
    let serving = server.spawn(POLL).unwrap();
    let client = TcpStream::connect(serving.server_address()).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    started.recv_timeout(DEADLINE).expect("the handler started");
    InFlight {
        serving,
        release,
        client,
    }
}

/// Run `f` on a thread; a channel says when it returned.
fn in_background<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Receiver<T> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx
}

fn reply(mut client: TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    client.read_to_end(&mut got).unwrap();
    got
}

#[test]
fn on_a_sequential_server_shutdown_waits_for_the_request_in_flight() {
    let InFlight {
        serving,
        release,
        client,
    } = in_flight(Concurrency::Sequential);
    let asked = Instant::now();
    let stopped = in_background(move || serving.shutdown().map(drop));
    assert_eq!(
        stopped.recv_timeout(NOT_YET).unwrap_err(),
        RecvTimeoutError::Timeout,
        "shutdown returned while serve_forever was inside a handler"
    );
    let released = Instant::now();
    release.send(()).unwrap();
    stopped.recv_timeout(DEADLINE).unwrap().unwrap();
    let (after_release, total) = (released.elapsed(), asked.elapsed());
    // Within one poll interval plus the handler's time; in fact well within.
    assert!(after_release < PROMPTLY, "{after_release:?}");
    assert!(total >= NOT_YET, "{total:?}");
    assert_eq!(reply(client), b"done\n");
}

#[test]
fn on_a_threading_server_shutdown_returns_at_once_and_server_close_waits() {
    let InFlight {
        serving,
        release,
        client,
    } = in_flight(Concurrency::threading());
    let handle = serving.handle();
    let started = Instant::now();
    let server = serving.shutdown().unwrap();
    assert!(started.elapsed() < PROMPTLY, "{:?}", started.elapsed());
    assert_eq!(handle.stats().threads_running, 1, "the handler still runs");

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
fn daemon_threads_are_not_waited_for() {
    let InFlight {
        serving,
        release,
        client,
    } = in_flight(Concurrency::Threading {
        daemon_threads: true,
        block_on_close: true,
    });
    let closed = in_background(move || serving.shutdown().map(|server| server.server_close()));
    closed.recv_timeout(PROMPTLY).unwrap().unwrap();
    // The handler thread lives on after server_close, and still answers.
    release.send(()).unwrap();
    assert_eq!(reply(client), b"done\n");
}

#[test]
fn a_pool_serves_the_requests_it_queued_before_closing() {
    let (accepted_tx, accepted) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let release_rx = Mutex::new(release_rx);
    let server = TcpServer::builder()
        .concurrency(Concurrency::pool(1, 4))
        .verify_request(move |_| accepted_tx.send(()).is_ok())
        .bind(("127.0.0.1", 0), move |req: &mut StreamRequest| {
            let _ = release_rx.lock().unwrap().recv_timeout(DEADLINE);
            req.wfile.write_all(b"done\n")
        })
        .unwrap();
    let serving = server.spawn(POLL).unwrap();
    let clients: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(serving.server_address()).unwrap())
        .collect();
    for _ in &clients {
        accepted.recv_timeout(DEADLINE).expect("accepted"); // one running, two queued
    }
    let server = serving.shutdown().unwrap();
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
fn a_handler_can_stop_its_own_sequential_server_without_deadlock() {
    let server = TcpServer::bind(
        ("127.0.0.1", 0),
        |req: &mut socketserver_like::BaseRequest| {
            req.server.shutdown(); // on the serving thread: asks, does not wait
            Ok(())
        },
    )
    .unwrap();
    let addr = server.server_address().unwrap();
    let served = in_background(move || server.serve_forever(POLL));
    let _client = TcpStream::connect(addr).unwrap();
    served.recv_timeout(DEADLINE).unwrap().unwrap();
}

#[test]
fn serve_forever_runs_once_at_a_time() {
    let (ticks_tx, ticks) = mpsc::channel();
    let server = TcpServer::builder()
        .service_actions(move || {
            let _ = ticks_tx.send(());
        })
        .bind(
            ("127.0.0.1", 0),
            |_: &mut socketserver_like::BaseRequest| Ok(()),
        )
        .unwrap();
    let server = Arc::new(server);
    let handle = server.handle();
    let running = Arc::clone(&server);
    let first = in_background(move || running.serve_forever(Duration::from_millis(10)));
    ticks
        .recv_timeout(DEADLINE)
        .expect("the first loop is running");
    let second = server.serve_forever(POLL);
    assert!(second.is_err(), "a second serve_forever ran: {second:?}");
    handle.shutdown();
    first.recv_timeout(DEADLINE).unwrap().unwrap();
}

#[cfg(unix)]
#[test]
fn a_unix_stream_server_serves_as_a_tcp_one_does() {
    use std::os::unix::net::UnixStream;

    let path = std::env::temp_dir().join(format!("socketserver-like-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let server = socketserver_like::UnixStreamServer::builder()
        .concurrency(Concurrency::threading())
        .bind(&path, |req: &mut StreamRequest<UnixStream>| {
            let line = read_line(&mut req.rfile, MAX_LINE)?.unwrap_or_default();
            req.wfile.write_all(&line.to_ascii_uppercase())
        })
        .unwrap();
    let serving = server.spawn(POLL).unwrap();
    let mut client = UnixStream::connect(&path).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.write_all(b"over a path\n").unwrap();
    let mut reply = String::new();
    client.read_to_string(&mut reply).unwrap();
    assert_eq!(reply, "OVER A PATH\n");
    serving.shutdown().unwrap().server_close();
    std::fs::remove_file(&path).unwrap();
}
