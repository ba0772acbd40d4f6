//! Solution of exercise 02-bye.

use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

// ANCHOR: solution
/// Accept one client, send it `bye\n`, and close once the client has.
pub fn say_bye(listener: &TcpListener) -> io::Result<()> {
    let (mut conn, _peer) = listener.accept()?;
    conn.write_all(b"bye\n")?;
    // A client that never hangs up must not hold the server for ever.
    conn.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut rest = [0; 64];
    // Read until end of stream: the client's FIN has arrived, so our close
    // comes second and the client's side keeps the TIME_WAIT.
    while conn.read(&mut rest)? > 0 {}
    Ok(())
}
// ANCHOR_END: solution
