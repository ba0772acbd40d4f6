//! Solution of exercise 05-header.

use std::io::{self, Write};
use std::net::TcpStream;

// ANCHOR: solution
/// Send one message: its length in 4 bytes, little-endian, then its bytes.
pub fn send_message(conn: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    // '<i' is a signed 32-bit number: at most 2^31 - 1 bytes.
    let len = i32::try_from(payload.len()).map_err(io::Error::other)?;
    // struct.pack('<i', 5) is 05 00 00 00: least significant byte first.
    conn.write_all(&len.to_le_bytes())?;
    conn.write_all(payload)?;
    Ok(())
}
// ANCHOR_END: solution
