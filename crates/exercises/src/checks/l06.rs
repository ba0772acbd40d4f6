//! Lesson 06: "would block", and a timeout on every system.

use std::io::{ErrorKind, Write};
use std::net::TcpStream;
use std::time::Duration;

use select_multiplex::os::{AsFd, PollFd, PollFlags, PollTimeout, poll};

use crate::net::{listener, pair, shown, wait_buffered};
use crate::{Version, pick, within};

const SECOND: Duration = Duration::from_secs(1);

pub fn nobody(version: Version) -> Result<(), String> {
    let try_accept = pick!(version, accept::try_accept);
    let (listener, _) = listener().map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    match within(SECOND, move || try_accept(&listener).map(|c| c.is_some()))
        .map_err(|stuck| format!("try_accept() {stuck}"))?
    {
        Ok(false) => Ok(()),
        Ok(true) => Err("try_accept returned a client, but none had connected".into()),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Err(format!(
            "with no client waiting, accept() failed with \"{e}\" (ErrorKind::WouldBlock), and try_accept passed it on as an error: on a non-blocking socket it means \"not yet\", so return Ok(None)"
        )),
        Err(e) => Err(format!("try_accept failed: {e}")),
    }
}

pub fn somebody(version: Version) -> Result<(), String> {
    let try_accept = pick!(version, accept::try_accept);
    let (listener, addr) = listener().map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let client = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    // Wait until the handshake is done on the listener's side too.
    let mut fds = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
    poll(&mut fds, PollTimeout::from(1000u16)).map_err(|e| e.to_string())?;
    let got = within(SECOND, move || try_accept(&listener))
        .map_err(|stuck| format!("try_accept() {stuck}"))?
        .map_err(|e| format!("with a client waiting, try_accept failed: {e}"))?;
    match got {
        Some(conn) if conn.peer_addr().ok() == client.local_addr().ok() => Ok(()),
        Some(_) => Err("try_accept returned another client".into()),
        None => Err("a client was waiting, and try_accept returned None".into()),
    }
}

pub fn silent(version: Version) -> Result<(), String> {
    let recv_within = pick!(version, timeout::recv_within);
    let (_client, mut server) = pair().map_err(|e| e.to_string())?;
    match within(SECOND, move || {
        recv_within(&mut server, Duration::from_millis(100))
    })
    .map_err(|stuck| format!("recv_within() {stuck}"))?
    {
        Ok(None) => Ok(()),
        Ok(Some(bytes)) => Err(format!(
            "recv_within returned {} from a peer that sent nothing",
            shown(&bytes)
        )),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Err(format!(
            "recv_within failed with \"{e}\" (ErrorKind::WouldBlock): that is how Linux and macOS say a read timed out; Windows says TimedOut. Both mean: nothing came in time"
        )),
        Err(e) => Err(format!("recv_within failed: {e}")),
    }
}

pub fn talks(version: Version) -> Result<(), String> {
    let recv_within = pick!(version, timeout::recv_within);
    let (mut client, mut server) = pair().map_err(|e| e.to_string())?;
    client.write_all(b"hi").map_err(|e| e.to_string())?;
    wait_buffered(&server, 2, SECOND).map_err(|e| e.to_string())?;
    match within(SECOND, move || {
        recv_within(&mut server, Duration::from_millis(100))
    })
    .map_err(|stuck| format!("recv_within() {stuck}"))?
    {
        Ok(Some(bytes)) if bytes == b"hi" => Ok(()),
        Ok(other) => Err(format!("recv_within returned {other:?}, not Some(\"hi\")")),
        Err(e) => Err(format!("recv_within failed: {e}")),
    }
}
