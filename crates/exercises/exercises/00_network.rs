//! Exercise 00-network — lesson 00, §3 "Subnet masks" (子网掩码, 网段).
//!
//! A prefix length such as `/24` says how many of an address's first bits
//! name its network; the rest name the host. Two machines are on the same
//! network when those first bits are equal.
//!
//! Task: `network_of(ip, prefix)` returns the network address: the first
//! `prefix` bits of `ip`, and zeros after them, for every prefix from 0 to 32.
//!
//! Check: `cargo run -q -p exercises -- check 00-network`

use std::net::Ipv4Addr;

// ANCHOR: task
/// The network `ip` is on: `192.168.1.77/24` is on `192.168.1.0`.
pub fn network_of(ip: Ipv4Addr, prefix: u8) -> Ipv4Addr {
    // TODO: this mask keeps the *last* bits of the address. The subnet mask
    // of /24 is 255.255.255.0: ones first. And /0 must work too.
    let mask = u32::MAX >> (32 - u32::from(prefix));
    Ipv4Addr::from_bits(ip.to_bits() & mask)
}
// ANCHOR_END: task
