//! Lesson 00: network basics, as five small tools.
//!
//! Before any socket, the documents explain what a program needs to find
//! another one on a network: an IP address (IP地址) for the machine, a port
//! (端口) for the program, a subnet mask (子网掩码) to know who is near, and
//! the layers (分层) that wrap every message. Each tool re-creates one of
//! their worked examples, with the real numbers.
//!
//! | tool | module | documents |
//! |---|---|---|
//! | `ip 100.4.5.6` | [`ipv4`] | 000 §网络基础 (1.什么是ip地址), 004 §2.1.2 |
//! | `subnet 172.16.10.1 172.16.10.2 255.255.255.0` | [`subnet`] | 004 §2.1.7 子网掩码 |
//! | `kind 192.168.10.1 110.242.68.3` | [`kind`] | 002's exercise (公网IP) |
//! | `layers` | [`layers`], [`http`] | 002 §1. OSI 7层模型, 004 §2.4 |
//! | `resolve localhost` | [`resolve`] | 002's exercise (域名), 002 §1 (DNS) |
//!
//! Lesson file: `lessons/00-net-basics.md`.
#![warn(missing_docs)]

pub mod http;
pub mod ipv4;
pub mod kind;
pub mod layers;
pub mod resolve;
pub mod subnet;

use std::io;

use classroom::{heading, narrate};

/// The tour `net_basics` runs with no arguments: each tool on the
/// documents' own example.
pub fn tour() -> io::Result<()> {
    narrate("lesson 00: each tool on the documents' own example; `--help` lists them");
    println!();
    heading(format_args!(
        "net_basics ip {}",
        ipv4::dotted(ipv4::DOC_EXAMPLE)
    ));
    ipv4::explain(ipv4::DOC_EXAMPLE);
    println!();
    let (a, b, mask) = subnet::DOC_EXAMPLE;
    heading(format_args!(
        "net_basics subnet {} {} {}",
        ipv4::dotted(a),
        ipv4::dotted(b),
        ipv4::dotted(mask.bits())
    ));
    subnet::explain(a, b, mask);
    println!();
    heading("net_basics kind (document 002's addresses, and one of each kind)");
    kind::explain(&kind::DOC_EXAMPLES.map(u32::from_be_bytes));
    println!();
    heading("net_basics layers");
    layers::walk()?;
    println!();
    heading("net_basics resolve localhost");
    resolve::explain("localhost")?;
    println!();
    narrate("next: lesson 01 (cargo run -p tcp_basic) opens the sockets these layers carry");
    Ok(())
}
