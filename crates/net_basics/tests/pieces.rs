//! The library's pieces, one module each: the subnet AND, the layers' sizes
//! and names, the tiny HTTP exchange, the kinds of address, and the hosts file.

use std::io::{self, Write};
use std::net::TcpStream;

use net_basics::http::{BODY, LIMIT, answer, get_request, head_complete, response, status_line};
use net_basics::ipv4::{self, binary};
use net_basics::layers::{EXAMPLE_SOURCE_MAC, OSI, Wrapped, encapsulate, hex_rows, mac};
use net_basics::subnet::{
    DOC_EXAMPLE, Mask, MaskError, and_steps, cidr, network, parse_mask, same_subnet,
};

// subnet
fn ip(text: &str) -> u32 {
    ipv4::parse(text).unwrap()
}

#[test]
fn the_documents_example_is_one_subnet() {
    let (a, b, mask) = DOC_EXAMPLE;
    assert_eq!((a, b), (ip("172.16.10.1"), ip("172.16.10.2")));
    assert_eq!(parse_mask("255.255.255.0").unwrap(), mask);
    assert_eq!(binary(a), "10101100.00010000.00001010.00000001");
    assert_eq!(binary(b), "10101100.00010000.00001010.00000010");
    assert_eq!(binary(mask.bits()), "11111111.11111111.11111111.00000000");
    assert_eq!(network(a, mask), ip("172.16.10.0"));
    assert_eq!(network(b, mask), ip("172.16.10.0"));
    assert!(same_subnet(a, b, mask));
    assert_eq!(cidr(a, mask), "172.16.10.0/24");
}

#[test]
fn the_gateway_example_is_two_subnets() {
    // Document 004 §2.1.9: networks A (192.168.1.x) and B (192.168.2.x).
    let mask = Mask::from_prefix(24).unwrap();
    assert!(!same_subnet(ip("192.168.1.1"), ip("192.168.2.1"), mask));
    // A shorter prefix makes a bigger subnet that holds both.
    let wide = Mask::from_prefix(16).unwrap();
    assert!(same_subnet(ip("192.168.1.1"), ip("192.168.2.1"), wide));
}

#[test]
fn and_steps_line_up_bit_under_bit() {
    let (a, _, mask) = DOC_EXAMPLE;
    assert_eq!(
        and_steps(a, mask),
        [
            "  172.16.10.1      10101100.00010000.00001010.00000001",
            "& 255.255.255.0    11111111.11111111.11111111.00000000",
            "= 172.16.10.0      10101100.00010000.00001010.00000000",
        ]
    );
}

#[test]
fn prefixes_and_masks_agree() {
    assert_eq!(Mask::from_prefix(24).unwrap().bits(), ip("255.255.255.0"));
    assert_eq!(Mask::from_prefix(0).unwrap().bits(), 0);
    assert_eq!(Mask::from_prefix(32).unwrap().bits(), u32::MAX);
    assert_eq!(Mask::from_prefix(20).unwrap().bits(), ip("255.255.240.0"));
    for len in 0..=32 {
        let mask = Mask::from_prefix(len).unwrap();
        assert_eq!(mask.prefix_len(), len);
        assert_eq!(Mask::from_bits(mask.bits()), Ok(mask));
    }
    assert_eq!(parse_mask("/24"), Mask::from_prefix(24));
    assert_eq!(Mask::from_prefix(33), Err(MaskError::PrefixTooLong(33)));
}

#[test]
fn masks_with_gaps_are_refused() {
    assert_eq!(
        parse_mask("255.0.255.0"),
        Err(MaskError::Gaps(ip("255.0.255.0")))
    );
    assert!(parse_mask("0.255.255.255").is_err());
    assert!(parse_mask("255.255.255.1").is_err());
    assert_eq!(
        parse_mask("255.0.255.0").unwrap_err().to_string(),
        "255.0.255.0 is not a subnet mask: its 1 bits must all come first, with no 0 between them (11111111.00000000.11111111.00000000)"
    );
}

