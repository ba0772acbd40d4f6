//! `subnet`: the subnet mask (子网掩码) and the same-subnet test.
//!
//! A mask is 32 bits like an address: 1s over the network part (网络部分),
//! 0s over the host part (主机部分). AND-ing an address with its mask keeps
//! the network part and clears the host part, leaving the network address
//! (网络地址). Two hosts whose network addresses are equal are on the same
//! subnet (同一子网/网段) and can reach each other directly; otherwise their
//! packets go through a gateway (网关). Document 004 §2.1.7 (子网掩码) works
//! the example 172.16.10.1 and 172.16.10.2 with 255.255.255.0.

use std::error::Error;
use std::fmt;

use classroom::narrate;

use crate::ipv4::{self, AddrError, binary, dotted};

/// Document 004's example: 172.16.10.1 and 172.16.10.2 with 255.255.255.0.
pub const DOC_EXAMPLE: (u32, u32, Mask) = (
    u32::from_be_bytes([172, 16, 10, 1]),
    u32::from_be_bytes([172, 16, 10, 2]),
    Mask(0xffff_ff00),
);

/// A subnet mask: some 1 bits, then only 0 bits. The only way to make one is
/// through a constructor that checks this, so every `Mask` is a valid one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mask(u32);

// ANCHOR: mask
impl Mask {
    /// A mask from its 32 bits, refused when the 1s have gaps.
    ///
    /// The 1s must all come first: counting the 1s from the top and the 0s
    /// from the bottom must cover all 32 bits. `255.0.255.0` has 8 + 8.
    pub fn from_bits(bits: u32) -> Result<Mask, MaskError> {
        if bits.leading_ones() + bits.trailing_zeros() == 32 {
            Ok(Mask(bits))
        } else {
            Err(MaskError::Gaps(bits))
        }
    }

    /// The mask with `len` leading 1s: `/24` is `255.255.255.0`.
    pub fn from_prefix(len: u32) -> Result<Mask, MaskError> {
        match len {
            // Shifting a u32 by 32 is not allowed, so /0 (all zeros) is
            // what `checked_shl` gives back as `None`.
            0..=32 => Ok(Mask(u32::MAX.checked_shl(32 - len).unwrap_or(0))),
            _ => Err(MaskError::PrefixTooLong(len)),
        }
    }

    /// The prefix length (前缀长度): how many 1s, the `24` in `/24`.
    pub fn prefix_len(self) -> u32 {
        self.0.leading_ones()
    }

    /// The mask's 32 bits.
    pub fn bits(self) -> u32 {
        self.0
    }
}
// ANCHOR_END: mask

/// Parse a mask as dotted decimal (`255.255.255.0`) or a prefix (`/24`).
pub fn parse_mask(text: &str) -> Result<Mask, MaskError> {
    match text.strip_prefix('/') {
        Some(len) => {
            let len = len
                .parse()
                .map_err(|_| MaskError::NotAPrefix(text.to_owned()))?;
            Mask::from_prefix(len)
        }
        None => Mask::from_bits(ipv4::parse(text).map_err(MaskError::Addr)?),
    }
}

// ANCHOR: and
/// The network address: where the mask has a 1 the address bit is kept,
/// where it has a 0 (the host part) the bit becomes 0.
pub fn network(addr: u32, mask: Mask) -> u32 {
    addr & mask.bits()
}

/// Two addresses are on the same subnet when AND-ing each with the mask
/// gives the same network address.
pub fn same_subnet(a: u32, b: u32, mask: Mask) -> bool {
    network(a, mask) == network(b, mask)
}
// ANCHOR_END: and

/// `172.16.10.0/24`: a network address and its prefix length (CIDR notation).
pub fn cidr(addr: u32, mask: Mask) -> String {
    format!("{}/{}", dotted(network(addr, mask)), mask.prefix_len())
}

/// The three lines of one AND, lined up bit under bit.
pub fn and_steps(addr: u32, mask: Mask) -> [String; 3] {
    let row = |op: char, value: u32| format!("{op} {:<16} {}", dotted(value), binary(value));
    [
        row(' ', addr),
        row('&', mask.bits()),
        row('=', network(addr, mask)),
    ]
}

/// The `subnet` tool: AND both addresses with the mask, step by step, and
/// say whether they share a subnet.
pub fn explain(a: u32, b: u32, mask: Mask) {
    let len = mask.prefix_len();
    println!(
        "mask {} = /{len}: {len} network bits (网络部分), {} host bits (主机部分)",
        dotted(mask.bits()),
        32 - len
    );
    for addr in [a, b] {
        println!();
        for line in and_steps(addr, mask) {
            println!("{line}");
        }
    }
    println!();
    let (net_a, net_b) = (cidr(a, mask), cidr(b, mask));
    if same_subnet(a, b, mask) {
        println!("same subnet: yes");
        narrate(format_args!(
            "both are on {net_a}: they reach each other directly"
        ));
        narrate("through a switch (交换机), no router needed");
    } else {
        println!("same subnet: no");
        let (a, b) = (dotted(a), dotted(b));
        narrate(format_args!("{a} is on {net_a} but {b} is on {net_b}:"));
        narrate("their packets must go through a gateway (网关), a router");
    }
}

/// Why a text is not a subnet mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaskError {
    /// Not even an address.
    Addr(AddrError),
    /// An address, but its 1 bits have gaps.
    Gaps(u32),
    /// `/33` or more.
    PrefixTooLong(u32),
    /// `/x`: not a number after the slash.
    NotAPrefix(String),
}

impl fmt::Display for MaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaskError::Addr(e) => e.fmt(f),
            MaskError::Gaps(bits) => write!(
                f,
                "{} is not a subnet mask: its 1 bits must all come first, with no 0 between them ({})",
                dotted(*bits),
                binary(*bits)
            ),
            MaskError::PrefixTooLong(len) => {
                write!(
                    f,
                    "/{len} is not a prefix length: an IPv4 mask has 0 to 32 bits"
                )
            }
            MaskError::NotAPrefix(text) => {
                write!(f, "{text:?} is not a prefix length: write it like /24")
            }
        }
    }
}

// The address error's text is already part of ours, so no `source()`:
// an error reporter would print it twice.
impl Error for MaskError {}
