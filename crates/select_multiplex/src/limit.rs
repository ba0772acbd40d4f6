//! `limit` (document 002 §5: "select … 在Linux上一般为1024"): `select` cannot
//! watch a descriptor numbered 1024 or more, because its sets are bitmaps of
//! `FD_SETSIZE` (1024) bits. The demo takes every descriptor below 1024,
//! accepts a client (which then gets descriptor 1024), and shows `select`
//! refusing it with a clear error while `poll` serves it. (`epoll` does too:
//! the `scaling` step watches 10,000 connections with it.)

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd};

use classroom::tcp::RECV_SIZE;
use classroom::{Side, Traced, narrate};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::select::{FD_SETSIZE, FdSet};
use socket2::{Domain, Socket, Type};

use crate::rlimit::raise_open_files;
use crate::{ECHO_PATIENCE, bind_listener, read_echo};

/// How long a wait call here may take before the demo calls it failed.
const PATIENCE_MS: u16 = 5000;

/// Open sockets until every descriptor number below `limit` is taken, and
/// return them (closing them frees the numbers again).
///
/// The kernel always hands out the lowest free number, so once one of these
/// gets `limit - 1`, every number below it is in use and the next socket
/// opened gets `limit` or above.
pub fn take_descriptors_below(limit: usize) -> io::Result<Vec<Socket>> {
    let mut taken = Vec::new();
    loop {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        let fd = socket.as_raw_fd();
        taken.push(socket);
        if usize::try_from(fd).is_ok_and(|fd| fd + 1 >= limit) {
            return Ok(taken);
        }
    }
}

/// The demo: descriptor 1024 against select and poll.
pub fn demo() -> io::Result<()> {
    let wanted = FD_SETSIZE as u64 + 64;
    let limits = raise_open_files(wanted)?;
    Side::server().say(limits.describe());
    if limits.soft < wanted {
        narrate(format!(
            "this process may not open descriptor {FD_SETSIZE}: the hard limit is too low (ask an administrator to raise it: ulimit -Hn)"
        ));
        return Ok(());
    }
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let mut client = Traced::connected(TcpStream::connect(addr)?)?;
    client.set_read_timeout(Some(ECHO_PATIENCE))?;
    let taken = take_descriptors_below(FD_SETSIZE)?;
    let (conn, _) = listener.accept()?;
    let mut conn = Traced::server(conn);
    conn.say(format!(
        "opened {} idle sockets, then accepted the client: its descriptor is {}",
        taken.len(),
        conn.as_raw_fd()
    ));

    // ANCHOR: refuse
    narrate("select(): its sets are bitmaps of FD_SETSIZE bits, so we check before inserting");
    let mut readable = FdSet::new();
    match crate::select::watch(&mut readable, conn.as_fd()) {
        Ok(()) => conn.say("select() can watch it"),
        Err(e) => conn.say(format!("watch() refused: {e}")),
    }

    narrate("poll(): an array of (descriptor, events) has room for any number");
    client.write_all(b"still here")?;
    let mut fds = [PollFd::new(conn.as_fd(), PollFlags::POLLIN)];
    poll(&mut fds, PollTimeout::from(PATIENCE_MS))?;
    if fds[0].any() != Some(true) {
        return Err(io::Error::other("poll() did not report the message"));
    }
    conn.say(format!(
        "poll() reported descriptor {} readable",
        conn.as_raw_fd()
    ));
    let mut buf = [0u8; RECV_SIZE];
    let n = conn.read(&mut buf)?;
    conn.write_all(&buf[..n])?;
    read_echo(&mut client, n)?;
    // ANCHOR_END: refuse
    drop(taken);
    narrate(format!(
        "select()'s limit is on the descriptor's *number*: one socket numbered {FD_SETSIZE} is already too many"
    ));
    narrate(
        "in C, FD_SET(1024, &set) writes past the bitmap; nix's insert panics; our watch() returns an error",
    );
    Ok(())
}
