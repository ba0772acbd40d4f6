//! `limits`: how big one datagram can be (document 000 §黏包 and document
//! 004 §粘包问题).
//!
//! An IPv4 packet's length field has 16 bits, so a packet is at most 65535
//! bytes; take away the IP header (20 bytes) and the UDP header (8) and one
//! datagram carries at most 65507 bytes. `sendto` with more fails with
//! "message too long" (`EMSGSIZE`). On a network whose frames carry 1500
//! bytes (the usual Ethernet MTU), 1500 − 20 − 8 = 1472 bytes fit one frame;
//! a bigger datagram is cut into IP fragments, and losing any fragment
//! loses the whole datagram.

use std::io;
use std::net::UdpSocket;

use classroom::cli::ephemeral;
use classroom::{Traced, narrate};
use socket2::SockRef;

/// The largest IPv4 packet: its total-length field has 16 bits.
pub const IP_PACKET_MAX: usize = 65535;
/// An IPv4 header without options.
pub const IP_HEADER: usize = 20;
/// The UDP header: source port, destination port, length, checksum.
pub const UDP_HEADER: usize = 8;

// ANCHOR: max_payload
/// The most one UDP datagram can carry over IPv4: 65535 − 20 − 8 = 65507.
pub const MAX_PAYLOAD: usize = IP_PACKET_MAX - IP_HEADER - UDP_HEADER;
// ANCHOR_END: max_payload

/// The usual Ethernet MTU: the most one frame carries above the link layer.
pub const ETHERNET_MTU: usize = 1500;

/// The most a datagram can carry in one 1500-byte frame: 1500 − 20 − 8.
pub const ONE_FRAME: usize = ETHERNET_MTU - IP_HEADER - UDP_HEADER;

/// The kernel buffer size the demo asks for: room for a few of the
/// largest datagrams.
pub const BUFFER: usize = 4 * 65536;

/// How many IP packets a datagram of `payload` bytes travels as on a link
/// with this MTU: one if it fits, otherwise fragments, each with its own IP
/// header and (all but the last) a multiple of 8 bytes of the datagram.
pub fn fragments(payload: usize, mtu: usize) -> usize {
    let datagram = UDP_HEADER + payload;
    if IP_HEADER + datagram <= mtu {
        return 1;
    }
    datagram.div_ceil((mtu - IP_HEADER) / 8 * 8)
}

// ANCHOR: big_socket
/// A socket that can send and receive the largest datagram. The kernel
/// keeps whole datagrams in the socket's buffers, so they must have room
/// for one: Linux's defaults do, macOS refuses to send a datagram bigger
/// than its send buffer (9216 bytes by default). Ask for more on both.
pub fn big_socket() -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind(ephemeral())?;
    let options = SockRef::from(&socket);
    options.set_recv_buffer_size(BUFFER)?;
    options.set_send_buffer_size(BUFFER)?;
    Ok(socket)
}
// ANCHOR_END: big_socket

/// The loopback interface's MTU, read from `/sys` (Linux only: other
/// systems have no `/sys`, and get `None`).
pub fn loopback_mtu() -> Option<usize> {
    std::fs::read_to_string("/sys/class/net/lo/mtu")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Send the largest datagram, then one byte more; explain both numbers.
pub fn demo() -> io::Result<()> {
    narrate(format!(
        "{IP_PACKET_MAX} (largest IPv4 packet) - {IP_HEADER} (IP header) - {UDP_HEADER} (UDP header) = {MAX_PAYLOAD} bytes of payload at most"
    ));
    let server = Traced::server(big_socket()?);
    let addr = server.local_addr()?;
    server.say(format!(
        "bound to {addr}; SO_RCVBUF is {} bytes",
        SockRef::from(&*server).recv_buffer_size()?
    ));
    let client = Traced::client(big_socket()?);

    // ANCHOR: boundary
    // The largest datagram goes, and arrives whole in a buffer big enough
    // for it: a Vec on the heap, since 64 KiB is a lot for a thread's stack.
    let mut buf = vec![0u8; MAX_PAYLOAD];
    client.send_to(&vec![b'x'; MAX_PAYLOAD], addr)?;
    server.recv_from(&mut buf)?;
    // One byte more does not go anywhere: sendto itself refuses it.
    match client.send_to(&vec![b'x'; MAX_PAYLOAD + 1], addr) {
        Err(e) => {
            client.say(format!("that send_to failed: {e}"));
            if let Some(hint) = classroom::errors::hint(&e) {
                client.say(format!("  hint: {hint}"));
            }
        }
        Ok(_) => return Err(io::Error::other("a 65508-byte datagram was sent")),
    }
    // ANCHOR_END: boundary

    narrate(format!(
        "{ETHERNET_MTU} (Ethernet MTU) - {IP_HEADER} - {UDP_HEADER} = {ONE_FRAME}: the largest payload that fits one Ethernet frame"
    ));
    match loopback_mtu() {
        Some(mtu) if mtu >= IP_PACKET_MAX => narrate(format!(
            "loopback's MTU here is {mtu} (/sys/class/net/lo/mtu): the {MAX_PAYLOAD}-byte datagram crossed it in one piece"
        )),
        Some(mtu) => narrate(format!(
            "loopback's MTU here is {mtu} (/sys/class/net/lo/mtu): even here the {MAX_PAYLOAD}-byte datagram went as {} IP fragments",
            fragments(MAX_PAYLOAD, mtu)
        )),
        None => narrate(
            "(the loopback MTU is read from /sys on Linux; on macOS `ifconfig lo0` shows it)",
        ),
    }
    narrate(format!(
        "across a {ETHERNET_MTU}-byte MTU it would travel as {} fragments, and losing one loses all: keep datagrams to {ONE_FRAME} bytes or less",
        fragments(MAX_PAYLOAD, ETHERNET_MTU)
    ));
    Ok(())
}
