//! Reading from a stream without trusting the peer.

use std::io::{self, ErrorKind, Read};

/// Read until `done` says the bytes are complete, or the peer closes.
///
/// TCP is a byte stream: one `read` may return part of what the peer sent,
/// so we keep reading and let `done` decide. More than `limit` bytes is an
/// `InvalidData` error: the peer does not get to choose how much memory we
/// use.
///
/// `done` sees everything read so far, and one read may bring bytes past
/// the end of what it waits for: they are returned too.
///
/// ```
/// let mut wire: &[u8] = b"GET / HTTP/1.1\r\n\r\nextra";
/// let head_seen = |d: &[u8]| d.windows(4).any(|w| w == b"\r\n\r\n");
/// let data = classroom::read::read_until(&mut wire, 1024, head_seen)?;
/// assert_eq!(data, b"GET / HTTP/1.1\r\n\r\nextra");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_until(
    stream: &mut impl Read,
    limit: usize,
    done: impl Fn(&[u8]) -> bool,
) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 1024];
    while !done(&data) {
        // Ask for at most one byte past the limit: enough to tell "exactly
        // the limit, then EOF" from "too much", and never more.
        let room = (limit + 1 - data.len()).min(buf.len());
        match stream.read(&mut buf[..room]) {
            Ok(0) => break, // the peer closed its side: nothing more will come
            Ok(n) => data.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if data.len() > limit {
            return Err(io::Error::new(
                ErrorKind::InvalidData,
                format!("the peer sent more than {limit} bytes"),
            ));
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_at_the_limit() {
        let mut endless = io::repeat(b'x');
        let err = read_until(&mut endless, 8192, |_| false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
        assert_eq!(err.to_string(), "the peer sent more than 8192 bytes");
    }

    #[test]
    fn reading_stops_at_eof_or_when_done() {
        let mut short: &[u8] = b"GET / HTTP/1.1\r\n\r\nextra";
        assert_eq!(read_until(&mut short, 100, |_| false).unwrap().len(), 23);
        let mut exact: &[u8] = b"abc";
        assert_eq!(read_until(&mut exact, 3, |_| false).unwrap(), b"abc");
    }
}
