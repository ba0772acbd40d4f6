//! `limit` (document 002 §5: "select … 在Linux上一般为1024"): once `select`'s sets
//! are full, a connection does not fit: on Unix descriptor 1024 (a bitmap of 1024
//! bits), on Windows the 65th socket. `select` refuses it clearly; `poll` serves it.

use std::io::{self, Write};
use std::net::TcpStream;

use classroom::{Side, Traced, narrate};
use socket2::{Domain, Socket, Type};

use crate::multiplex::{Conn, Kind};
use crate::os::{AsFd, FD_SETSIZE, POLL};
use crate::{ECHO_PATIENCE, bind_listener, read_echo};

pub use crate::os::raise_open_files;

/// The demo: a connection that does not fit, against select and poll.
pub fn demo() -> io::Result<()> {
    let (wanted, server) = (FD_SETSIZE as u64 + 64, Side::server());
    let (soft, limits) = raise_open_files(wanted)?;
    server.say(limits);
    if soft < wanted {
        narrate("this process may not open descriptor 1024: ask an administrator (ulimit -Hn)");
        return Ok(());
    }
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let mut client = Traced::connected(TcpStream::connect(listener.local_addr()?)?)?;
    client.set_read_timeout(Some(ECHO_PATIENCE))?;
    // ANCHOR: refuse
    narrate("select(): watch idle sockets, one more each time, until one does not fit");
    let (mut select, mut idle) = (Kind::Select.readiness()?, Vec::new());
    loop {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        match select.watch(2 + idle.len() as u64, socket.as_fd(), false) {
            Ok(()) => idle.push(socket),
            Err(_) => break, // closes `socket`: the client's connection gets its place
        }
    }
    let (conn, peer) = listener.accept()?;
    let mut conn = Conn::new(conn, peer, Side::server())?;
    let watched = idle.len();
    server.say(format!(
        "watching {watched} idle sockets, then accepted a client"
    ));
    if let Err(e) = select.watch(1, conn.as_fd(), false) {
        server.say(format!("the select server refuses it: {e}"));
    }
    narrate(format!(
        "{POLL}: an array of (socket, events) has room for any number"
    ));
    client.write_all(b"still here")?;
    let mut watched = std::iter::once((1, conn.as_fd(), false));
    if Kind::Poll.readiness()?.wait(&mut watched, Some(5000))? != [1] {
        return Err(io::Error::other("poll() did not report it within 5 s"));
    }
    server.say(format!("{POLL} reported it readable"));
    conn.on_ready()?; // one read, and its echo
    read_echo(&mut client, 10)?;
    // ANCHOR_END: refuse
    drop(idle);
    narrate(format!(
        "select() could not take it, {POLL} could; C's FD_SET would not have said so"
    ));
    Ok(())
}
