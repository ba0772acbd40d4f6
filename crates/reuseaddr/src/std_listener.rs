//! `std`: Rust's `std::net::TcpListener::bind` already sets SO_REUSEADDR on
//! Unix, and deliberately not on Windows. So a server written with std
//! restarts fine next to a TIME_WAIT, which is why `broken` builds its
//! listener with socket2: with std you would never see the problem.

use std::io;
use std::net::TcpListener;

use classroom::{Side, narrate};
use socket2::{Domain, Protocol, SockRef, Socket, Type};

use crate::restart::{client_wait_for_close, server_close_first};
use crate::{Bind, GREETING, Restart, demo_restart};

// ANCHOR: read_back
/// SO_REUSEADDR as the kernel has it on `listener`, read back with socket2
/// (Python: `sk.getsockopt(SOL_SOCKET, SO_REUSEADDR)`).
pub fn reuse_address(listener: &TcpListener) -> io::Result<bool> {
    SockRef::from(listener).reuse_address()
}
// ANCHOR_END: read_back

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// Read the option back from a fresh socket and from a std listener, then
/// run the restart story with std.
pub fn demo() -> io::Result<()> {
    let out = Side::server();
    let any = classroom::cli::ephemeral();
    let fresh = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    out.say(format!(
        "a new socket2::Socket has SO_REUSEADDR {}",
        on_off(fresh.reuse_address()?)
    ));
    let std_sets_it = reuse_address(&TcpListener::bind(any)?)?;
    out.say(format!(
        "a listener from std::net::TcpListener::bind has SO_REUSEADDR {}",
        on_off(std_sets_it)
    ));
    let outcome = demo_restart(Bind::Std, server_close_first, |addr| {
        client_wait_for_close(addr, GREETING)
    })?;
    if std_sets_it {
        narrate("std set SO_REUSEADDR before bind, so a std server restarts next to its TIME_WAIT");
    } else {
        narrate("std leaves SO_REUSEADDR off on Windows: there it lets others take a port in use");
    }
    if let Restart::Failed(e) = outcome {
        narrate(format!("the restart failed: {e}"));
    } else {
        narrate("so `demo broken` builds its listener with socket2: std would hide the problem");
    }
    Ok(())
}