#[test]
fn bad_mask_text_is_refused() {
    assert!(matches!(parse_mask("255.255.0"), Err(MaskError::Addr(_))));
    assert!(matches!(parse_mask("/x"), Err(MaskError::NotAPrefix(_))));
    assert!(matches!(parse_mask("/-1"), Err(MaskError::NotAPrefix(_))));
    assert_eq!(
        parse_mask("/33").unwrap_err().to_string(),
        "/33 is not a prefix length: an IPv4 mask has 0 to 32 bits"
    );
}

// layers
#[test]
fn each_layer_adds_its_header() {
    // The 35-byte GET of the walk.
    assert_eq!(
        encapsulate(35),
        Wrapped {
            data: 35,
            segment: 55,
            packet: 75,
            frame: 93
        }
    );
}

#[test]
fn short_packets_are_padded_to_a_64_byte_frame() {
    // A bare TCP segment (an ACK, no data) is 40 bytes with its IP
    // header; Ethernet pads it to 46, so the frame is 64.
    assert_eq!(encapsulate(0).packet, 40);
    assert_eq!(encapsulate(0).frame, 64);
    assert_eq!(encapsulate(6).frame, 64);
    assert_eq!(encapsulate(7).frame, 65);
}

#[test]
fn the_osi_table_runs_7_to_1_and_folds_into_tcp_ip() {
    let numbers: Vec<u8> = OSI.iter().map(|l| l.0).collect();
    assert_eq!(numbers, [7, 6, 5, 4, 3, 2, 1]);
    let application: Vec<&str> = OSI
        .iter()
        .filter(|l| l.2 == "application")
        .map(|l| l.4)
        .collect();
    assert_eq!(application, ["应用层", "表示层", "会话层"]);
}

#[test]
fn macs_are_written_with_dashes() {
    assert_eq!(mac(EXAMPLE_SOURCE_MAC), "00-00-5e-00-53-01");
    assert_eq!(mac([0xff; 6]), "ff-ff-ff-ff-ff-ff");
}

