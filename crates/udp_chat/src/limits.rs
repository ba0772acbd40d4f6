//! `limits`: how big one datagram can be (document 000 §黏包, document 004
//! §粘包问题): 65535 − 20 − 8 = 65507 bytes over IPv4, 65535 − 8 = 65527
//! over IPv6 (its length leaves out its own header); more fails with
//! `EMSGSIZE`. 1472 bytes fit one 1500-byte Ethernet frame; a bigger
//! datagram travels as IP fragments, and losing one loses it all.

use std::io;
use std::net::{Ipv6Addr, SocketAddr, UdpSocket};

use classroom::cli::ephemeral;
use classroom::{Side, Traced, narrate};
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

/// Over IPv6: its 16-bit payload length leaves out the 40-byte IPv6 header.
pub const MAX_PAYLOAD_V6: usize = IP_PACKET_MAX - UDP_HEADER;

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
pub fn big_socket(addr: SocketAddr) -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind(addr)?;
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

// ANCHOR: boundary
/// Send `max` bytes to `server`, then one byte more. The first datagram
/// arrives whole in a buffer big enough for it (a Vec on the heap: 64 KiB
/// is a lot for a thread's stack); `sendto` itself refuses the second.
pub fn largest(
    client: &Traced<UdpSocket>,
    server: &Traced<UdpSocket>,
    max: usize,
) -> io::Result<()> {
    let (addr, mut buf) = (server.local_addr()?, vec![0u8; max]);
    client.send_to(&vec![b'x'; max], addr)?;
    server.recv_from(&mut buf)?;
    match client.send_to(&vec![b'x'; max + 1], addr) {
        Err(e) => client.say(format!("that send_to failed: {e}")),
        Ok(_) => {
            return Err(io::Error::other(format!(
                "a {}-byte datagram was sent",
                max + 1
            )));
        }
    }
    Ok(())
}
// ANCHOR_END: boundary

/// Send the largest datagram, then one byte more, over IPv4 and IPv6;
/// explain both numbers and 1472.
pub fn demo() -> io::Result<()> {
    narrate(format!(
        "{IP_PACKET_MAX} (largest IPv4 packet) - {IP_HEADER} (IP header) - {UDP_HEADER} (UDP header) = {MAX_PAYLOAD} bytes of payload at most"
    ));
    let server = Traced::server(big_socket(ephemeral())?);
    server.say(format!(
        "bound to {}; SO_RCVBUF is {} bytes",
        server.local_addr()?,
        SockRef::from(&*server).recv_buffer_size()?
    ));
    let client = Traced::client(big_socket(ephemeral())?);
    largest(&client, &server, MAX_PAYLOAD)?;
    narrate(format!(
        "IPv6 counts its length after its own header: {IP_PACKET_MAX} - {UDP_HEADER} = {MAX_PAYLOAD_V6} on ::1"
    ));
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, 0));
    match (big_socket(v6), big_socket(v6)) {
        (Ok(server), Ok(client)) => {
            let (server, client) = (Traced::new(server, Side::server()), Traced::client(client));
            largest(&client, &server, MAX_PAYLOAD_V6)?;
        }
        (Err(e), _) | (_, Err(e)) => narrate(format!("no IPv6 loopback here ({e}): skipped")),
    }

    narrate(format!(
        "{ETHERNET_MTU} (Ethernet MTU) - {IP_HEADER} - {UDP_HEADER} = {ONE_FRAME}: the most that fits one 1500-byte frame"
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
        "across a {ETHERNET_MTU}-byte MTU it would travel as {} fragments (分片), and losing one loses all",
        fragments(MAX_PAYLOAD, ETHERNET_MTU)
    ));
    narrate(
        "real paths are often narrower than 1500 (PPPoE, VPNs): QUIC keeps datagrams to about 1200",
    );
    Ok(())
}
