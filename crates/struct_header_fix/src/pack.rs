//! `pack`: what Python's `struct.pack('i', n)` puts on the wire (document
//! 002 §如何解决粘包, document 004 §二、解决粘包): no sockets, numbers and
//! their bytes. `'i'` is a C `int`: 4 bytes, signed, in the machine's own
//! byte order, which on every classroom laptop (x86-64, ARM) is little
//! endian, lowest byte first: 199 is `c7 00 00 00`. Network order (big
//! endian, `struct.pack('!i', n)`) is the convention for new protocols.

use std::io;

use classroom::bytes::hex;
use classroom::narrate;

use crate::frame::{pack_i, unpack_i};

/// The `pack` step.
pub fn demo() -> io::Result<()> {
    for n in [199, 2_140_000_000] {
        println!("struct.pack('i', {n}) = {}", hex(&pack_i(n)?));
    }
    // Document 002 prints each byte with bin(): the same bits, lowest byte first.
    for byte in pack_i(199)? {
        println!("  byte {byte:02x} = {byte:>3} = {byte:#010b}");
    }
    let v1 = pack_i(199)?;
    println!("struct.unpack('i', {}) = {}", hex(&v1), unpack_i(v1));
    let (min, max) = (i64::from(i32::MIN), i64::from(i32::MAX));
    for n in [-1, max, min, max + 1, min - 1] {
        match pack_i(n) {
            Ok(bytes) => println!("struct.pack('i', {n}) = {}", hex(&bytes)),
            Err(e) => println!("struct.pack('i', {n}) -> error: {e}"),
        }
    }
    println!("struct.pack('!i', 199) = {}", hex(&199i32.to_be_bytes())); // be: big endian
    narrate("'i' is 4 bytes whatever the number: a receiver reads 4, then knows what follows");
    narrate("past 2147483647 Python raises struct.error; i32::try_from refuses, never wraps");
    narrate("little endian puts the lowest byte first (c7 00 00 00), network order last");
    Ok(())
}
