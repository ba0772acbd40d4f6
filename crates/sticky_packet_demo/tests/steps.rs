//! Each step's pieces on real loopback sockets: the wait that makes the
//! demos deterministic, the segment counter, and what every step's
//! exchange returns.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;

use sticky_packet_demo::buffers::{self, FILE};
use sticky_packet_demo::leftover::tail;
use sticky_packet_demo::nagle::{SENDS, burst};
use sticky_packet_demo::split::{self, TEXT, Utf8Carry, decode_naive};
use sticky_packet_demo::udp::{self, DATAGRAMS};
use sticky_packet_demo::wait::{bytes_waiting, wait_until_buffered};

fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}

#[test]
fn the_wait_waits_for_the_last_byte_and_takes_nothing() {
    let (mut client, mut server) = pair();
    let (first_sent, wrote_first) = mpsc::channel();
    let writer = thread::spawn(move || {
        client.write_all(b"lbw").unwrap();
        first_sent.send(()).unwrap();
        client.write_all(b"!").unwrap();
        client
    });
    wrote_first.recv().unwrap();
    // Returns only once all 4 bytes are in, whenever the "!" lands.
    assert_eq!(wait_until_buffered(&server, 4).unwrap(), 4);
    let _client = writer.join().unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(server.read(&mut buf).unwrap(), 4, "the peek took nothing");
    assert_eq!(server.read_timeout().unwrap(), None, "timeout restored");
}

#[test]
fn a_closed_peer_ends_the_wait_with_what_is_there() {
    let (mut client, server) = pair();
    client.write_all(b"ab").unwrap();
    drop(client);
    assert_eq!(wait_until_buffered(&server, 100).unwrap(), 2);
}

#[test]
fn what_is_waiting_is_counted_without_blocking() {
    let (mut client, server) = pair();
    assert_eq!(bytes_waiting(&server).unwrap(), 0);
    client.write_all(b"hello").unwrap();
    wait_until_buffered(&server, 5).unwrap();
    assert_eq!(bytes_waiting(&server).unwrap(), 5);
    assert_eq!(bytes_waiting(&server).unwrap(), 5, "still there");
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_that_is_received_cost_at_least_one_segment() {
    use sticky_packet_demo::tcp_info::segments_sent;
    let (mut client, mut server) = pair();
    let before = segments_sent(&client).unwrap();
    assert!(before >= 1, "the handshake's SYN counts");
    client.write_all(b"hello").unwrap();
    server.read_exact(&mut [0u8; 5]).unwrap();
    assert!(segments_sent(&client).unwrap() > before);
    // An empty write sends nothing at all.
    let after = segments_sent(&client).unwrap();
    assert_eq!(client.write(b"").unwrap(), 0);
    assert_eq!(segments_sent(&client).unwrap(), after);
}

#[test]
fn every_tiny_write_arrives_in_order_whatever_the_segments() {
    let sent: Vec<u8> = b"0123456789".iter().copied().cycle().take(SENDS).collect();
    for nodelay in [false, true] {
        let burst = burst(nodelay).unwrap();
        assert_eq!(burst.read, sent, "one late recv gets every write");
        #[cfg(target_os = "linux")]
        assert!((1..=SENDS as u32).contains(&burst.segments.unwrap()));
    }
}

#[test]
fn the_reads_are_cut_at_the_same_places_every_run() {
    assert_eq!(
        split::one_message_many_reads().unwrap(),
        [1024, 1024, 1024, 928]
    );
    assert_eq!(
        split::two_files_fixed_reads().unwrap(),
        [(1000, 0), (500, 500), (0, 1000)]
    );
    assert_eq!(split::cut_characters().unwrap(), TEXT);
}

#[test]
fn every_datagram_is_its_own_message() {
    let reads = udp::datagrams_keep_their_boundaries().unwrap();
    let sent: Vec<&[u8]> = DATAGRAMS.iter().map(|m| m.as_bytes()).collect();
    assert_eq!(reads, sent);
}

#[test]
fn an_empty_tcp_write_sends_nothing() {
    assert_eq!(udp::empty_tcp_write().unwrap(), (b"marker".to_vec(), 0));
}

#[test]
fn a_carry_joins_characters_cut_by_reads() {
    let bytes = TEXT.as_bytes();
    for size in 1..=bytes.len() {
        let mut carry = Utf8Carry::default();
        let text: String = bytes
            .chunks(size)
            .map(|chunk| carry.push(chunk).unwrap())
            .collect();
        assert_eq!(text, TEXT, "reads of {size}");
        assert_eq!(carry.pending(), 0);
    }
}

#[test]
fn bytes_that_are_not_utf8_are_still_an_error() {
    let mut carry = Utf8Carry::default();
    assert!(carry.push(&[0xff, b'a']).is_err());
    assert_eq!(
        carry.push(b"ok").unwrap(),
        "ok",
        "the bad bytes are dropped"
    );
}

#[test]
fn decoding_a_cut_read_alone_fails() {
    let cut = &TEXT.as_bytes()[..4];
    let err = decode_naive(cut).unwrap_err();
    assert_eq!(
        err.to_string(),
        "incomplete utf-8 byte sequence from index 3"
    );
}

#[test]
fn a_tail_starts_on_a_character() {
    assert_eq!(tail(b"abcdef", 2), b"ef");
    assert_eq!(tail(b"ab", 5), b"ab");
    assert_eq!(tail("a翔".as_bytes(), 2), "翔".as_bytes());
}

#[test]
fn a_recv_returns_half_a_file_before_the_rest_is_written() {
    assert_eq!(buffers::half_a_file().unwrap(), (FILE / 2, FILE / 2));
}

#[test]
fn written_bytes_stay_in_the_send_buffer_until_acknowledged() {
    let (written, waiting, after) = buffers::kept_until_acked().unwrap();
    assert!(written > 0);
    if cfg!(target_os = "linux") {
        let waiting = waiting.unwrap();
        assert!(waiting > 0 && waiting <= written, "{waiting} of {written}");
        assert_eq!(after, Some(0), "the server's ACKs freed them");
    } else {
        assert_eq!((waiting, after), (None, None));
    }
}
