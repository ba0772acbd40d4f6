//! Solution of exercise 01-ask.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};

// ANCHOR: solution
/// Send `question` to the server at `addr` and return its whole answer.
pub fn ask(addr: SocketAddr, question: &str) -> io::Result<String> {
    let mut conn = TcpStream::connect(addr)?;
    conn.write_all(question.as_bytes())?;
    // shutdown(SHUT_WR): a FIN goes out, the server's read returns 0, and
    // this socket can still receive.
    conn.shutdown(Shutdown::Write)?;
    let mut answer = String::new();
    conn.read_to_string(&mut answer)?;
    Ok(answer)
}
// ANCHOR_END: solution
