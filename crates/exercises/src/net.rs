//! What the checks need around the student's code: connected pairs of
//! sockets on port 0, and a wait for bytes to arrive.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use sticky_packet_demo::wait::wait_until_buffered;

/// Loopback, port 0: the kernel picks a free port, so checks run side by side.
pub const ANY_PORT: (Ipv4Addr, u16) = (Ipv4Addr::LOCALHOST, 0);

/// A listener on a free loopback port, and its address.
pub fn listener() -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(ANY_PORT)?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// Both ends of one TCP connection: `(client, server)`.
pub fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let (listener, addr) = listener()?;
    let client = TcpStream::connect(addr)?;
    let (server, _) = listener.accept()?;
    Ok((client, server))
}

/// Wait until `n` bytes are in `conn`'s receive buffer, or fail after
/// `limit`: lesson 04's `wait_until_buffered`, which looks without taking.
pub fn wait_buffered(conn: &TcpStream, n: usize, limit: Duration) -> io::Result<()> {
    conn.set_read_timeout(Some(limit))?;
    let waiting = wait_until_buffered(conn, n);
    conn.set_read_timeout(None)?;
    match waiting? {
        got if got >= n => Ok(()),
        got => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("only {got} of {n} bytes arrived in {limit:?}"),
        )),
    }
}

/// A short, printable form of bytes a student's code returned.
pub fn shown(bytes: &[u8]) -> String {
    const MAX: usize = 40;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX)]);
    let more = if bytes.len() > MAX { "…" } else { "" };
    format!("{:?}{more}", text.as_ref())
}

/// The handler of exercise 08-threads (socketserver's `handle`): echo what
/// the client sends until it closes.
pub fn echo_handler(mut conn: TcpStream) -> io::Result<()> {
    let mut buf = [0; 1024];
    loop {
        match conn.read(&mut buf)? {
            0 => return Ok(()),
            n => conn.write_all(&buf[..n])?,
        }
    }
}
