//! Lesson 02: TIME_WAIT, SO_REUSEADDR, and who closes first.

use std::io::{ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::net::{ANY_PORT, listener};
use crate::{Version, pick, within};

const SECOND: Duration = Duration::from_secs(1);

pub fn after_time_wait(version: Version) -> Result<(), String> {
    let listen_again = pick!(version, reuse::listen_again);
    // The last run: a server (std's listener, as servers in Rust are) whose
    // side closes first, so that side ends in TIME_WAIT on the port.
    let old = TcpListener::bind(ANY_PORT).map_err(|e| e.to_string())?;
    let addr = old.local_addr().map_err(|e| e.to_string())?;
    let mut client = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let (server_side, _) = old.accept().map_err(|e| e.to_string())?;
    drop(server_side);
    client
        .set_read_timeout(Some(SECOND))
        .map_err(|e| e.to_string())?;
    let _ = client.read(&mut [0; 1]); // the server's FIN: end of stream
    drop(client);
    drop(old);
    let listener = listen_again(addr).map_err(|e| {
        format!(
            "bind to port {} failed: {e}. The last server there closed first, so its side of that connection waits in TIME_WAIT on the port; SO_REUSEADDR lets a new listener share it, if it is set before bind",
            addr.port()
        )
    })?;
    let client =
        TcpStream::connect(addr).map_err(|e| format!("your listener took no connection: {e}"))?;
    let (_, peer) = within(SECOND, move || listener.accept())
        .map_err(|stuck| stuck.to_string())?
        .map_err(|e| e.to_string())?;
    if Some(peer) == client.local_addr().ok() {
        Ok(())
    } else {
        Err("another listener took the connection".into())
    }
}

pub fn not_twice(version: Version) -> Result<(), String> {
    let listen_again = pick!(version, reuse::listen_again);
    let (live, addr) = listener().map_err(|e| e.to_string())?;
    match listen_again(addr) {
        Err(e) if e.kind() == ErrorKind::AddrInUse => Ok(()),
        Err(e) => Err(format!("bind failed, but not with \"address in use\": {e}")),
        Ok(_) => {
            drop(live);
            Err(format!(
                "a second listener got port {} while the first still listened there: SO_REUSEADDR shares a port with TIME_WAIT, never with a live listener (that is SO_REUSEPORT)",
                addr.port()
            ))
        }
    }
}

pub fn client_first(version: Version) -> Result<(), String> {
    let say_bye = pick!(version, bye::say_bye);
    let (listener, addr) = listener().map_err(|e| e.to_string())?;
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(say_bye(&listener)));
    let mut client = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    client
        .set_read_timeout(Some(SECOND))
        .map_err(|e| e.to_string())?;
    let mut bye = [0; 4];
    client
        .read_exact(&mut bye)
        .map_err(|e| format!("the client waited for \"bye\\n\" and got: {e}"))?;
    if &bye != b"bye\n" {
        return Err(format!(
            "the client got {:?}, not \"bye\\n\"",
            String::from_utf8_lossy(&bye)
        ));
    }
    // A server that closes first has its FIN here within microseconds; one
    // that waits for the client sends nothing more.
    client
        .set_read_timeout(Some(Duration::from_millis(300)))
        .map_err(|e| e.to_string())?;
    match client.read(&mut [0; 16]) {
        Ok(0) => {
            return Err("the server closed first: right after \"bye\" the client read the end of the stream, so the server's side of the connection now waits in TIME_WAIT, on the server's own port".into());
        }
        Ok(n) => return Err(format!("after \"bye\\n\" the server sent {n} more bytes")),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        Err(e) => return Err(format!("the client's read failed: {e}")),
    }
    drop(client);
    match result.recv_timeout(SECOND) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("say_bye() failed: {e}")),
        Err(_) => Err("the client closed 1 s ago and say_bye() has not returned: a read returns 0 once the client has closed".into()),
    }
}
