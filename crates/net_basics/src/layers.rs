//! `layers`: one real HTTP GET, walked down the layers (分层).
//!
//! Each layer wraps what the layer above hands it in a header of its own,
//! like a parcel put inside a bigger box with a new label: this is
//! encapsulation (封装). The receiver takes the boxes off in reverse order
//! (解封装). Document 002 (§1. OSI 7层模型) walks a GET to a search engine
//! this way, and document 004 (§2.4) lists the same steps; here the request
//! is real, sent on loopback to a server in this process, and the ports and
//! addresses are read from the connected socket instead of invented.

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};

use classroom::bytes::{hex, show};
use classroom::narrate;
use classroom::output::describe;
use classroom::read::read_until;

use crate::http;

/// A TCP header without options.
pub const TCP_HEADER: usize = 20;
/// An IPv4 header without options.
pub const IPV4_HEADER: usize = 20;
/// An Ethernet header: destination MAC (6), source MAC (6), type (2).
pub const ETHERNET_HEADER: usize = 14;
/// The Ethernet trailer: a 4-byte checksum, the frame check sequence.
pub const ETHERNET_FCS: usize = 4;
/// Ethernet pads a shorter packet up to this size, so that every frame is
/// at least 64 bytes long.
pub const ETHERNET_MIN_PAYLOAD: usize = 46;

/// The OSI model (OSI七层模型), top to bottom: each layer's number and
/// name, the layer of the five-layer TCP/IP model it belongs to, what it
/// contributes to the request in this walk, and the documents' Chinese name.
/// TCP/IP folds the top three into one application layer: a program does its
/// own formatting and encoding. Opening and closing the connection is TCP's
/// work, layer 4, not the session layer's.
#[rustfmt::skip]
pub const OSI: [(u8, &str, &str, &str, &str); 7] = [
    (7, "application",  "application", "the HTTP request text",           "应用层"),
    (6, "presentation", "application", "the text encoded as bytes",       "表示层"),
    (5, "session",      "application", "nothing here (connect is layer 4)", "会话层"),
    (4, "transport",    "transport",   "TCP: ports, connect() and close()", "传输层"),
    (3, "network",      "network",     "IP header: the two IP addresses", "网络层"),
    (2, "data link",    "link",        "Ethernet header: the two MACs",   "数据链路层"),
    (1, "physical",     "physical",    "bits as signals on a medium",     "物理层"),
];

/// A MAC address from the block reserved for documentation (RFC 7042,
/// 00-00-5e-00-53-xx), standing for this machine's network card.
pub const EXAMPLE_SOURCE_MAC: [u8; 6] = [0x00, 0x00, 0x5e, 0x00, 0x53, 0x01];
/// The same documentation block, standing for the next hop's card.
pub const EXAMPLE_NEXT_HOP_MAC: [u8; 6] = [0x00, 0x00, 0x5e, 0x00, 0x53, 0x02];

// ANCHOR: sizes
/// How big the request is after each layer has added its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrapped {
    /// What the application wrote.
    pub data: usize,
    /// TCP header + data: a segment (段).
    pub segment: usize,
    /// IP header + segment: a packet (数据包).
    pub packet: usize,
    /// Ethernet header + packet (padded if short) + checksum: a frame (帧).
    pub frame: usize,
}

/// Wrap `data` bytes in TCP, then IP, then Ethernet.
pub fn encapsulate(data: usize) -> Wrapped {
    let segment = TCP_HEADER + data;
    let packet = IPV4_HEADER + segment;
    let frame = ETHERNET_HEADER + packet.max(ETHERNET_MIN_PAYLOAD) + ETHERNET_FCS;
    Wrapped {
        data,
        segment,
        packet,
        frame,
    }
}
// ANCHOR_END: sizes

/// A MAC address the way `ipconfig` and the documents write it:
/// `00-00-5e-00-53-01`.
pub fn mac(bytes: [u8; 6]) -> String {
    bytes.map(|b| format!("{b:02x}")).join("-")
}

/// A hex dump, 16 bytes a row, each row starting with its offset in hex.
pub fn hex_rows(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(row, chunk)| format!("{:04x}  {}", row * 16, hex(chunk)))
        .collect()
}

/// Print the OSI table and its TCP/IP column.
pub fn print_model() {
    println!(
        "{:<16}{:<14}{:<35}中文",
        "OSI layer", "TCP/IP layer", "in this request"
    );
    for (number, name, tcp_ip, here, chinese) in OSI {
        let osi = format!("{number} {name}");
        println!("{osi:<16}{tcp_ip:<14}{here:<35}{chinese}");
    }
    narrate(
        "the 4-layer TCP/IP model merges link and physical into one (网络接口层, network access)",
    );
}

