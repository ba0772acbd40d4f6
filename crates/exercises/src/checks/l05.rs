//! Lesson 05: exactly n bytes, and a length header both ends agree on.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use socket2::SockRef;

use crate::net::{ANY_PORT, pair, shown, wait_buffered};
use crate::{Version, pick, within};

const SECOND: Duration = Duration::from_secs(1);

fn recv_exact(
    version: Version,
    server: TcpStream,
    n: usize,
) -> Result<(TcpStream, std::io::Result<Vec<u8>>), String> {
    let recv_exact = pick!(version, exact::recv_exact);
    within(SECOND, move || {
        let mut server = server;
        let got = recv_exact(&mut server, n);
        (server, got)
    })
    .map_err(|stuck| format!("recv_exact() {stuck}"))
}

pub fn big(version: Version) -> Result<(), String> {
    const LEN: usize = 300_000;
    // A small receive buffer, set before the handshake (the connection
    // inherits it): the message cannot all be there for one read.
    let listener = TcpListener::bind(ANY_PORT).map_err(|e| e.to_string())?;
    SockRef::from(&listener)
        .set_recv_buffer_size(16 * 1024)
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut client = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let (server, _) = listener.accept().map_err(|e| e.to_string())?;
    let message: Vec<u8> = (0..LEN).map(|i| (i % 253) as u8).collect();
    let sent = message.clone();
    thread::spawn(move || {
        let _ = client.write_all(&sent);
        let _ = client.write_all(b"next");
    });
    let (_server, got) = recv_exact(version, server, LEN)?;
    let got = got.map_err(|e| format!("recv_exact failed: {e}"))?;
    if got.len() != LEN {
        return Err(format!(
            "recv_exact(conn, {LEN}) returned {} bytes: one read returned what had arrived so far, and the rest of the message was left for the next read",
            got.len()
        ));
    }
    if got == message {
        Ok(())
    } else {
        Err("recv_exact returned other bytes than were sent".into())
    }
}

pub fn back_to_back(version: Version) -> Result<(), String> {
    let (mut client, server) = pair().map_err(|e| e.to_string())?;
    client
        .write_all(b"0123456789abc")
        .map_err(|e| e.to_string())?;
    wait_buffered(&server, 13, SECOND).map_err(|e| e.to_string())?;
    let (mut server, got) = recv_exact(version, server, 10)?;
    let got = got.map_err(|e| format!("recv_exact failed: {e}"))?;
    if got != b"0123456789" {
        return Err(format!(
            "recv_exact(conn, 10) returned {}, not \"0123456789\"",
            shown(&got)
        ));
    }
    let mut next = [0; 3];
    server
        .set_read_timeout(Some(SECOND))
        .map_err(|e| e.to_string())?;
    match server.read_exact(&mut next) {
        Ok(()) if &next == b"abc" => Ok(()),
        _ => Err("recv_exact(conn, 10) took bytes of the next message: \"abc\" was no longer there to read".into()),
    }
}

pub fn short(version: Version) -> Result<(), String> {
    let (mut client, server) = pair().map_err(|e| e.to_string())?;
    client.write_all(b"0123").map_err(|e| e.to_string())?;
    client
        .shutdown(Shutdown::Write)
        .map_err(|e| e.to_string())?;
    wait_buffered(&server, 4, SECOND).map_err(|e| e.to_string())?;
    let (_server, got) = recv_exact(version, server, 10)?;
    match got {
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => Ok(()),
        Err(e) => Err(format!(
            "recv_exact failed with {:?} ({e}), not UnexpectedEof",
            e.kind()
        )),
        Ok(got) => Err(format!(
            "recv_exact(conn, 10) returned {} bytes as if they were the whole message; the peer had closed: when read returns 0, fail with ErrorKind::UnexpectedEof",
            got.len()
        )),
    }
}

/// What a Python receiver reads: `struct.unpack('<i', 4 bytes)`, then that
/// many bytes, refusing a length bigger than `max`.
fn receive_framed(conn: &mut TcpStream, max: usize) -> Result<Vec<u8>, String> {
    let mut header = [0; 4];
    conn.read_exact(&mut header)
        .map_err(|e| format!("the receiver got no 4-byte header: {e}"))?;
    let len = u32::from_le_bytes(header) as usize;
    if len > max {
        return Err(format!(
            "the receiver read the header {:02x} {:02x} {:02x} {:02x} as the length {len} (little-endian, as struct.unpack('<i') does) for a message of {max} bytes: your header has its bytes in the other order",
            header[0], header[1], header[2], header[3]
        ));
    }
    let mut payload = vec![0; len];
    conn.read_exact(&mut payload)
        .map_err(|e| format!("the receiver read a {len}-byte header and then: {e}"))?;
    Ok(payload)
}

fn framed(version: Version, messages: &[&'static [u8]]) -> Result<(), String> {
    let send_message = pick!(version, header::send_message);
    let (client, mut server) = pair().map_err(|e| e.to_string())?;
    let to_send = messages.to_vec();
    let sent = within(SECOND, move || {
        let mut client = client;
        to_send
            .iter()
            .try_for_each(|m| send_message(&mut client, m))
    })
    .map_err(|stuck| format!("send_message() {stuck}"))?;
    sent.map_err(|e| format!("send_message() failed: {e}"))?;
    server
        .set_read_timeout(Some(SECOND))
        .map_err(|e| e.to_string())?;
    for message in messages {
        let got = receive_framed(&mut server, message.len())?;
        if got != *message {
            return Err(format!(
                "the receiver got {}, not {}",
                shown(&got),
                shown(message)
            ));
        }
    }
    Ok(())
}

pub fn one_header(version: Version) -> Result<(), String> {
    framed(version, &[b"hello"])
}

pub fn two_headers(version: Version) -> Result<(), String> {
    framed(version, &["你好".as_bytes(), b"world"])
}
