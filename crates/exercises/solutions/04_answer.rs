//! Solution of exercise 04-answer.

use std::io::{self, Read};
use std::net::TcpStream;

// ANCHOR: solution
/// Read the server's whole answer: everything until it closes.
pub fn read_answer(conn: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut answer = Vec::new();
    let mut buf = [0; 1024];
    loop {
        match conn.read(&mut buf)? {
            0 => return Ok(answer), // end of stream: the answer is complete
            n => answer.extend_from_slice(&buf[..n]),
        }
    }
}
// ANCHOR_END: solution
