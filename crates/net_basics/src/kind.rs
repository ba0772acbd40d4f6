//! `kind`: public or private? Document 002's exercise (公网IP) asks what a
//! public address is. Most of the 2^32 addresses are public (公网地址): a
//! router on the Internet carries packets to them. A few blocks are kept
//! for other uses, and the test for "is this address in that block" is the
//! same AND as the `subnet` tool's.

use classroom::narrate;

use crate::ipv4::dotted;
use crate::subnet::{Mask, network};

/// A block of special addresses: its network address, its prefix length,
/// what kind of address it holds, and what that means.
pub type Block = ([u8; 4], u32, &'static str, &'static str);

// ANCHOR: blocks
/// The blocks an address can fall in; every other address is public.
#[rustfmt::skip]
pub const BLOCKS: [Block; 13] = [
    ([0, 0, 0, 0], 8,          "this network (本网络)", "0.0.0.0 in bind: every address of this machine"),
    ([10, 0, 0, 0], 8,         "private (私有地址)", "RFC 1918: homes, offices; not on the Internet"),
    ([172, 16, 0, 0], 12,      "private (私有地址)", "RFC 1918: 172.16.0.0 to 172.31.255.255"),
    ([192, 168, 0, 0], 16,     "private (私有地址)", "RFC 1918: what most home routers hand out"),
    ([127, 0, 0, 0], 8,        "loopback (环回地址)", "this machine talking to itself"),
    ([169, 254, 0, 0], 16,     "link-local (链路本地)", "picked by a machine that got no DHCP answer"),
    ([100, 64, 0, 0], 10,      "shared (运营商NAT)", "an ISP's carrier-grade NAT"),
    ([192, 0, 2, 0], 24,       "documentation (文档)", "for examples in books; never routed"),
    ([198, 51, 100, 0], 24,    "documentation (文档)", "for examples in books; never routed"),
    ([203, 0, 113, 0], 24,     "documentation (文档)", "for examples in books; never routed"),
    ([224, 0, 0, 0], 4,        "multicast (组播)", "a group, not one machine (lesson 03)"),
    ([255, 255, 255, 255], 32, "broadcast (广播)", "every machine of this network (lesson 03)"),
    ([240, 0, 0, 0], 4,        "reserved (保留)", "kept for later use; not routed"),
];

/// The block `addr` falls in: AND it with the block's mask and compare with
/// the block's network address. `None`: a public address.
pub fn block(addr: u32) -> Option<&'static Block> {
    BLOCKS.iter().find(|(net, len, ..)| {
        Mask::from_prefix(*len).is_ok_and(|mask| network(addr, mask) == u32::from_be_bytes(*net))
    })
}
// ANCHOR_END: blocks

/// Document 002's two addresses (本地IP and 百度's), and one of each kind.
pub const DOC_EXAMPLES: [[u8; 4]; 7] = [
    [192, 168, 10, 1],
    [110, 242, 68, 3],
    [127, 0, 0, 1],
    [169, 254, 10, 20],
    [172, 31, 0, 1],
    [172, 32, 0, 1],
    [100, 64, 0, 1],
];

/// `text` and spaces up to `width` columns; a Chinese character takes two.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// The `kind` tool: one line per address, then what private means.
pub fn explain(addrs: &[u32]) {
    for &addr in addrs {
        let (kind, inside, means) = match block(addr) {
            Some(&(net, len, kind, means)) => (
                kind,
                format!("{}/{len}", dotted(u32::from_be_bytes(net))),
                means,
            ),
            None => ("public (公网地址)", "-".into(), "routed on the Internet"),
        };
        println!("{:<16} {}{inside:<18} {means}", dotted(addr), pad(kind, 22));
    }
    narrate("a private address reaches the Internet through NAT (网络地址转换): the router");
    narrate("swaps in its own public address on the way out, and back on the way in");
}
