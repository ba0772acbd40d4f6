//! `methods`: a tour of the socket methods the documents list (000 §socket
//! 的更多方法, 001 §socket方法), each called for real, with its Python name.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::tcp::closed_port;
use classroom::{Side, Traced, narrate};
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

/// The whole tour, in one process.
pub fn demo() -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    Side::server().say(format!("listening on {addr}"));
    // connect() returns once the kernel has finished the handshake; the
    // connection waits in the listen queue until accept() takes it, so one
    // thread can do both.
    let mut stream = Traced::client(TcpStream::connect(addr)?);
    let mut conn = Traced::server(listener.accept()?.0);

    narrate("getsockname / getpeername: the two ends of the connection");
    let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
    stream.say(format!("local_addr() = {local}  (getsockname)"));
    stream.say(format!("peer_addr()  = {peer}  (getpeername)"));

    narrate("connect_ex: an error number instead of an exception");
    let closed = closed_port()?;
    let code = connect_ex(closed);
    let error = io::Error::from_raw_os_error(code);
    stream.say(format!("connect_ex({closed}) = {code}  ({error})"));
    narrate("111 is ECONNREFUSED on Linux (61 on macOS); the document's 10061 is Windows' number");

    narrate("settimeout / gettimeout: how long a read may block");
    let timeout = stream.read_timeout()?;
    stream.say(format!(
        "read_timeout() = {timeout:?}  (gettimeout() is None: wait for ever)"
    ));
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    stream.say("set_read_timeout(Some(200ms))  (settimeout(0.2))");
    let started = Instant::now();
    if let Err(e) = stream.read(&mut [0u8; 16]) {
        let waited = started.elapsed();
        stream.say(format!(
            "read with nothing to read gave up after {waited:.1?}: {e}"
        ));
    }
    stream.set_read_timeout(None)?;

    narrate("fileno: a socket is a file descriptor, like an open file");
    os::descriptor_tour(&stream)?;

    narrate("makefile: read a socket line by line through a buffered reader");
    conn.write_all(b"line one\nline two\n")?;
    // ANCHOR: makefile
    let mut reader = BufReader::new(&mut stream); // Python: sock.makefile("r")
    for _ in 0..2 {
        let mut line = String::new();
        reader.read_line(&mut line)?; // the first call reads; the second finds its line in the buffer
        reader.get_ref().say(format!("read_line() = {line:?}"));
    }
    // ANCHOR_END: makefile

    narrate("getsockopt / setsockopt: SO_RCVBUF, the receive buffer's size");
    let sock = SockRef::from(&*stream);
    sock.set_recv_buffer_size(64 * 1024)?;
    stream.say(format!(
        "set_recv_buffer_size(65536), then recv_buffer_size() = {}",
        sock.recv_buffer_size()?
    ));
    if let Some(note) = os::RCVBUF_NOTE {
        narrate(note);
    }

    narrate("AF_UNIX: the same conversation over a socket file instead of IP and port");
    os::unix_tour()
}

/// What differs between Unix-like systems and Windows.
#[cfg(unix)]
mod os {
    use std::io::{self, Read, Write};
    use std::net::TcpStream;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::{UnixListener, UnixStream};

    use classroom::files::ScratchDir;
    use classroom::tcp::RECV_SIZE;
    use classroom::{Side, Traced, narrate};

    /// What the kernel does with the receive buffer size asked for.
    pub const RCVBUF_NOTE: Option<&str> = if cfg!(target_os = "linux") {
        Some("Linux doubles the size you ask for, keeping half for its own bookkeeping")
    } else {
        None
    };

    pub fn descriptor_tour(stream: &Traced<TcpStream>) -> io::Result<()> {
        let file = std::fs::File::open(std::env::current_exe()?)?;
        stream.say(format!("as_raw_fd() = {}  (fileno)", stream.as_raw_fd()));
        stream.say(format!(
            "a file opened next got descriptor {}: files and sockets share one table",
            file.as_raw_fd()
        ));
        Ok(())
    }

    pub fn unix_tour() -> io::Result<()> {
        let dir = ScratchDir::new("tcp_basic")?;
        let path = dir.path().join("hello.sock");
        let listener = UnixListener::bind(&path)?;
        Side::server().say("listening on a socket file, not a port (AF_UNIX, SOCK_STREAM)");
        let mut stream = Traced::client(UnixStream::connect(&path)?);
        let mut conn = Traced::server(listener.accept()?.0);
        let mut buf = [0u8; RECV_SIZE];
        stream.write_all(b"hello!")?;
        let _hello = conn.read(&mut buf)?;
        conn.write_all(b"hi")?;
        let _hi = stream.read(&mut buf)?;
        let size = std::fs::metadata(&path)?.len(); // the file is only the socket's name
        let lane = Side::server();
        lane.say(format!(
            "hello.sock holds {size} bytes: the bytes passed through the kernel"
        ));
        narrate("only the address changed: a path, not (IP, port); send and recv are the same");
        Ok(())
    }
}

/// What differs between Unix-like systems and Windows.
#[cfg(windows)]
mod os {
    use std::io;
    use std::net::TcpStream;
    use std::os::windows::io::AsRawSocket;

    use classroom::{Side, Traced};

    /// What the kernel does with the receive buffer size asked for.
    pub const RCVBUF_NOTE: Option<&str> = None;

    pub fn descriptor_tour(stream: &Traced<TcpStream>) -> io::Result<()> {
        stream.say(format!(
            "as_raw_socket() = {}  (fileno)",
            stream.as_raw_socket()
        ));
        stream.say("on Windows a socket is a SOCKET handle, kept apart from file handles");
        Ok(())
    }

    pub fn unix_tour() -> io::Result<()> {
        Side::client().say("AF_UNIX: this part needs a Unix-like system (Linux, macOS)");
        Ok(())
    }
}
