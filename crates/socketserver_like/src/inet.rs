//! `TcpServer` and `UdpServer`: servers on IPv4 / IPv6 sockets, bound with
//! socket2 so the options Python sets before `bind` (SO_REUSEADDR,
//! SO_REUSEPORT) and the listen backlog are ours to choose.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::Arc;

use socket2::{Domain, Protocol, Socket, Type};

use crate::datagram::Datagram;
use crate::handler::{Request, RequestHandler};
use crate::server::{Listen, Server, ServerBuilder, sealed};

/// A TCP server: Python's `socketserver.TCPServer`.
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::TcpStream;
/// use socketserver_like::{BaseRequest, TcpServer};
///
/// let server = TcpServer::bind(("127.0.0.1", 0), |req: &mut BaseRequest| {
///     req.request.write_all(b"hello")
/// })?;
/// let mut client = TcpStream::connect(server.server_address()?)?;
/// server.handle_request()?;
/// let mut reply = String::new();
/// client.read_to_string(&mut reply)?;
/// assert_eq!(reply, "hello");
/// # Ok::<(), std::io::Error>(())
/// ```
pub type TcpServer = Server<TcpListener>;

/// A UDP server: Python's `socketserver.UDPServer`.
///
/// ```
/// use std::net::UdpSocket;
/// use socketserver_like::{DatagramRequest, UdpServer};
///
/// let server = UdpServer::bind(("127.0.0.1", 0), |req: &mut DatagramRequest| {
///     req.wfile.extend_from_slice(b"pong");
///     Ok(())
/// })?;
/// let client = UdpSocket::bind("127.0.0.1:0")?;
/// client.send_to(b"ping", server.server_address()?)?;
/// server.handle_request()?;
/// let mut buf = [0u8; 8];
/// assert_eq!(client.recv(&mut buf)?, 4);
/// # Ok::<(), std::io::Error>(())
/// ```
pub type UdpServer = Server<UdpSocket>;

impl sealed::Sealed for TcpListener {}

impl Listen for TcpListener {
    type Conn = TcpStream;
    type Addr = SocketAddr;

    fn get_request(listener: &Arc<Self>, _: usize) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, client_address) = listener.accept()?;
        // The listener is non-blocking (so a client that vanished between
        // the wait and `accept` cannot block the loop). On some systems
        // (macOS, Windows) accepted sockets inherit that; handlers expect
        // an ordinary blocking stream.
        stream.set_nonblocking(false)?;
        Ok((stream, client_address))
    }

    fn local_address(&self) -> io::Result<SocketAddr> {
        self.local_addr()
    }
}

impl sealed::Sealed for UdpSocket {}

impl Listen for UdpSocket {
    type Conn = Datagram<UdpSocket>;
    type Addr = SocketAddr;

    fn get_request(
        socket: &Arc<Self>,
        max_packet_size: usize,
    ) -> io::Result<(Datagram<UdpSocket>, SocketAddr)> {
        Datagram::receive(socket, max_packet_size, UdpSocket::recv_from)
    }

    fn local_address(&self) -> io::Result<SocketAddr> {
        self.local_addr()
    }
}

impl TcpServer {
    /// Bind `address` and listen, with Python's defaults: Python's
    /// `TCPServer(server_address, RequestHandlerClass)`.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::bind(("127.0.0.1", 0), |_: &mut BaseRequest| Ok(()))?;
    /// assert!(server.server_address()?.ip().is_loopback());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<R, H>(address: impl ToSocketAddrs, handler: H) -> io::Result<TcpServer>
    where
        R: Request<Conn = TcpStream, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        Self::builder().bind(address, handler)
    }
}

impl UdpServer {
    /// Bind `address`, with Python's defaults: Python's
    /// `UDPServer(server_address, RequestHandlerClass)`.
    ///
    /// ```
    /// use socketserver_like::{DatagramRequest, UdpServer};
    ///
    /// let server = UdpServer::bind(("127.0.0.1", 0), |_: &mut DatagramRequest| Ok(()))?;
    /// assert_ne!(server.server_address()?.port(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<R, H>(address: impl ToSocketAddrs, handler: H) -> io::Result<UdpServer>
    where
        R: Request<Conn = Datagram<UdpSocket>, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        Self::builder().bind(address, handler)
    }
}

