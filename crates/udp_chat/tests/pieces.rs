//! The library's small pieces, one module each: where a client binds, the
//! demo pair, `q`, the chat's JSON, the size limits, and the retry waits.

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::time::Duration;

use classroom::Traced;
use classroom::cli::ephemeral;
use classroom::tcp::closed_udp_port;
use udp_chat::chat::{LIMIT, decode, encode, wait_for_answer};
use udp_chat::limits::{
    ETHERNET_MTU, MAX_PAYLOAD, MAX_PAYLOAD_V6, ONE_FRAME, big_socket, fragments,
};
use udp_chat::lost_reply::Retry;
use udp_chat::{ANSWERS_PER_SECOND, Budget, client_addr_for, pair, until_quit};

#[test]
fn a_client_binds_loopback_for_a_server_on_loopback_and_every_address_otherwise() {
    let cases = [
        ("127.0.0.1:9000", "127.0.0.1:0"),
        ("[::1]:9000", "[::1]:0"),
        ("192.0.2.7:9000", "0.0.0.0:0"),
        ("[2001:db8::1]:9000", "[::]:0"),
    ];
    for (server, expected) in cases {
        let addr = client_addr_for(server.parse().unwrap());
        assert_eq!(addr, expected.parse().unwrap(), "{server}");
    }
}

#[test]
fn a_datagram_arrives_with_its_senders_address() {
    // The server answers with the address recv_from gave it; the client
    // checks that it is its own.
    let (answer, own) = pair(
        |socket| {
            let mut buf = [0u8; 16];
            let (_, from) = socket.recv_from(&mut buf)?;
            socket.send_to(from.to_string().as_bytes(), from).map(drop)
        },
        |addr| {
            let socket = UdpSocket::bind(client_addr_for(addr))?;
            socket.send_to(b"who am I?", addr)?;
            let mut buf = [0u8; 64];
            let (n, from) = socket.recv_from(&mut buf)?;
            assert_eq!(from, addr);
            Ok((
                String::from_utf8_lossy(&buf[..n]).into_owned(),
                socket.local_addr()?,
            ))
        },
    )
    .unwrap();
    assert_eq!(answer, own.to_string());
}

#[test]
fn q_ends_the_input_and_is_not_sent() {
    let socket = Traced::quiet(UdpSocket::bind("127.0.0.1:0").unwrap());
    let lines = ["a", "", "Q", "b"].map(String::from);
    let sent: Vec<String> = until_quit(&socket, lines.into_iter()).collect();
    assert_eq!(sent, ["a", ""]);
}

#[test]
fn a_server_answers_one_address_a_few_times_a_second_and_never_itself() {
    let socket = Traced::quiet(UdpSocket::bind("127.0.0.1:0").unwrap());
    let own = socket.local_addr().unwrap();
    let (client, another) = (
        "127.0.0.1:9".parse().unwrap(),
        "127.0.0.2:9".parse().unwrap(),
    );
    let mut budget = Budget::default();
    for _ in 0..ANSWERS_PER_SECOND {
        assert!(budget.may_answer(&socket, client).unwrap());
    }
    assert!(!budget.may_answer(&socket, client).unwrap());
    // Each address has a budget of its own.
    assert!(budget.may_answer(&socket, another).unwrap());
    assert!(!Budget::default().may_answer(&socket, own).unwrap());
}

#[test]
fn the_chat_client_gives_up_waiting_with_a_clear_error() {
    let socket = Traced::quiet(UdpSocket::bind("127.0.0.1:0").unwrap());
    let nobody = closed_udp_port().unwrap();
    let wait = Duration::from_millis(100);
    let err = wait_for_answer(&socket, nobody, &mut [0; 8], wait).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert_eq!(
        err.to_string(),
        format!("no answer from {nobody} within 0.1 s")
    );
}

