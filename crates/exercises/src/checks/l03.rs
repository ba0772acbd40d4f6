//! Lesson 03: whole datagrams, and a request that may be lost.

use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::Duration;

use socket2::SockRef;

use crate::net::ANY_PORT;
use crate::{Stuck, Version, pick, within};

fn whole(version: Version, len: usize) -> Result<(), String> {
    let receive = pick!(version, whole::receive);
    let socket = UdpSocket::bind(ANY_PORT).map_err(|e| e.to_string())?;
    let sender = UdpSocket::bind(ANY_PORT).map_err(|e| e.to_string())?;
    // Room for the biggest datagram (macOS sends none bigger than its send
    // buffer, 9216 bytes unless asked).
    for s in [&socket, &sender] {
        let s = SockRef::from(s);
        s.set_send_buffer_size(256 * 1024)
            .map_err(|e| e.to_string())?;
        s.set_recv_buffer_size(256 * 1024)
            .map_err(|e| e.to_string())?;
    }
    let datagram: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    sender
        .send_to(&datagram, socket.local_addr().map_err(|e| e.to_string())?)
        .map_err(|e| format!("sending {len} bytes failed: {e}"))?;
    let (got, from) = within(Duration::from_secs(1), move || receive(&socket))
        .map_err(|stuck| format!("receive() {stuck}"))?
        .map_err(|e| format!("receive() failed: {e}"))?;
    if Some(from) != sender.local_addr().ok() {
        return Err(format!("receive() said the datagram came from {from}"));
    }
    if got.len() < len {
        return Err(format!(
            "receive() returned {} of the {len} bytes sent in one datagram: recv_from cut it to the buffer's size, and the other {} are gone",
            got.len(),
            len - got.len()
        ));
    }
    if got != datagram {
        Err("receive() returned other bytes than were sent".into())
    } else {
        Ok(())
    }
}

pub fn whole_1200(version: Version) -> Result<(), String> {
    whole(version, 1200)
}

pub fn whole_max(version: Version) -> Result<(), String> {
    whole(version, 65_507)
}

/// A server that drops the first `drop` requests, then answers each with
/// `answer to: REQUEST`; it stops after 2 s without a request.
fn server(drop: usize) -> Result<SocketAddr, String> {
    let socket = UdpSocket::bind(ANY_PORT).map_err(|e| e.to_string())?;
    let addr = socket.local_addr().map_err(|e| e.to_string())?;
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    thread::spawn(move || {
        let mut buf = [0; 2048];
        let mut seen = 0;
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            seen += 1;
            if seen > drop {
                let answer = [b"answer to: ", &buf[..n]].concat();
                let _ = socket.send_to(&answer, from);
            }
        }
    });
    Ok(addr)
}

const PATIENCE: Duration = Duration::from_millis(1500);

pub fn lossy(version: Version) -> Result<(), String> {
    let ask = pick!(version, retry::ask);
    let server = server(1)?;
    let socket = UdpSocket::bind(ANY_PORT).map_err(|e| e.to_string())?;
    match within(PATIENCE, move || ask(&socket, server, b"time?")) {
        Ok(Ok(answer)) if answer == b"answer to: time?" => Ok(()),
        Ok(Ok(answer)) => Err(format!("ask() returned {:?}", String::from_utf8_lossy(&answer))),
        Ok(Err(e)) => Err(format!("ask() gave up: {e}; the server answers the second request")),
        Err(Stuck::Running(_)) => Err("ask() sent its request, the server dropped it (as a network may), and 1.5 s later ask() still waits for an answer that will never come".into()),
        Err(stuck) => Err(format!("ask() {stuck}")),
    }
}

pub fn silent(version: Version) -> Result<(), String> {
    let ask = pick!(version, retry::ask);
    let server = server(usize::MAX)?;
    let socket = UdpSocket::bind(ANY_PORT).map_err(|e| e.to_string())?;
    match within(PATIENCE, move || ask(&socket, server, b"time?")) {
        Ok(Err(_)) => Ok(()),
        Ok(Ok(answer)) => Err(format!("ask() returned {:?}, but nobody answered", String::from_utf8_lossy(&answer))),
        Err(Stuck::Running(_)) => Err("nobody answers, and 1.5 s later ask() is still waiting: give up after a few short tries (3 of 200 ms) and return an error".into()),
        Err(stuck) => Err(format!("ask() {stuck}")),
    }
}