#[test]
fn hex_rows_hold_16_bytes_each() {
    let rows = hex_rows(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(
        rows,
        [
            "0000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a",
            "0010  48 6f 73 74 3a 20 78 0d 0a 0d 0a",
        ]
    );
    assert!(hex_rows(b"").is_empty());
}

// http
#[test]
fn the_request_is_a_line_a_header_and_an_empty_line() {
    let request = get_request("localhost");
    assert_eq!(request, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(request.len(), 35);
    assert!(head_complete(&request));
    assert!(!head_complete(&request[..request.len() - 1]));
}

#[test]
fn status_lines_are_found_or_not() {
    assert_eq!(
        status_line(&response(b"GET / HTTP/1.1\r\n\r\n")),
        Some("HTTP/1.1 200 OK")
    );
    assert_eq!(
        status_line(&response(b"POST / HTTP/1.1\r\n\r\n")),
        Some("HTTP/1.1 400 Bad Request")
    );
    assert_eq!(status_line(b"hello\r\n"), None);
    assert_eq!(status_line(b"HTTP/1.1 200 OK"), None); // no line end yet
    assert_eq!(status_line(&[0xff, b'\r', b'\n']), None);
}

#[test]
fn content_length_counts_the_body() {
    let text = String::from_utf8(response(b"GET ")).unwrap();
    assert!(text.contains(&format!("Content-Length: {}\r\n", BODY.len())));
    assert!(text.ends_with(&format!("\r\n\r\n{BODY}")));
}

#[test]
fn a_request_head_past_the_limit_is_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    client.write_all(&vec![b'a'; LIMIT + 1]).unwrap();
    let err = answer(&mut conn).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
}

// kind

/// The blocks agree with std's own tests, addresses at each edge included.
#[test]
fn the_kinds_agree_with_std_at_every_edge() {
    use net_basics::kind::block;
    let kind = |text: &str| block(ip(text)).map_or("public (公网地址)", |b| b.2);
    for text in [
        "9.255.255.255",
        "10.0.0.0",
        "10.255.255.255",
        "11.0.0.0",
        "172.15.255.255",
        "172.16.0.0",
        "172.31.255.255",
        "172.32.0.0",
        "192.167.255.255",
        "192.168.0.0",
        "192.168.255.255",
        "192.169.0.0",
        "127.0.0.1",
        "169.254.0.1",
        "224.0.0.251",
        "239.255.0.1",
        "255.255.255.255",
        "1.0.0.0",
        "192.0.2.7",
        "110.242.68.3",
    ] {
        let std: std::net::Ipv4Addr = text.parse().unwrap();
        let expected = if std.is_private() {
            "private (私有地址)"
        } else if std.is_loopback() {
            "loopback (环回地址)"
        } else if std.is_link_local() {
            "link-local (链路本地)"
        } else if std.is_multicast() {
            "multicast (组播)"
        } else if std.is_broadcast() {
            "broadcast (广播)"
        } else if std.is_documentation() {
            "documentation (文档)"
        } else {
            "public (公网地址)"
        };
        assert_eq!(kind(text), expected, "{text}");
    }
    // 0.0.0.0/8, 240.0.0.0/4 and the shared address space (std's
    // `is_reserved` and `is_shared` are not stable yet).
    assert_eq!(kind("0.0.0.0"), "this network (本网络)");
    assert_eq!(kind("0.255.255.255"), "this network (本网络)");
    assert_eq!(kind("240.0.0.1"), "reserved (保留)");
    assert_eq!(kind("255.255.255.254"), "reserved (保留)");
    assert_eq!(kind("100.63.255.255"), "public (公网地址)");
    assert_eq!(kind("100.64.0.0"), "shared (运营商NAT)");
    assert_eq!(kind("100.127.255.255"), "shared (运营商NAT)");
    assert_eq!(kind("100.128.0.0"), "public (公网地址)");
}

// resolve

#[test]
fn hosts_lines_find_a_name_in_any_case_and_skip_comments() {
    use net_basics::resolve::hosts_lines;
    let hosts = "# a comment naming localhost\n127.0.0.1\tlocalhost  vm\n::1 ip6-localhost LocalHost # both\n10.0.0.5 files.lan\n";
    assert_eq!(
        hosts_lines(hosts, "localhost"),
        ["127.0.0.1 localhost vm", "::1 ip6-localhost LocalHost"]
    );
    assert_eq!(hosts_lines(hosts, "FILES.lan"), ["10.0.0.5 files.lan"]);
    // An address is not a name, and a name inside a comment does not count.
    assert!(hosts_lines(hosts, "127.0.0.1").is_empty());
    assert!(hosts_lines(hosts, "comment").is_empty());
}

#[test]
fn nsswitch_says_which_sources_come_first() {
    use net_basics::resolve::host_sources;
    let conf = "passwd: files\nhosts:          files mdns4_minimal [NOTFOUND=return] dns\n";
    assert_eq!(
        host_sources(conf).as_deref(),
        Some("files mdns4_minimal [NOTFOUND=return] dns")
    );
    assert_eq!(host_sources("passwd: files\n"), None);
}

/// `localhost` is answered on this machine, with no network: every system
/// resolves it to a loopback address.
#[test]
fn localhost_resolves_to_loopback_and_numbers_to_themselves() {
    use net_basics::resolve::lookup;
    let addrs = lookup("localhost").unwrap();
    assert!(
        !addrs.is_empty() && addrs.iter().all(|a| a.is_loopback()),
        "{addrs:?}"
    );
    assert_eq!(
        lookup("192.0.2.7").unwrap(),
        ["192.0.2.7".parse::<std::net::IpAddr>().unwrap()]
    );
}
