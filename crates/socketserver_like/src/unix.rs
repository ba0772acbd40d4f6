//! `UnixStreamServer` and `UnixDatagramServer`: the same servers on
//! `AF_UNIX` sockets, whose address is a path in the file system (lesson
//! 01, the socket families). Unix only.
//!
//! As in Python, binding fails if the path exists (a socket file left by an
//! earlier run, say), and closing the server does not remove the file:
//! remove it yourself, or bind in a temporary folder.

use std::io;
use std::os::unix::net::{SocketAddr, UnixDatagram, UnixListener, UnixStream};
use std::path::Path;
use std::sync::Arc;

use crate::datagram::Datagram;
use crate::handler::{Request, RequestHandler};
use crate::server::{Listen, Server, ServerBuilder, sealed};

/// A stream server on a Unix socket: Python's `UnixStreamServer`.
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use socketserver_like::{BaseRequest, UnixStreamServer};
///
/// let dir = std::env::temp_dir().join(format!("ssl-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("stream.sock");
/// let _ = std::fs::remove_file(&path);
/// let server = UnixStreamServer::bind(&path, |req: &mut BaseRequest<UnixStream>| {
///     req.request.write_all(b"hi")
/// })?;
/// let mut client = UnixStream::connect(&path)?;
/// server.handle_request()?;
/// let mut reply = String::new();
/// client.read_to_string(&mut reply)?;
/// assert_eq!(reply, "hi");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub type UnixStreamServer = Server<UnixListener>;

/// A datagram server on a Unix socket: Python's `UnixDatagramServer`.
///
/// ```
/// use std::os::unix::net::UnixDatagram;
/// use socketserver_like::{DatagramRequest, UnixDatagramServer};
///
/// let dir = std::env::temp_dir().join(format!("ssl-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let (server_path, client_path) = (dir.join("dgram.sock"), dir.join("client.sock"));
/// let _ = std::fs::remove_file(&server_path);
/// let _ = std::fs::remove_file(&client_path);
/// let server = UnixDatagramServer::bind(&server_path, |req: &mut DatagramRequest<UnixDatagram>| {
///     req.wfile.extend_from_slice(&req.packet().to_ascii_uppercase());
///     Ok(())
/// })?;
/// // The client binds a path too: without one it could not be answered.
/// let client = UnixDatagram::bind(&client_path)?;
/// client.send_to(b"hi", &server_path)?;
/// server.handle_request()?;
/// let mut buf = [0u8; 8];
/// let n = client.recv(&mut buf)?;
/// assert_eq!(&buf[..n], b"HI");
/// std::fs::remove_file(&server_path)?;
/// std::fs::remove_file(&client_path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub type UnixDatagramServer = Server<UnixDatagram>;

impl sealed::Sealed for UnixListener {}

impl Listen for UnixListener {
    type Conn = UnixStream;
    type Addr = SocketAddr;

    fn get_request(listener: &Arc<Self>, _: usize) -> io::Result<(UnixStream, SocketAddr)> {
        let (stream, client_address) = listener.accept()?;
        // See the TCP listener: accepted sockets may inherit non-blocking.
        stream.set_nonblocking(false)?;
        Ok((stream, client_address))
    }

    fn local_address(&self) -> io::Result<SocketAddr> {
        self.local_addr()
    }
}

impl sealed::Sealed for UnixDatagram {}

impl Listen for UnixDatagram {
    type Conn = Datagram<UnixDatagram>;
    type Addr = SocketAddr;

    fn get_request(
        socket: &Arc<Self>,
        max_packet_size: usize,
    ) -> io::Result<(Datagram<UnixDatagram>, SocketAddr)> {
        Datagram::receive(socket, max_packet_size, UnixDatagram::recv_from)
    }

    fn local_address(&self) -> io::Result<SocketAddr> {
        self.local_addr()
    }
}

impl UnixStreamServer {
    /// Bind a Unix stream socket at `path` and listen.
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use socketserver_like::{StreamRequest, UnixStreamServer};
    ///
    /// let path = std::env::temp_dir().join(format!("ssl-bind-{}.sock", std::process::id()));
    /// let _ = std::fs::remove_file(&path);
    /// let server = UnixStreamServer::bind(&path, |_: &mut StreamRequest<UnixStream>| Ok(()))?;
    /// assert_eq!(server.server_address()?.as_pathname(), Some(path.as_path()));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<R, H>(path: impl AsRef<Path>, handler: H) -> io::Result<UnixStreamServer>
    where
        R: Request<Conn = UnixStream, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        Self::builder().bind(path, handler)
    }
}

impl UnixDatagramServer {
    /// Bind a Unix datagram socket at `path`.
    ///
    /// ```
    /// use std::os::unix::net::UnixDatagram;
    /// use socketserver_like::{DatagramRequest, UnixDatagramServer};
    ///
    /// let path = std::env::temp_dir().join(format!("ssl-dbind-{}.sock", std::process::id()));
    /// let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagramServer::bind(&path, |_: &mut DatagramRequest<UnixDatagram>| Ok(()))?;
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<R, H>(path: impl AsRef<Path>, handler: H) -> io::Result<UnixDatagramServer>
    where
        R: Request<Conn = Datagram<UnixDatagram>, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        Self::builder().bind(path, handler)
    }
}

impl ServerBuilder<UnixListener> {
    /// Bind at `path` and listen with `request_queue_size` as the backlog.
    /// The reuse options mean nothing for a path and are ignored.
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use socketserver_like::{BaseRequest, Concurrency, UnixStreamServer};
    ///
    /// let path = std::env::temp_dir().join(format!("ssl-bbind-{}.sock", std::process::id()));
    /// let _ = std::fs::remove_file(&path);
    /// let server = UnixStreamServer::builder()
    ///     .concurrency(Concurrency::threading())
    ///     .bind(&path, |_: &mut BaseRequest<UnixStream>| Ok(()))?;
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<R, H>(self, path: impl AsRef<Path>, handler: H) -> io::Result<UnixStreamServer>
    where
        R: Request<Conn = UnixStream, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        let path = path.as_ref();
        let socket = socket2::Socket::new(socket2::Domain::UNIX, socket2::Type::STREAM, None)?;
        socket
            .bind(&socket2::SockAddr::unix(path)?)
            .map_err(|e| classroom::errors::context(e, format!("binding {}", path.display())))?;
        socket.listen(self.request_queue_size)?;
        socket.set_nonblocking(true)?;
        self.build(
            UnixListener::from(std::os::fd::OwnedFd::from(socket)),
            handler,
        )
    }
}

impl ServerBuilder<UnixDatagram> {
    /// Bind a datagram socket at `path`.
    ///
    /// ```
    /// use std::os::unix::net::UnixDatagram;
    /// use socketserver_like::{DatagramRequest, UnixDatagramServer};
    ///
    /// let path = std::env::temp_dir().join(format!("ssl-dbbind-{}.sock", std::process::id()));
    /// let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagramServer::builder()
    ///     .max_packet_size(1024)
    ///     .bind(&path, |_: &mut DatagramRequest<UnixDatagram>| Ok(()))?;
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<R, H>(self, path: impl AsRef<Path>, handler: H) -> io::Result<UnixDatagramServer>
    where
        R: Request<Conn = Datagram<UnixDatagram>, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        let path = path.as_ref();
        let socket = UnixDatagram::bind(path)
            .map_err(|e| classroom::errors::context(e, format!("binding {}", path.display())))?;
        self.build(socket, handler)
    }
}
