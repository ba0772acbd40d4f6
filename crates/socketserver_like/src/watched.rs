//! `Watched`, beyond Python: a listener and the connections still sending their line,
//! watched by `serve_forever`'s thread with one `poll` (lesson 07): handlers get whole lines.

use std::collections::VecDeque;
use std::io::{self, ErrorKind, Read};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use classroom::tcp::patience;

use crate::os::{poll_readable, source};
use crate::{Listen, MAX_LINE};

/// A whole line and the connection to answer on: TCP's [`Datagram`](crate::Datagram).
pub type Message = (Vec<u8>, TcpStream);

/// A listening socket and the connections still sending their line.
pub struct Watched {
    /// The listening socket.
    pub listener: TcpListener,
    /// Those still sending, and for `get_request` whole lines, or an
    /// `accept` that failed (EMFILE: `serve_forever` then pauses).
    state: Mutex<(Vec<Sending>, VecDeque<Taken>)>,
}
type Taken = io::Result<(Message, SocketAddr)>;

struct Sending {
    conn: TcpStream,
    peer: SocketAddr,
    received: Vec<u8>,
    deadline: Instant,
}

impl Watched {
    /// Watch `listener`'s connections until each sent a line of [`MAX_LINE`] bytes at most.
    pub fn lines(listener: TcpListener) -> Watched {
        let state = Mutex::default();
        Watched { listener, state }
    }
}

impl Listen for Watched {
    type Request = Message;

    fn get_request(watched: &Arc<Self>) -> io::Result<(Message, SocketAddr)> {
        let mut state = watched.state.lock().unwrap_or_else(PoisonError::into_inner);
        let taken = state.1.pop_front();
        taken.unwrap_or_else(|| Err(ErrorKind::WouldBlock.into())) // none: a client left
    }

    // ANCHOR: wait
    /// `serve_forever`'s wait, lesson 07's `poll` loop: one `poll` on the listener,
    /// the waker and each connection still sending. A new client joins them; one
    /// that sent is read once, and leaves them for `get_request` once its line is
    /// whole. Returns then, or when the waker rings, or `timeout` passes.
    fn wait(&self, waker: &UdpSocket, timeout: Option<Duration>) -> io::Result<(bool, bool)> {
        let (sending, taken) = &mut *self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        sending.retain(|c| c.deadline > now); // time is up: dropped, so closed
        if !taken.is_empty() {
            return Ok((true, false));
        }
        let first_deadline = sending.first().map(|c| c.deadline - now); // wake for it too
        let timeout = [timeout, first_deadline].into_iter().flatten().min();
        let mut sources = vec![source(&self.listener), source(waker)];
        sources.extend(sending.iter().map(|c| source(&c.conn)));
        let readable = poll_readable(&sources, timeout)?;
        drop(sources);

        for (mut c, sent) in std::mem::take(sending).into_iter().zip(&readable[2..]) {
            match if *sent { read_some(&mut c) } else { Ok(false) } {
                Ok(false) => sending.push(c), // more to come
                Ok(true) => taken.push_back(Ok(((c.received, c.conn), c.peer))),
                Err(_) => {} // closed, reset or too long: dropped
            }
        }
        if readable[0] {
            match self.listener.accept() {
                // Non-blocking: one slow client must not block the others.
                Ok((conn, peer)) if conn.set_nonblocking(true).is_ok() => {
                    let (received, deadline) = (Vec::new(), Instant::now() + patience());
                    let c = Sending {
                        conn,
                        peer,
                        received,
                        deadline,
                    };
                    sending.push(c);
                }
                Ok(_) => {} // a socket we cannot use: dropped
                Err(e) if crate::server::nothing_there(&e) => {}
                Err(e) => taken.push_back(Err(e)),
            }
        }
        Ok((!taken.is_empty(), readable[1]))
    }
    // ANCHOR_END: wait
}

/// One `read` of what `c` sent: whether its line is whole; an error if it closed or went too long.
fn read_some(c: &mut Sending) -> io::Result<bool> {
    let had = c.received.len();
    c.received.resize(MAX_LINE + 1, 0); // room for one byte past the limit
    let read = (&c.conn).read(&mut c.received[had..]);
    c.received.truncate(had + read.as_ref().map_or(0, |n| *n));
    match read {
        Ok(0) => Err(ErrorKind::UnexpectedEof.into()), // it left before its line was whole
        Ok(_) if c.received.len() > MAX_LINE => Err(ErrorKind::InvalidData.into()),
        Ok(_) if !c.received.contains(&b'\n') => Ok(false),
        Ok(_) => {
            // Whole: for the handler, blocking, with the usual timeouts.
            c.conn.set_nonblocking(false)?;
            c.conn.set_read_timeout(Some(patience()))?;
            c.conn.set_write_timeout(Some(patience()))?;
            Ok(true)
        }
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(false),
        Err(e) => Err(e),
    }
}
