//! `limit` (document 002 §5: "select … 在Linux上一般为1024"): with every
//! descriptor below 1024 taken, a client gets descriptor 1024, which the
//! `select` server refuses with a clear error and `poll` serves.

use std::io::{self, Write};
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd};

use classroom::{Side, Traced, narrate};
use nix::sys::resource::{RLIM_INFINITY, Resource, getrlimit, setrlimit};
use nix::sys::select::FD_SETSIZE;
use socket2::{Domain, Socket, Type};

use crate::multiplex::{Conn, Kind};
use crate::{ECHO_PATIENCE, bind_listener, read_echo};

/// How many descriptors this process may open (`RLIMIT_NOFILE`, `ulimit
/// -n`): the *soft* limit, which a process may raise up to the *hard* one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct OpenFiles {
    pub soft: u64,
    pub hard: u64,
}

impl OpenFiles {
    /// `RLIMIT_NOFILE soft limit 20000, hard limit unlimited`.
    pub fn describe(&self) -> String {
        let [soft, hard] = [self.soft, self.hard].map(|n| match n {
            RLIM_INFINITY => "unlimited".to_owned(),
            n => n.to_string(),
        });
        format!("RLIMIT_NOFILE soft limit {soft}, hard limit {hard}")
    }
}

/// Raise the soft limit to `wanted` descriptors, or as close as the hard
/// limit allows. Never lowers it.
pub fn raise_open_files(wanted: u64) -> io::Result<OpenFiles> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    let raised = wanted.min(hard);
    // macOS refuses values above its own ceiling (OPEN_MAX) even under an
    // unlimited hard limit; then the soft limit stays where it was.
    let raise = soft < wanted && setrlimit(Resource::RLIMIT_NOFILE, raised, hard).is_ok();
    Ok(OpenFiles {
        soft: if raise { raised } else { soft },
        hard,
    })
}

/// Open sockets until every descriptor number below `limit` is taken: the
/// kernel hands out the lowest free number, so the next one gets `limit`.
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
    let (wanted, server) = (FD_SETSIZE as u64 + 64, Side::server());
    let limits = raise_open_files(wanted)?;
    server.say(limits.describe());
    if limits.soft < wanted {
        narrate("this process may not open descriptor 1024: ask an administrator (ulimit -Hn)");
        return Ok(());
    }
    let listener = bind_listener(classroom::cli::ephemeral())?;
    let mut client = Traced::connected(TcpStream::connect(listener.local_addr()?)?)?;
    client.set_read_timeout(Some(ECHO_PATIENCE))?;
    let taken = take_descriptors_below(FD_SETSIZE)?;
    let (conn, peer) = listener.accept()?;
    let mut conn = Conn::new(conn, peer, Side::server())?;
    let (fd, opened) = (conn.as_fd().as_raw_fd(), taken.len());
    let opened = format!("opened {opened} idle sockets, then accepted descriptor {fd}");
    server.say(opened);
    // ANCHOR: refuse
    narrate("select(): its sets are bitmaps of FD_SETSIZE bits, so the server checks first");
    if let Err(e) = Kind::Select.readiness()?.watch(1, conn.as_fd(), false) {
        server.say(format!("the select server refuses it: {e}"));
    }
    narrate("poll(): an array of (descriptor, events) has room for any number");
    client.write_all(b"still here")?;
    let mut watched = std::iter::once((1, conn.as_fd(), false));
    if Kind::Poll.readiness()?.wait(&mut watched, Some(5000))? != [1] {
        return Err(io::Error::other("poll() did not report it within 5 s"));
    }
    server.say(format!("poll() reported descriptor {fd} readable"));
    conn.on_ready()?; // one read, and its echo
    read_echo(&mut client, 10)?;
    // ANCHOR_END: refuse
    drop(taken);
    narrate("select()'s limit is on the descriptor's *number*: one socket numbered 1024 is enough");
    narrate("in C, FD_SET(1024, &set) writes past the bitmap; nix panics; watchable() says so");
    Ok(())
}
