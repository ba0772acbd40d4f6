//! What only some systems offer, one module per system.

pub use imp::cork;

#[cfg(target_os = "linux")]
mod imp {
    use std::io;
    use std::net::TcpStream;

    /// TCP_CORK: hold small writes back until the socket is uncorked or shut
    /// down, so the bytes and the FIN leave in one segment.
    pub fn cork(conn: &TcpStream) -> io::Result<()> {
        socket2::SockRef::from(conn).set_tcp_cork(true)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::io;
    use std::net::TcpStream;

    /// No TCP_CORK here: the answer may leave a moment before the FIN.
    pub fn cork(_conn: &TcpStream) -> io::Result<()> {
        Ok(())
    }
}
