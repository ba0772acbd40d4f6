//! Dotted decimal both ways: the documents' example in binary, agreement
//! with std's own parser, and one named reason for each mistake.

use std::net::Ipv4Addr;

use net_basics::ipv4::{
    DOC_EXAMPLE, Problem, Why, binary, bit_range, dotted, octets, parse, place_values,
};

#[test]
fn the_documents_example_in_binary() {
    let addr = parse("100.4.5.6").unwrap();
    assert_eq!(addr, DOC_EXAMPLE);
    assert_eq!(binary(addr), "01100100.00000100.00000101.00000110");
    assert_eq!(addr, 1_677_985_030);
    assert_eq!(addr, 100 * (1 << 24) + 4 * (1 << 16) + 5 * (1 << 8) + 6);
    assert_eq!(place_values(addr), "100*2^24 + 4*2^16 + 5*2^8 + 6");
}

#[test]
fn octets_are_most_significant_first() {
    assert_eq!(octets(0x6404_0506), [100, 4, 5, 6]);
    assert_eq!(dotted(0x6404_0506), "100.4.5.6");
    assert_eq!(dotted(0), "0.0.0.0");
    assert_eq!(dotted(u32::MAX), "255.255.255.255");
    assert_eq!(binary(u32::MAX), "11111111.11111111.11111111.11111111");
}

#[test]
fn bit_ranges_count_down_from_31() {
    assert_eq!(bit_range(1), "bits 31-24");
    assert_eq!(bit_range(2), "bits 23-16");
    assert_eq!(bit_range(4), "bits 7-0");
}

#[test]
fn parsing_agrees_with_std() {
    for text in [
        "0.0.0.0",
        "127.0.0.1",
        "172.16.10.1",
        "255.255.255.255",
        "10.0.0.255",
    ] {
        let ours = parse(text).unwrap();
        let std: Ipv4Addr = text.parse().unwrap();
        assert_eq!(ours, u32::from(std), "{text}");
        assert_eq!(dotted(ours), std.to_string());
    }
    for bad in [
        "300.1.2.3",
        "1.2.3",
        "a.b.c.d",
        "1..2.3",
        "01.2.3.4",
        "1.2.3.4.5",
        "",
        "+1.2.3.4",
        " 1.2.3.4",
        "1.2.3.99999999999",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
        assert!(bad.parse::<Ipv4Addr>().is_err(), "{bad}");
    }
}

#[test]
fn each_mistake_is_named() {
    let why = |text: &str| match parse(text).unwrap_err().problem().clone() {
        Problem::Octet { position, why, .. } => (position, why),
        other => panic!("{other:?}"),
    };
    assert_eq!(why("300.1.2.3"), (1, Why::TooBig));
    assert_eq!(why("1.2.3.256"), (4, Why::TooBig));
    assert_eq!(why("a.b.c.d"), (1, Why::NotDecimal));
    assert_eq!(why("1..2.3"), (2, Why::Empty));
    assert_eq!(why("1.2.03.4"), (3, Why::LeadingZero));
    assert_eq!(
        *parse("1.2.3").unwrap_err().problem(),
        Problem::PartCount(3)
    );
}

#[test]
fn errors_read_as_one_sentence() {
    assert_eq!(
        parse("300.1.2.3").unwrap_err().to_string(),
        "\"300.1.2.3\" is not an IPv4 address: octet 1 \"300\" is more than 255, the largest number one byte (8 bits) holds"
    );
    assert_eq!(
        parse("1.2.3").unwrap_err().to_string(),
        "\"1.2.3\" is not an IPv4 address: it has 3 parts, dotted decimal has exactly 4"
    );
    assert_eq!(
        parse("a.b.c.d").unwrap_err().to_string(),
        "\"a.b.c.d\" is not an IPv4 address: octet 1 \"a\" is not a decimal number"
    );
    assert!(!parse("x").unwrap_err().to_string().contains('\n'));
}
