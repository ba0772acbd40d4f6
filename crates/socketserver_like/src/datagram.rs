//! Datagram requests: Python's `DatagramRequestHandler`. For a UDP server a
//! request is one datagram, and the reply goes back through the server's
//! own socket with `send_to`.

use std::fmt;
use std::io::{self, Cursor};
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;

use crate::handler::Request;
use crate::server::ServerHandle;

/// A datagram socket a server can receive requests on and reply through:
/// a [`UdpSocket`], or a `UnixDatagram` on Unix.
///
/// ```
/// use std::net::UdpSocket;
/// use socketserver_like::DatagramSocket;
///
/// let a = UdpSocket::bind("127.0.0.1:0")?;
/// let b = UdpSocket::bind("127.0.0.1:0")?;
/// a.send_reply(b"hi", &b.local_addr()?)?;
/// let mut buf = [0u8; 8];
/// assert_eq!(b.recv(&mut buf)?, 2);
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait DatagramSocket: Send + Sync + 'static {
    /// The peer's address type.
    type Addr: Clone + fmt::Debug + Send + Sync + 'static;

    /// Receive one datagram: how many bytes, and from whom. Bytes beyond
    /// `buf` are lost (lesson 03, truncation).
    fn recv_request(&self, buf: &mut [u8]) -> io::Result<(usize, Self::Addr)>;
    /// Send one datagram to `to`.
    fn send_reply(&self, buf: &[u8], to: &Self::Addr) -> io::Result<usize>;
}

impl DatagramSocket for UdpSocket {
    type Addr = SocketAddr;

    fn recv_request(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.recv_from(buf)
    }
    fn send_reply(&self, buf: &[u8], to: &SocketAddr) -> io::Result<usize> {
        self.send_to(buf, to)
    }
}

#[cfg(unix)]
impl DatagramSocket for std::os::unix::net::UnixDatagram {
    type Addr = std::os::unix::net::SocketAddr;

    fn recv_request(&self, buf: &mut [u8]) -> io::Result<(usize, Self::Addr)> {
        self.recv_from(buf)
    }
    fn send_reply(&self, buf: &[u8], to: &Self::Addr) -> io::Result<usize> {
        // A client that never bound a path has no address to answer to.
        let path = to.as_pathname().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the client's socket has no path, so it cannot be answered",
            )
        })?;
        self.send_to(buf, path)
    }
}

/// What a datagram server accepts: the bytes of one datagram and the
/// socket to answer through (Python's `request` tuple `(data, socket)`).
///
/// ```
/// use std::net::UdpSocket;
/// use std::sync::Arc;
/// use socketserver_like::Datagram;
///
/// let socket = Arc::new(UdpSocket::bind("127.0.0.1:0")?);
/// let datagram = Datagram { packet: b"hi".to_vec(), socket };
/// assert_eq!(datagram.packet, b"hi");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Datagram<U> {
    /// The datagram's bytes.
    pub packet: Vec<u8>,
    /// The server's socket, shared with the server and other requests.
    pub socket: Arc<U>,
}

impl<U> Datagram<U> {
    /// Receive one datagram on `socket` with `recv_from`, into a buffer of
    /// `max_packet_size` bytes. That size is our limit, not the client's: a
    /// longer datagram is cut, never a reason to allocate more.
    pub(crate) fn receive<A>(
        socket: &Arc<U>,
        max_packet_size: usize,
        recv_from: impl FnOnce(&U, &mut [u8]) -> io::Result<(usize, A)>,
    ) -> io::Result<(Datagram<U>, A)> {
        let mut packet = vec![0u8; max_packet_size];
        let (n, client_address) = recv_from(socket, &mut packet)?;
        packet.truncate(n);
        let socket = Arc::clone(socket);
        Ok((Datagram { packet, socket }, client_address))
    }
}

/// A datagram request: Python's `DatagramRequestHandler`.
///
/// Read the datagram from `rfile`, write the reply into `wfile`; when the
/// request ends the reply goes back to the client as one datagram.
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::UdpSocket;
/// use socketserver_like::{DatagramRequest, UdpServer};
///
/// let server = UdpServer::bind(("127.0.0.1", 0), |req: &mut DatagramRequest| {
///     let mut text = Vec::new();
///     req.rfile.read_to_end(&mut text)?;
///     req.wfile.write_all(&text.to_ascii_uppercase())
/// })?;
/// let client = UdpSocket::bind("127.0.0.1:0")?;
/// client.send_to(b"hello", server.server_address()?)?;
/// server.handle_request()?;
/// let mut buf = [0u8; 64];
/// let n = client.recv(&mut buf)?;
/// assert_eq!(&buf[..n], b"HELLO");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct DatagramRequest<U: DatagramSocket = UdpSocket> {
    /// The datagram, to read from (Python's `self.rfile`).
    pub rfile: Cursor<Vec<u8>>,
    /// The reply, sent as one datagram when the request ends (Python's
    /// `self.wfile`).
    pub wfile: Vec<u8>,
    /// Who sent it (Python's `self.client_address`).
    pub client_address: U::Addr,
    /// The server this request came to (Python's `self.server`).
    pub server: ServerHandle,
    socket: Arc<U>,
}

impl<U: DatagramSocket> DatagramRequest<U> {
    /// The datagram's bytes, whatever has been read from `rfile`.
    ///
    /// ```
    /// use std::net::UdpSocket;
    /// use socketserver_like::{DatagramRequest, UdpServer};
    ///
    /// let server = UdpServer::bind(("127.0.0.1", 0), |req: &mut DatagramRequest| {
    ///     assert_eq!(req.packet(), b"ping");
    ///     Ok(())
    /// })?;
    /// UdpSocket::bind("127.0.0.1:0")?.send_to(b"ping", server.server_address()?)?;
    /// server.handle_request()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn packet(&self) -> &[u8] {
        self.rfile.get_ref()
    }

    /// The server's socket (Python's `self.socket`), to send more than one
    /// datagram, or to someone else.
    ///
    /// ```
    /// use std::net::UdpSocket;
    /// use socketserver_like::{DatagramRequest, DatagramSocket, UdpServer};
    ///
    /// let server = UdpServer::bind(("127.0.0.1", 0), |req: &mut DatagramRequest| {
    ///     for part in [&b"one"[..], b"two"] {
    ///         req.socket().send_reply(part, &req.client_address)?;
    ///     }
    ///     Ok(())
    /// })?;
    /// let client = UdpSocket::bind("127.0.0.1:0")?;
    /// client.send_to(b"go", server.server_address()?)?;
    /// server.handle_request()?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(client.recv(&mut buf)?, 3);
    /// assert_eq!(client.recv(&mut buf)?, 3);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn socket(&self) -> &U {
        &self.socket
    }
}

impl<U: DatagramSocket> Request for DatagramRequest<U> {
    type Conn = Datagram<U>;
    type Addr = U::Addr;
    type Options = ();

    fn open(
        datagram: Datagram<U>,
        client_address: U::Addr,
        server: ServerHandle,
        _options: &(),
    ) -> io::Result<Self> {
        Ok(DatagramRequest {
            rfile: Cursor::new(datagram.packet),
            wfile: Vec::new(),
            client_address,
            server,
            socket: datagram.socket,
        })
    }

    fn close(self) -> io::Result<()> {
        // Python sends `wfile` even when it is empty: an empty datagram the
        // client did not ask for. We send a reply only if there is one.
        if !self.wfile.is_empty() {
            self.socket.send_reply(&self.wfile, &self.client_address)?;
        }
        Ok(())
    }
}
