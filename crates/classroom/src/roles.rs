//! Run a server role and a client role in one process.
//!
//! A demo binds its listener first (so the port is known and connections
//! queue up even before `accept`), then hands the server role to a thread and
//! runs the client role on the calling thread. Ordering between the two
//! roles' output is the demo's job: it waits on the protocol itself (a `recv`
//! cannot finish before the matching `send`) or on a channel where the
//! protocol gives no order. Nothing here sleeps.

use std::any::Any;
use std::error::Error;
use std::fmt;
use std::io;
use std::thread;

use crate::output::Lane;

/// Run `server` on its own thread and `client` on this one; return the
/// client's value once both have finished.
///
/// If the client role fails, its error is returned at once without waiting
/// for the server (which may be blocked in `accept` for a client that will
/// never come); the process is about to exit anyway. An error or a panic in
/// the server role is reported with the role's name.
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::{TcpListener, TcpStream};
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let addr = listener.local_addr()?;
/// let reply = classroom::run_roles(
///     move || {
///         let (mut conn, _) = listener.accept()?;
///         conn.write_all(b"hi")
///     },
///     || {
///         let mut reply = String::new();
///         TcpStream::connect(addr)?.read_to_string(&mut reply)?;
///         Ok(reply)
///     },
/// )?;
/// assert_eq!(reply, "hi");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_roles<T>(
    server: impl FnOnce() -> io::Result<()> + Send + 'static,
    client: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    let server = thread::Builder::new().name("server".into()).spawn(server)?;
    let value = client().map_err(|e| RoleFailure::wrap(Lane::Client, e))?;
    match server.join() {
        Ok(Ok(())) => Ok(value),
        Ok(Err(e)) => Err(RoleFailure::wrap(Lane::Server, e)),
        Err(panic) => Err(io::Error::other(format!(
            "the server role panicked: {}",
            panic_message(panic.as_ref())
        ))),
    }
}

/// An error from one role, keeping the original error (and its OS error
/// number) as its source.
#[derive(Debug)]
pub struct RoleFailure {
    /// The role that failed.
    pub lane: Lane,
    /// What went wrong.
    pub error: io::Error,
}

impl RoleFailure {
    fn wrap(lane: Lane, error: io::Error) -> io::Error {
        io::Error::new(error.kind(), RoleFailure { lane, error })
    }
}

impl fmt::Display for RoleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} role: {}", self.lane, self.error)
    }
}

impl Error for RoleFailure {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text
    } else {
        "(no message)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_value_is_returned_when_both_succeed() {
        assert_eq!(run_roles(|| Ok(()), || Ok(7)).unwrap(), 7);
    }

    #[test]
    fn server_error_names_the_role_and_keeps_the_kind() {
        let err =
            run_roles(|| Err(io::Error::from(io::ErrorKind::AddrInUse)), || Ok(())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        assert!(err.to_string().starts_with("server role: "), "{err}");
    }

    #[test]
    fn client_error_returns_without_waiting_for_the_server() {
        let (_keep, blocked) = std::sync::mpsc::channel::<()>();
        let err = run_roles(
            move || {
                // Blocks until the sender is dropped: a server stuck in accept.
                let _ = blocked.recv();
                Ok(())
            },
            || Err::<(), _>(io::Error::from(io::ErrorKind::ConnectionRefused)),
        )
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        assert!(err.to_string().starts_with("client role: "), "{err}");
    }

    #[test]
    fn a_panicking_server_is_an_error_not_a_crash() {
        let err = run_roles(|| panic!("boom"), || Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "the server role panicked: boom");
    }
}
