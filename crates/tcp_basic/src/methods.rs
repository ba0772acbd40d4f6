//! `methods`: a tour of the socket methods the documents list (000 §socket
//! 的更多方法, 001 §socket方法), each called for real, with its Python name.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::{Side, narrate};
use socket2::SockRef;

// ANCHOR: connect_ex
/// Python's `connect_ex`: connect, and return 0 or the OS error number
/// instead of raising. In Rust the error number rides inside `io::Error`.
pub fn connect_ex(addr: SocketAddr) -> i32 {
    match TcpStream::connect(addr) {
        Ok(_) => 0,
        Err(e) => e.raw_os_error().unwrap_or(-1),
    }
}
// ANCHOR_END: connect_ex

/// An address on loopback where nothing listens: bind a port, then let it go.
fn closed_port() -> io::Result<SocketAddr> {
    TcpListener::bind(classroom::cli::ephemeral())?.local_addr()
}

/// The whole tour, in one process.
pub fn demo() -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let server = Side::server();
    let client = Side::client();
    server.say(format!("listening on {addr}"));
    // connect() returns once the kernel has finished the handshake; the
    // connection waits in the listen queue until accept() takes it.
    let stream = TcpStream::connect(addr)?;
    let (mut conn, _) = listener.accept()?;

    narrate("getsockname / getpeername: the two ends of the connection");
    client.say(format!(
        "local_addr() = {}  (getsockname)",
        stream.local_addr()?
    ));
    client.say(format!(
        "peer_addr()  = {}  (getpeername)",
        stream.peer_addr()?
    ));

    narrate("connect_ex: an error number instead of an exception");
    let closed = closed_port()?;
    let code = connect_ex(closed);
    client.say(format!(
        "connect_ex({closed}) = {code}  ({})",
        io::Error::from_raw_os_error(code)
    ));
    narrate(
        "111 is ECONNREFUSED on Linux (61 on macOS); the document's 10061 is the Windows number",
    );

    narrate("settimeout / gettimeout: how long a read may block");
    timeout_tour(&stream, &client)?;

    narrate("fileno: a socket is a file descriptor, like an open file");
    descriptor_tour(&stream, &client)?;

    narrate("makefile: read a socket line by line through a buffered reader");
    conn.write_all(b"line one\nline two\n")?;
    // ANCHOR: makefile
    let mut reader = BufReader::new(&stream); // Python: sock.makefile("r")
    for _ in 0..2 {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        client.say(format!("read_line() = {line:?}"));
    }
    // ANCHOR_END: makefile

    narrate("getsockopt / setsockopt: SO_RCVBUF, the receive buffer's size");
    let sock = SockRef::from(&stream);
    sock.set_recv_buffer_size(64 * 1024)?;
    client.say(format!(
        "set_recv_buffer_size(65536), then recv_buffer_size() = {}",
        sock.recv_buffer_size()?
    ));
    if cfg!(target_os = "linux") {
        narrate("Linux doubles the size you ask for, keeping half for its own bookkeeping");
    }

    narrate("AF_UNIX: the same conversation over a socket file instead of IP and port");
    unix_tour()
}

fn timeout_tour(stream: &TcpStream, client: &Side) -> io::Result<()> {
    client.say(format!(
        "read_timeout() = {:?}  (gettimeout() is None: wait for ever)",
        stream.read_timeout()?
    ));
    let limit = Duration::from_millis(200);
    stream.set_read_timeout(Some(limit))?;
    client.say(format!(
        "set_read_timeout(Some({limit:?}))  (settimeout(0.2))"
    ));
    let started = Instant::now();
    let mut buf = [0u8; 16];
    match (&*stream).read(&mut buf) {
        Ok(n) => client.say(format!("read returned {n} bytes")),
        Err(e) => client.say(format!(
            "read with nothing to read gave up after {:.1?}: {e}",
            started.elapsed()
        )),
    }
    stream.set_read_timeout(None)
}

#[cfg(unix)]
fn descriptor_tour(stream: &TcpStream, client: &Side) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(std::env::current_exe()?)?;
    client.say(format!("as_raw_fd() = {}  (fileno)", stream.as_raw_fd()));
    client.say(format!(
        "a file opened next got descriptor {}: files and sockets share one table",
        file.as_raw_fd()
    ));
    Ok(())
}

#[cfg(windows)]
fn descriptor_tour(stream: &TcpStream, client: &Side) -> io::Result<()> {
    use std::os::windows::io::AsRawSocket;
    client.say(format!(
        "as_raw_socket() = {}  (fileno)",
        stream.as_raw_socket()
    ));
    client.say("on Windows a socket is a SOCKET handle, kept apart from file handles");
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn descriptor_tour(_stream: &TcpStream, client: &Side) -> io::Result<()> {
    client.say("this platform exposes no raw descriptor");
    Ok(())
}

#[cfg(unix)]
fn unix_tour() -> io::Result<()> {
    use std::os::unix::net::{UnixListener, UnixStream};
    let mut server = Side::server();
    let mut client = Side::client();
    let dir = std::env::temp_dir().join(format!("tcp_basic-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("hello.sock");
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    server.say("listening on a socket file in the temporary folder (AF_UNIX, SOCK_STREAM)");
    let mut stream = UnixStream::connect(&path)?;
    let (mut conn, _) = listener.accept()?;
    client.sent(b"hello!");
    stream.write_all(b"hello!")?;
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;
    server.received(&buf[..n]);
    server.sent(b"hi");
    conn.write_all(b"hi")?;
    let n = stream.read(&mut buf)?;
    client.received(&buf[..n]);
    drop((stream, conn, listener));
    std::fs::remove_dir_all(&dir)?;
    narrate("only the address changed: a path instead of (IP, port); send and recv are the same");
    Ok(())
}

#[cfg(not(unix))]
fn unix_tour() -> io::Result<()> {
    Side::client().say("AF_UNIX: this part needs a Unix-like system (Linux, macOS)");
    Ok(())
}
