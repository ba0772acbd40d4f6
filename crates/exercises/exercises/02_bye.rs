//! Exercise 02-bye — lesson 02, Step 3 "client-closes-first: who closes first decides".
//!
//! Whichever side closes a connection first keeps it in TIME_WAIT, and a
//! server that does so holds its own port. In this protocol the server
//! says `bye` and the client then hangs up.
//!
//! Task: `say_bye` serves one client so that the client, not the server,
//! closes first.
//!
//! Check: `cargo run -q -p exercises -- check 02-bye`

use std::io::{self, Write};
use std::net::TcpListener;

// ANCHOR: task
/// Accept one client, send it `bye\n`, and close once the client has.
pub fn say_bye(listener: &TcpListener) -> io::Result<()> {
    let (mut conn, _peer) = listener.accept()?;
    conn.write_all(b"bye\n")?;
    // TODO: returning drops `conn`, which closes it now: the server closes
    // first. Wait until a read says the client has closed (it returns 0).
    Ok(())
}
// ANCHOR_END: task
