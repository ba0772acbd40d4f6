//! What the steps' server and client halves talk over.
//!
//! In two terminals that is a plain [`TcpStream`]. In a one-process demo it
//! is a [`Turns`]: a TCP stream whose writes are held back until the side
//! that wrote them starts to read (its turn is over). All the sends of one
//! turn are then printed before the peer can receive, and print, any of
//! them, so a demo prints the same lines in the same order on every run.
//! The bytes on the wire are the same either way.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};

/// A connection a step's half can use: read, write, and half-close.
pub trait Conn: Read + Write {
    /// Send everything written so far, then close the sending direction
    /// (TCP's half-close: the peer reads EOF, and can still answer).
    fn finish_sending(&mut self) -> io::Result<()>;

    /// The TCP stream underneath, for options such as timeouts.
    fn tcp(&self) -> &TcpStream;
}

impl Conn for TcpStream {
    fn finish_sending(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }

    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl<C: Conn + ?Sized> Conn for &mut C {
    fn finish_sending(&mut self) -> io::Result<()> {
        (**self).finish_sending()
    }

    fn tcp(&self) -> &TcpStream {
        (**self).tcp()
    }
}

/// A TCP stream whose writes wait until this side reads, flushes, or is
/// dropped. Only for demos, whose files are small: nothing here bounds the
/// bytes held back.
#[derive(Debug)]
pub struct Turns {
    stream: TcpStream,
    held: Vec<u8>,
}

impl Turns {
    /// Wrap a connected stream.
    pub fn new(stream: TcpStream) -> Self {
        Turns {
            stream,
            held: Vec::new(),
        }
    }
}

impl From<TcpStream> for Turns {
    fn from(stream: TcpStream) -> Self {
        Turns::new(stream)
    }
}

impl Write for Turns {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.held.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.write_all(&self.held)?;
        self.held.clear();
        Ok(())
    }
}

impl Read for Turns {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.flush()?; // reading means waiting for the peer: our turn is over
        self.stream.read(buf)
    }
}

impl Conn for Turns {
    fn finish_sending(&mut self) -> io::Result<()> {
        self.flush()?;
        self.stream.shutdown(Shutdown::Write)
    }

    fn tcp(&self) -> &TcpStream {
        &self.stream
    }
}

impl Drop for Turns {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}
