//! `low-port`: who may bind a port below 1024 (documents 003 and 004 advise
//! against them). The kernel decides at `bind`, by who asks: on Linux root
//! or `CAP_NET_BIND_SERVICE`, below `net.ipv4.ip_unprivileged_port_start`.
//! Run as root, the step binds port 1023, then has a child process try the
//! same as an ordinary user.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;

use classroom::{Side, narrate};
use socket2::{Domain, Socket, Type};

use crate::os;

/// The highest of the well-known ports.
pub const PORT: u16 = 1023;

// ANCHOR: bind_low
/// `bind`, and only bind: the kernel checks the port there. (SO_REUSEADDR
/// lets two runs at once both bind it, as neither listens.)
pub fn bind_low(addr: SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?; // Python: sk.bind(('127.0.0.1', 1023))
    Ok(socket)
}
// ANCHOR_END: bind_low

/// Bind as this process, and as root in an unprivileged child too. The
/// process that starts no child says what the rule is.
pub fn demo() -> io::Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, PORT));
    let result = bind_low(addr).map_or_else(|e| format!("failed: {e}"), |_| "succeeded".into());
    let (who, root) = os::who_binds().unwrap_or(("this process".into(), false));
    Side::server().say(format!("{who}: bind {addr} {result}"));
    if root {
        Side::server().say("the same bind, in a child process run as uid 65534 (nobody):");
        let mut child = Command::new(std::env::current_exe()?);
        if os::as_nobody(&mut child)
            .args(["demo", "low-port"])
            .status()?
            .success()
        {
            return Ok(()); // the child has said why
        }
    }
    narrate(os::low_port_rule());
    narrate("the port is nobody's: the kernel looks at who binds, when bind runs");
    Ok(())
}
