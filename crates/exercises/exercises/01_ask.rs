//! Exercise 01-ask — lesson 01, Step 8 "half-close: the four-way close" (四次挥手).
//!
//! This server reads the question until the end of the stream, and only
//! then answers and closes. The client must say that it has nothing more to
//! send, and still read the answer.
//!
//! Task: `ask` sends the question and returns the server's whole answer.
//!
//! Check: `cargo run -q -p exercises -- check 01-ask`

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

// ANCHOR: task
/// Send `question` to the server at `addr` and return its whole answer.
pub fn ask(addr: SocketAddr, question: &str) -> io::Result<String> {
    let mut conn = TcpStream::connect(addr)?;
    conn.write_all(question.as_bytes())?;
    // TODO: the server waits for the end of your stream before it answers.
    // Close your sending half only (半关闭); the way back stays open.
    let mut answer = String::new();
    conn.read_to_string(&mut answer)?;
    Ok(answer)
}
// ANCHOR_END: task