impl ServerBuilder<TcpListener> {
    /// Python's `server_bind` and `server_activate`: set the options,
    /// bind, listen with `request_queue_size` as the backlog. Every address
    /// `address` resolves to is tried in turn.
    ///
    /// ```
    /// use socketserver_like::{BaseRequest, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .allow_reuse_address(true)
    ///     .bind(("localhost", 0), |_: &mut BaseRequest| Ok(()))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    // ANCHOR: tcp_bind
    pub fn bind<R, H>(self, address: impl ToSocketAddrs, handler: H) -> io::Result<TcpServer>
    where
        R: Request<Conn = TcpStream, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        let listener = first_that_binds(address, |addr| {
            let socket = self.socket_for(addr, Type::STREAM, Protocol::TCP)?;
            socket.listen(self.request_queue_size)?;
            socket.set_nonblocking(true)?;
            Ok(TcpListener::from(socket))
        })?;
        self.build(listener, handler)
    }
    // ANCHOR_END: tcp_bind
}

impl ServerBuilder<UdpSocket> {
    /// Set the options and bind a UDP socket (a datagram server has no
    /// `listen`). Every address `address` resolves to is tried in turn.
    ///
    /// ```
    /// use socketserver_like::{DatagramRequest, UdpServer};
    ///
    /// let server = UdpServer::builder()
    ///     .allow_reuse_address(true)
    ///     .bind(("127.0.0.1", 0), |_: &mut DatagramRequest| Ok(()))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<R, H>(self, address: impl ToSocketAddrs, handler: H) -> io::Result<UdpServer>
    where
        R: Request<Conn = Datagram<UdpSocket>, Addr = SocketAddr>,
        H: RequestHandler<R>,
    {
        let socket = first_that_binds(address, |addr| {
            Ok(UdpSocket::from(self.socket_for(
                addr,
                Type::DGRAM,
                Protocol::UDP,
            )?))
        })?;
        self.build(socket, handler)
    }
}

impl<L: Listen> ServerBuilder<L> {
    /// A socket for `addr` with this builder's options set, bound.
    fn socket_for(&self, addr: SocketAddr, kind: Type, protocol: Protocol) -> io::Result<Socket> {
        let socket = Socket::new(Domain::for_address(addr), kind, Some(protocol))?;
        // Set explicitly either way: on or off is then this setting's
        // doing, not a default of the platform or of the library.
        socket.set_reuse_address(self.allow_reuse_address)?;
        if self.allow_reuse_port {
            reuse_port(&socket)?;
        }
        socket.bind(&addr.into())?;
        Ok(socket)
    }
}

#[cfg(unix)]
fn reuse_port(socket: &Socket) -> io::Result<()> {
    socket.set_reuse_port(true)
}

#[cfg(not(unix))]
fn reuse_port(_socket: &Socket) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "SO_REUSEPORT exists only on Unix systems",
    ))
}

/// Try `bind` on each address `address` resolves to; the first success
/// wins, else the last error is returned.
fn first_that_binds<T>(
    address: impl ToSocketAddrs,
    bind: impl Fn(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let mut last = None;
    for addr in address.to_socket_addrs()? {
        match bind(addr) {
            Ok(bound) => return Ok(bound),
            Err(error) => {
                last = Some(classroom::errors::context(error, format!("binding {addr}")));
            }
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the address resolves to nothing",
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BaseRequest;
    use socket2::SockRef;

    #[test]
    fn options_are_set_as_asked() {
        let handler = |_: &mut BaseRequest| Ok(());
        let off = TcpServer::bind(("127.0.0.1", 0), handler).unwrap();
        assert!(!SockRef::from(off.socket()).reuse_address().unwrap());
        let on = TcpServer::builder()
            .allow_reuse_address(true)
            .bind(("127.0.0.1", 0), handler)
            .unwrap();
        assert!(SockRef::from(on.socket()).reuse_address().unwrap());
    }

    #[test]
    fn a_busy_port_is_an_error_that_names_the_address() {
        let handler = |_: &mut BaseRequest| Ok(());
        let first = TcpServer::bind(("127.0.0.1", 0), handler).unwrap();
        let addr = first.server_address().unwrap();
        let err = TcpServer::bind(addr, handler).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        assert!(
            err.to_string().starts_with(&format!("binding {addr}: ")),
            "{err}"
        );
    }
}
