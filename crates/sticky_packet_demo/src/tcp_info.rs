//! What the kernel counts for a TCP socket (Linux): how many segments it
//! has sent (`TCP_INFO`), so a demo can show "N writes → M segments" without
//! a packet capture, and how many bytes still wait for an ACK (`SIOCOUTQ`).
//!
//! `TCP_INFO` fills a `struct tcp_info` with the connection's counters; the
//! one used here is `tcpi_segs_out`, every segment this socket has put on
//! the wire (Linux 4.2 and later). Neither std nor socket2 reads it, so this
//! module makes the one `getsockopt` call itself. Other systems keep similar
//! counters under other names; there the functions say the step needs Linux.

use std::io;
use std::net::TcpStream;

/// Segments `stream` has sent so far, handshake included. Take the
/// difference of two readings to count the segments in between.
#[cfg(target_os = "linux")]
pub fn segments_sent(stream: &TcpStream) -> io::Result<u32> {
    use std::mem::{offset_of, size_of};

    let mut info = [0u8; size_of::<libc::tcp_info>()];
    let filled = get_tcp_info(stream, &mut info)?;
    // An older kernel fills a shorter struct: the field must be in the part
    // it wrote.
    let at = offset_of!(libc::tcp_info, tcpi_segs_out);
    match info.get(at..at + 4) {
        Some(field) if filled >= at + 4 => Ok(u32::from_ne_bytes(
            field.try_into().expect("a 4-byte slice"),
        )),
        _ => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this kernel's TCP_INFO has no tcpi_segs_out (it needs Linux 4.2 or later)",
        )),
    }
}

// ANCHOR: get_tcp_info
/// `getsockopt(fd, IPPROTO_TCP, TCP_INFO, buf, &len)`: fills `buf` with the
/// kernel's `struct tcp_info` and returns how many bytes it wrote.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn get_tcp_info(stream: &TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    use std::os::fd::AsRawFd;

    let mut len = libc::socklen_t::try_from(buf.len()).map_err(io::Error::other)?;
    // SAFETY: `buf` is a live, writable buffer of `len` bytes for the whole
    // call; the kernel writes at most `len` bytes into it and stores the
    // number written back in `len`. Any byte pattern is a valid `u8`, so
    // nothing the kernel writes can make `buf` invalid.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            buf.as_mut_ptr().cast(),
            &mut len,
        )
    };
    if rc == 0 {
        Ok(len as usize)
    } else {
        Err(io::Error::last_os_error())
    }
}
// ANCHOR_END: get_tcp_info

// ANCHOR: unacknowledged
/// Bytes written to `stream` that the peer has not acknowledged yet, sent
/// or not: Linux's `SIOCOUTQ` (the `Send-Q` column of `ss -t`).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub fn unacknowledged(stream: &TcpStream) -> io::Result<usize> {
    use std::os::fd::AsRawFd;

    let mut n: libc::c_int = 0;
    // SAFETY: SIOCOUTQ (TIOCOUTQ on a socket) writes one `int` through the
    // pointer, which points to `n`, alive and writable for the whole call.
    let rc = unsafe { libc::ioctl(stream.as_raw_fd(), libc::TIOCOUTQ, &mut n) };
    match rc {
        0 => usize::try_from(n).map_err(io::Error::other),
        _ => Err(io::Error::last_os_error()),
    }
}
// ANCHOR_END: unacknowledged

/// Elsewhere: the counter needs Linux (macOS has `SO_NWRITE`).
#[cfg(not(target_os = "linux"))]
pub fn unacknowledged(stream: &TcpStream) -> io::Result<usize> {
    let _ = stream;
    Err(io::ErrorKind::Unsupported.into())
}

/// Elsewhere: the counter needs Linux.
#[cfg(not(target_os = "linux"))]
pub fn segments_sent(stream: &TcpStream) -> io::Result<u32> {
    let _ = stream;
    Err(io::Error::new(io::ErrorKind::Unsupported, NEEDS_LINUX))
}

/// What the demos print where `TCP_INFO` is not available.
pub const NEEDS_LINUX: &str =
    "counting segments needs Linux (TCP_INFO); run scripts/capture.sh to see them elsewhere";