#[test]
fn our_json_is_the_documents_fields_in_utf8() {
    let bytes = encode("server", "好的").unwrap();
    assert_eq!(bytes, r#"{"name":"server","msg":"好的"}"#.as_bytes());
}

#[test]
fn pythons_json_dumps_is_understood() {
    // json.dumps escapes non-ASCII and puts spaces after : and , by default.
    let python = br#"{"name": "server", "msg": "\u597d\u7684"}"#;
    let message = decode(python).unwrap();
    assert_eq!(
        (message.name.as_str(), message.msg.as_str()),
        ("server", "好的")
    );
}

#[test]
fn each_kind_of_bad_datagram_is_named() {
    let cases: [(&[u8], &str); 6] = [
        (b"hello", "not JSON"),
        (&[0xff, 0xfe], "not UTF-8"),
        (br#"{"name": "x"}"#, "missing field `msg`"),
        (br#"{"name": 1, "msg": "x"}"#, "invalid type: integer"),
        (br#"["x", "y"]"#, "JSON, but not an object"),
        (&[b' '; LIMIT + 1], "longer than 1024 bytes"),
    ];
    for (datagram, expected) in cases {
        let bad = decode(datagram).unwrap_err().to_string();
        assert!(
            bad.contains(expected),
            "{bad:?} should contain {expected:?}"
        );
    }
}

#[test]
fn a_message_too_long_for_the_other_side_is_not_sent() {
    let err = encode("client1", &"x".repeat(LIMIT)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(encode("client1", &"x".repeat(LIMIT - 40)).is_ok());
}

#[test]
fn the_documents_numbers() {
    assert_eq!(MAX_PAYLOAD, 65507);
    assert_eq!(MAX_PAYLOAD_V6, 65527);
    assert_eq!(ONE_FRAME, 1472);
}

#[test]
fn fragments_carry_multiples_of_eight_bytes() {
    assert_eq!(fragments(ONE_FRAME, ETHERNET_MTU), 1);
    assert_eq!(fragments(ONE_FRAME + 1, ETHERNET_MTU), 2);
    // 65515 bytes of UDP in 1480-byte pieces.
    assert_eq!(fragments(MAX_PAYLOAD, ETHERNET_MTU), 45);
    assert_eq!(fragments(MAX_PAYLOAD, 65536), 1);
    // macOS's loopback MTU.
    assert_eq!(fragments(MAX_PAYLOAD, 16384), 5);
}

#[test]
fn the_largest_datagram_goes_and_one_byte_more_does_not() {
    let (a, b) = (
        big_socket(ephemeral()).unwrap(),
        big_socket(ephemeral()).unwrap(),
    );
    let to = b.local_addr().unwrap();
    assert_eq!(a.send_to(&vec![0; MAX_PAYLOAD], to).unwrap(), MAX_PAYLOAD);
    let mut buf = vec![0; MAX_PAYLOAD + 1];
    assert_eq!(b.recv_from(&mut buf).unwrap().0, MAX_PAYLOAD);
    let err = a.send_to(&vec![0; MAX_PAYLOAD + 1], to).unwrap_err();
    assert!(classroom::errors::explain(&err).contains("65507"), "{err}");
}

/// IPv6 leaves its own header out of the length: 20 bytes more fit.
#[test]
fn over_ipv6_the_largest_datagram_is_65527_bytes() {
    let v6 = std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0));
    let (Ok(a), Ok(b)) = (big_socket(v6), big_socket(v6)) else {
        eprintln!("skipped: no IPv6 loopback (::1) on this machine");
        return;
    };
    let to = b.local_addr().unwrap();
    assert_eq!(
        a.send_to(&vec![0; MAX_PAYLOAD_V6], to).unwrap(),
        MAX_PAYLOAD_V6
    );
    let mut buf = vec![0; MAX_PAYLOAD_V6 + 1];
    assert_eq!(b.recv_from(&mut buf).unwrap().0, MAX_PAYLOAD_V6);
    let err = a.send_to(&vec![0; MAX_PAYLOAD_V6 + 1], to).unwrap_err();
    assert!(
        classroom::errors::hint(&err).is_some(),
        "EMSGSIZE expected: {err}"
    );
}

#[test]
fn each_try_waits_backoff_times_longer_than_the_one_before() {
    let waits: Vec<_> = (1..=3).map(|n| Retry::DEMO.wait(n)).collect();
    assert_eq!(waits, [100, 200, 400].map(Duration::from_millis));
}

#[test]
fn a_huge_backoff_saturates_instead_of_overflowing() {
    let retry = Retry {
        timeout: Duration::MAX,
        backoff: u32::MAX,
        ..Retry::DEMO
    };
    assert_eq!(retry.wait(1), Duration::MAX);
    assert_eq!(retry.wait(u32::MAX), Duration::MAX);
}
