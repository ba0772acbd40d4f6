//! Stream requests: Python's `StreamRequestHandler`, with a buffered reader
//! (`rfile`) and writer (`wfile`) on the connection.

use std::fmt;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use crate::handler::Request;
use crate::server::ServerHandle;

/// A connected stream socket a server can hand to a handler: a
/// [`TcpStream`], or a `UnixStream` on Unix.
///
/// The methods take `&self`: the kernel lets several readers and writers
/// use one socket, which is how [`StreamRequest`]'s `rfile` and `wfile`
/// share the connection without duplicating its file descriptor.
///
/// ```
/// use std::net::{TcpListener, TcpStream};
/// use socketserver_like::Stream;
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let client = TcpStream::connect(listener.local_addr()?)?;
/// let (conn, _) = listener.accept()?;
/// Stream::write_shared(&client, b"hi")?;
/// let mut buf = [0u8; 2];
/// assert_eq!(conn.read_shared(&mut buf)?, 2);
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait Stream: Send + Sync + Sized + 'static {
    /// The peer's address type.
    type Addr: Clone + fmt::Debug + Send + Sync + 'static;

    /// `read` through a shared reference.
    fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize>;
    /// `write` through a shared reference.
    fn write_shared(&self, buf: &[u8]) -> io::Result<usize>;
    /// Python's `settimeout`: a limit on each blocking read and write.
    fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
    /// TCP_NODELAY: send small writes at once instead of letting Nagle's
    /// algorithm gather them (lesson 04). Nothing to do for Unix sockets.
    fn set_nodelay(&self, nodelay: bool) -> io::Result<()>;
    /// Close the sending direction: the peer reads end of stream.
    fn shutdown_write(&self) -> io::Result<()>;
}

impl Stream for TcpStream {
    type Addr = SocketAddr;

    fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
    fn write_shared(&self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }
    fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.set_read_timeout(timeout)?;
        self.set_write_timeout(timeout)
    }
    fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        TcpStream::set_nodelay(self, nodelay)
    }
    fn shutdown_write(&self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

#[cfg(unix)]
impl Stream for std::os::unix::net::UnixStream {
    type Addr = std::os::unix::net::SocketAddr;

    fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
    fn write_shared(&self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }
    fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.set_read_timeout(timeout)?;
        self.set_write_timeout(timeout)
    }
    fn set_nodelay(&self, _nodelay: bool) -> io::Result<()> {
        Ok(()) // no Nagle on a local socket
    }
    fn shutdown_write(&self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

/// One direction of a shared connection, for `rfile` and `wfile` to wrap:
/// Python's `SocketIO`, which `makefile` puts under its buffers.
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::{TcpListener, TcpStream};
/// use std::sync::Arc;
/// use socketserver_like::SocketIo;
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let client = Arc::new(TcpStream::connect(listener.local_addr()?)?);
/// let (mut conn, _) = listener.accept()?;
/// SocketIo::new(Arc::clone(&client)).write_all(b"hi")?;
/// let mut buf = [0u8; 2];
/// conn.read_exact(&mut buf)?;
/// assert_eq!(&buf, b"hi");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct SocketIo<S>(Arc<S>);

impl<S: Stream> SocketIo<S> {
    /// Read and write through `stream`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use socketserver_like::SocketIo;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = Arc::new(std::net::TcpStream::connect(listener.local_addr()?)?);
    /// let (reader, writer) = (SocketIo::new(Arc::clone(&stream)), SocketIo::new(stream));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(stream: Arc<S>) -> Self {
        SocketIo(stream)
    }
}

impl<S: Stream> Read for SocketIo<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read_shared(buf)
    }
}

impl<S: Stream> Write for SocketIo<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write_shared(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(()) // a socket has no user-space buffer to flush
    }
}