// ANCHOR: walk
/// The `layers` tool: send one real GET on loopback and show what each
/// layer adds, with the ports and addresses read from the sockets.
pub fn walk() -> io::Result<()> {
    print_model();
    println!();
    // Port 0: the OS picks a free port, so the walk never collides with
    // another program, or with another copy of itself.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let server = listener.local_addr()?;
    narrate(format_args!(
        "a tiny HTTP server listens on {server} in this process: loopback only, no internet"
    ));
    // connect() does the three-way handshake (三次握手, lesson 01); when it
    // returns, the kernel has picked our source port and the 4-tuple exists.
    let mut stream = TcpStream::connect(server)?;
    let (mut conn, seen) = listener.accept()?; // the server's end, and who it sees
    let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
    println!("connected: {local} -> {peer} (the 4-tuple, 四元组)");
    println!();

    let request = http::get_request("localhost");
    print_layers(&request, encapsulate(request.len()), local, peer);
    println!();

    // One thread plays both ends in turn: the kernel keeps the bytes
    // each side sends until the other side reads them.
    stream.write_all(&request)?;
    let received = http::answer(&mut conn)?;
    drop(conn); // the server closes: that is where the response ends
    let response = read_until(&mut stream, http::LIMIT, |_| false)?;
    print_arrival(&response, &received, seen == local, seen);
    Ok(())
}
// ANCHOR_END: walk

/// Top to bottom, what each layer adds to `request` on its way out.
fn print_layers(request: &[u8], size: Wrapped, local: SocketAddr, peer: SocketAddr) {
    let Wrapped {
        data,
        segment,
        packet,
        frame,
    } = size;
    let (next_hop, this_card) = (mac(EXAMPLE_NEXT_HOP_MAC), mac(EXAMPLE_SOURCE_MAC));
    println!("7 application (应用层): the HTTP request, {data} bytes");
    println!("  {}", show(request));
    for row in hex_rows(request) {
        println!("  {row}");
    }
    println!("6 presentation (表示层): the text as UTF-8 bytes (plain ASCII here), no header");
    println!(
        "5 session (会话层): no header; sessions (a login, TLS) are the program's, connect() TCP's"
    );
    println!(
        "4 transport (传输层): + TCP header {TCP_HEADER} bytes = segment (段) of {segment} bytes"
    );
    println!(
        "  source port       {}  (picked by the kernel at connect)",
        local.port()
    );
    println!(
        "  destination port  {}  (where the server listens)",
        peer.port()
    );
    println!("  connect() and close() are TCP's too: handshake (三次握手) and FIN (四次挥手)");
    println!(
        "3 network (网络层): + IPv4 header {IPV4_HEADER} bytes = packet (数据包) of {packet} bytes"
    );
    println!("  source IP         {}", local.ip());
    println!("  destination IP    {}", peer.ip());
    println!(
        "2 data link (数据链路层): + Ethernet header {ETHERNET_HEADER} bytes + FCS {ETHERNET_FCS} bytes = frame (帧) of {frame} bytes"
    );
    println!("  destination MAC   {next_hop}  (example: the next hop's card, found by ARP)");
    println!("  source MAC        {this_card}  (example: this machine's card)");
    println!("  type              0x0800 (IPv4)");
    let bits = frame * 8;
    println!(
        "1 physical (物理层): {frame} bytes = {bits} bits, as signals on a cable, a fibre or radio"
    );
    narrate("the MACs are placeholders from the range kept for documentation (RFC 7042):");
    narrate("a packet to 127.0.0.1 never reaches a network card, so it has no real MAC to read");
}

/// What came back, and what the server saw arrive from `seen`.
fn print_arrival(response: &[u8], received: &[u8], ours: bool, seen: SocketAddr) {
    match http::status_line(response) {
        Some(status) => println!("the server answered: {status}"),
        None => println!(
            "the server answered without a status line: {}",
            show(response)
        ),
    }
    let verdict = if ours { "our" } else { "not our" };
    println!("the server's accept() saw {seen}: {verdict} source address and port");
    println!("the server received {}", describe(received));
    narrate(
        "on the way up each layer took its header off (解封装): the server got the bytes we wrote",
    );
    narrate("the reply came back through the same layers, source and destination swapped:");
    narrate("an IP address and a port are also a return address");
}
