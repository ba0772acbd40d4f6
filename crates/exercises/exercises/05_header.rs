//! Exercise 05-header — lesson 05, Step 4 "pack-broken: the two ends disagree".
//!
//! The receiver is the documents' Python: `struct.unpack('i', header)` on a
//! PC reads the 4-byte length little-endian (least significant byte first).
//! A sender that writes the bytes in the other order says "83,886,080" where
//! it means 5.
//!
//! Task: `send_message` sends the payload's length in 4 bytes the way
//! `struct.pack('<i', n)` writes it, then the payload.
//!
//! Check: `cargo run -q -p exercises -- check 05-header`

use std::io::{self, Write};
use std::net::TcpStream;

// ANCHOR: task
/// Send one message: its length in 4 bytes, little-endian, then its bytes.
pub fn send_message(conn: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let len = i32::try_from(payload.len()).map_err(io::Error::other)?;
    // TODO: to_be_bytes puts the most significant byte first (big-endian).
    conn.write_all(&len.to_be_bytes())?;
    conn.write_all(payload)?;
    Ok(())
}
// ANCHOR_END: task
