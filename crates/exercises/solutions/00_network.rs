//! Solution of exercise 00-network.

use std::net::Ipv4Addr;

// ANCHOR: solution
/// The network `ip` is on: `192.168.1.77/24` is on `192.168.1.0`.
pub fn network_of(ip: Ipv4Addr, prefix: u8) -> Ipv4Addr {
    // Ones in the first `prefix` bits: shift u32::MAX left by the host bits.
    // A shift by 32 (prefix 0) overflows, so /0 is the empty mask, 0.0.0.0.
    let mask = u32::MAX
        .checked_shl(32 - u32::from(prefix.min(32)))
        .unwrap_or(0);
    Ipv4Addr::from_bits(ip.to_bits() & mask)
}
// ANCHOR_END: solution
