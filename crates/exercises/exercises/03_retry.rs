//! Exercise 03-retry — lesson 03, Step 8 "lost-reply: when no answer comes".
//!
//! UDP does not resend: a lost request or a lost answer is simply gone, and
//! a `recv_from` with no timeout then waits for ever.
//!
//! Task: `ask` waits a short while for the answer (200 ms is plenty on one
//! machine), sends the request again if none came, and gives up with an
//! error after a few tries (3, say): within about a second in all.
//!
//! Check: `cargo run -q -p exercises -- check 03-retry`

use std::io;
use std::net::{SocketAddr, UdpSocket};

// ANCHOR: task
/// Send `request` to `server` and return its answer, trying again if it is lost.
pub fn ask(socket: &UdpSocket, server: SocketAddr, request: &[u8]) -> io::Result<Vec<u8>> {
    socket.send_to(request, server)?;
    let mut buf = [0; 2048];
    // TODO: if the request or the answer was lost, this waits for ever.
    let (n, _from) = socket.recv_from(&mut buf)?;
    Ok(buf[..n].to_vec())
}
// ANCHOR_END: task
