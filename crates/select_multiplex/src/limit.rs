//! `limit` (document 002 §5: "select … 在Linux上一般为1024"): `select` cannot
//! watch a descriptor numbered 1024 or more, because its sets are bitmaps of
//! `FD_SETSIZE` (1024) bits. The demo takes every descriptor below 1024,
//! accepts a client (which then gets descriptor 1024), and shows `select`
//! refusing it with a clear error while `poll` and `epoll` serve it.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd};

use classroom::{Side, narrate};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::select::{FD_SETSIZE, FdSet};
use socket2::{Domain, Socket, Type};

use crate::rlimit::raise_open_files;
use crate::{RECV_SIZE, bind_listener, read_echo};

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

/// The demo: descriptor 1024 against select, poll and epoll.
pub fn demo() -> io::Result<()> {
    let mut server = Side::server();
    let mut client = Side::client();
    let wanted = FD_SETSIZE as u64 + 64;
    let limits = raise_open_files(wanted)?;
    server.say(limits.describe());
    if limits.soft < wanted {
        narrate(format!(
            "this process may not open descriptor {FD_SETSIZE}: the hard limit is too low (ask an administrator to raise it: ulimit -Hn)"
        ));
        return Ok(());
    }
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    server.say(format!("listening on {addr}"));
    let mut stream = crate::connect(addr)?;
    stream.set_read_timeout(Some(crate::ECHO_PATIENCE))?;
    client.say("connected");
    let taken = take_descriptors_below(FD_SETSIZE)?;
    server.say(format!(
        "opened {} idle sockets: every descriptor below {FD_SETSIZE} is taken",
        taken.len()
    ));
    let (conn, _) = listener.accept()?;
    server.say(format!(
        "accepted the client: its descriptor is {}",
        conn.as_raw_fd()
    ));

    narrate("select(): its sets are bitmaps of FD_SETSIZE bits, so we check before inserting");
    // ANCHOR: refuse
    let mut readable = FdSet::new();
    match crate::select::watch(&mut readable, conn.as_fd()) {
        Ok(()) => server.say("select() can watch it"),
        Err(e) => server.say(format!("watch() refused: {e}")),
    }
    // ANCHOR_END: refuse

    narrate("poll(): an array of (descriptor, events) has room for any number");
    echo_once(
        &conn,
        &mut stream,
        &mut server,
        &mut client,
        "poll()",
        |conn| {
            let mut fds = [PollFd::new(conn.as_fd(), PollFlags::POLLIN)];
            poll(&mut fds, PollTimeout::from(PATIENCE_MS))?;
            Ok(fds[0].any().unwrap_or(false))
        },
    )?;

    #[cfg(target_os = "linux")]
    {
        use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};
        narrate("epoll: the kernel keeps the list, and descriptor numbers do not matter");
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        epoll.add(&conn, EpollEvent::new(EpollFlags::EPOLLIN, 1))?;
        echo_once(
            &conn,
            &mut stream,
            &mut server,
            &mut client,
            "epoll_wait()",
            |_| {
                let mut events = [EpollEvent::empty(); 1];
                Ok(epoll.wait(&mut events, EpollTimeout::from(PATIENCE_MS))? == 1)
            },
        )?;
    }
    #[cfg(not(target_os = "linux"))]
    narrate("epoll needs Linux; kqueue on macOS and the BSDs has no such limit either");

    drop(taken);
    narrate(format!(
        "select() is limited by the descriptor's *number*, not by how many you watch: even one socket numbered {FD_SETSIZE} is too many"
    ));
    narrate(
        "in C, FD_SET(1024, &set) silently writes past the bitmap; nix's FdSet::insert panics; our watch() returns an error",
    );
    Ok(())
}

/// The client sends one message; `wait` must report the server's side
/// readable; the server reads it and echoes it.
fn echo_once(
    conn: &TcpStream,
    stream: &mut TcpStream,
    server: &mut Side,
    client: &mut Side,
    call: &str,
    wait: impl FnOnce(&TcpStream) -> io::Result<bool>,
) -> io::Result<()> {
    let message = b"still here";
    client.sent(message);
    stream.write_all(message)?;
    if !wait(conn)? {
        return Err(io::Error::other(format!(
            "{call} did not report the message"
        )));
    }
    server.say(format!(
        "{call} reported descriptor {} readable",
        conn.as_raw_fd()
    ));
    let mut buf = [0u8; RECV_SIZE];
    let n = (&*conn).read(&mut buf)?;
    server.received(&buf[..n]);
    server.sent(&buf[..n]);
    (&*conn).write_all(&buf[..n])?;
    let echo = read_echo(stream, n)?;
    client.received(&echo);
    Ok(())
}