/// A stream handler's settings: the class attributes of Python's
/// `StreamRequestHandler`.
///
/// ```
/// use std::time::Duration;
/// use socketserver_like::StreamOptions;
///
/// let patient = StreamOptions {
///     timeout: Some(Duration::from_secs(30)),
///     ..StreamOptions::default()
/// };
/// assert_eq!(patient.rbufsize, 8192);
/// assert_eq!(patient.wbufsize, 0);
/// ```
// ANCHOR: stream_options
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamOptions {
    /// `rfile`'s buffer, in bytes. Python's default, -1, means
    /// `io.DEFAULT_BUFFER_SIZE`: 8192. 0 reads straight from the socket.
    pub rbufsize: usize,
    /// `wfile`'s buffer. The default, 0, sends every write at once (as
    /// Python's `_SocketWriter` does); anything else holds bytes until the
    /// buffer fills or the request ends.
    pub wbufsize: usize,
    /// A limit on every blocking read and write of the connection, so a
    /// client that goes quiet cannot hold a handler for ever. `None`: no
    /// limit (Python's default).
    pub timeout: Option<Duration>,
    /// Set TCP_NODELAY: small replies leave at once (lesson 04, Nagle).
    pub disable_nagle_algorithm: bool,
}
// ANCHOR_END: stream_options

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            rbufsize: 8192,
            wbufsize: 0,
            timeout: None,
            disable_nagle_algorithm: false,
        }
    }
}

/// A stream request with buffered I/O: Python's `StreamRequestHandler`.
///
/// `rfile` is a [`BufReader`], so `read_line` and `lines` work as Python's
/// `self.rfile.readline()` does; `wfile` is a [`BufWriter`], flushed when
/// the request ends. Both share one connection.
///
/// ```
/// use std::io::{BufRead, BufReader, Write};
/// use std::net::TcpStream;
/// use socketserver_like::{StreamRequest, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), |req: &mut StreamRequest| {
///     let mut line = String::new();
///     req.rfile.read_line(&mut line)?;
///     write!(req.wfile, "hello, {line}")
/// })?;
/// let mut client = TcpStream::connect(server.server_address()?)?;
/// client.write_all(b"Ada\n")?;
/// server.handle_request()?;
/// let mut reply = String::new();
/// BufReader::new(client).read_line(&mut reply)?;
/// assert_eq!(reply, "hello, Ada\n");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamRequest<S: Stream = TcpStream> {
    /// Buffered reads from the client (Python's `self.rfile`).
    pub rfile: BufReader<SocketIo<S>>,
    /// Buffered writes to the client (Python's `self.wfile`).
    pub wfile: BufWriter<SocketIo<S>>,
    /// Who is on the other end (Python's `self.client_address`).
    pub client_address: S::Addr,
    /// The server this request came to (Python's `self.server`).
    pub server: ServerHandle,
    connection: Arc<S>,
}

impl<S: Stream> StreamRequest<S> {
    /// The connection itself (Python's `self.connection`), for what the
    /// buffers do not offer: its addresses, its options. Reading from it
    /// directly skips whatever `rfile` has buffered already.
    ///
    /// ```
    /// use std::net::TcpStream;
    /// use socketserver_like::{StreamRequest, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |req: &mut StreamRequest| {
    ///     assert_eq!(req.connection().peer_addr()?, req.client_address);
    ///     Ok(())
    /// })?;
    /// let _client = TcpStream::connect(server.server_address()?)?;
    /// server.handle_request()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn connection(&self) -> &S {
        &self.connection
    }
}

impl<S: Stream> Request for StreamRequest<S> {
    type Conn = S;
    type Addr = S::Addr;
    type Options = StreamOptions;

    fn open(
        conn: S,
        client_address: S::Addr,
        server: ServerHandle,
        options: &StreamOptions,
    ) -> io::Result<Self> {
        if options.timeout.is_some() {
            conn.set_timeout(options.timeout)?;
        }
        if options.disable_nagle_algorithm {
            conn.set_nodelay(true)?;
        }
        let connection = Arc::new(conn);
        Ok(StreamRequest {
            rfile: BufReader::with_capacity(
                options.rbufsize,
                SocketIo::new(Arc::clone(&connection)),
            ),
            wfile: BufWriter::with_capacity(
                options.wbufsize,
                SocketIo::new(Arc::clone(&connection)),
            ),
            client_address,
            server,
            connection,
        })
    }

    fn close(self) -> io::Result<()> {
        let StreamRequest {
            mut wfile,
            connection,
            ..
        } = self;
        // Unlike Python, which drops a failed final flush silently, report
        // it: those were bytes the client never got. They are thrown away
        // here rather than tried again when the writer is dropped.
        let flushed = wfile.flush();
        drop(wfile.into_parts());
        // Python's `shutdown_request`: FIN, then close (when `connection`
        // and the two buffers' handles are dropped, just after this).
        let _ = connection.shutdown_write();
        flushed
    }
}
