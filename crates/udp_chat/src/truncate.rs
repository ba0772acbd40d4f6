//! `truncate`: a datagram longer than the receive buffer (document 000
//! §黏包: one `recvfrom(x)` takes one `sendto(y)`; if y > x the rest is
//! lost): the receiver throws the rest away. Linux and macOS cut silently
//! (Linux's `MSG_TRUNC` tells the real length); Windows fills the buffer,
//! then fails the call with `WSAEMSGSIZE` (10040).

use std::io;
use std::net::UdpSocket;

use classroom::narrate;
use classroom::tcp::RECV_SIZE;

use crate::unread_pair;

/// The datagram the client sends: 1024 `a`s, then 976 `b`s. A 1024-byte
/// buffer takes exactly the `a`s.
pub fn long_datagram() -> Vec<u8> {
    let mut datagram = vec![b'a'; RECV_SIZE];
    datagram.resize(2000, b'b');
    datagram
}

/// What the client sends right after it.
pub const NEXT: &[u8] = b"next";

// ANCHOR: waiting_len
/// Linux only: the real length of the datagram waiting at the head of the
/// queue, without taking it. `MSG_PEEK` leaves it queued; `MSG_TRUNC` makes
/// `recv` return the datagram's length instead of how much fitted in the
/// buffer, so an empty buffer will do.
#[cfg(target_os = "linux")]
pub fn waiting_len(socket: &UdpSocket) -> io::Result<usize> {
    socket2::SockRef::from(socket).recv_with_flags(&mut [], libc::MSG_PEEK | libc::MSG_TRUNC)
}
// ANCHOR_END: waiting_len

/// The real length is a Linux feature; elsewhere, say so.
#[cfg(not(target_os = "linux"))]
pub fn waiting_len(_socket: &UdpSocket) -> io::Result<usize> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "the length of a waiting datagram (MSG_PEEK | MSG_TRUNC) needs Linux",
    ))
}

/// 2000 bytes, then a short datagram, read with the document's 1024 bytes.
pub fn demo() -> io::Result<()> {
    let (server, client) = unread_pair()?;
    let addr = server.local_addr()?;
    let long = long_datagram();
    client.send_to(&long, addr)?;
    client.send_to(NEXT, addr)?;

    match waiting_len(&server) {
        Ok(len) => server.say(format!(
            "the datagram waiting is {len} bytes long (recv with MSG_PEEK | MSG_TRUNC)"
        )),
        Err(e) => server.say(e),
    }
    // ANCHOR: cut
    let mut buf = [0u8; RECV_SIZE];
    match server.recv_from(&mut buf) {
        Ok((kept, _)) => server.say(format!(
            "kept the first {kept} of {} bytes: the {} b's that did not fit are gone",
            long.len(),
            long.len() - kept
        )),
        // Windows fills the buffer, then fails the call with WSAEMSGSIZE.
        Err(e) if cfg!(windows) && e.raw_os_error() == Some(10040) => server.say(format!(
            "recv_from failed ({e}), but the buffer holds the first {RECV_SIZE} bytes; the rest is gone"
        )),
        Err(e) => return Err(e),
    }
    server.recv_from(&mut buf)?; // the next datagram, not the rest of the first
    // ANCHOR_END: cut
    narrate(
        "the next recvfrom returned the next datagram, not the rest of the first: what did not fit was discarded",
    );
    narrate(
        "so size the buffer for the largest datagram you accept; `demo limits` shows how large that can be",
    );
    Ok(())
}
