//! The headline shows the glue on every run: two sends, one recv, then the
//! 0-byte read of the close. A demo that showed it "most of the time" would
//! fail a teacher in front of a class.

mod common;

use classroom::testing::{assert_one_line_per_syscall, run_ok};
use common::BIN;
use sticky_packet_demo::glue::{self, MESSAGES};

#[test]
fn two_sends_arrive_in_one_recv_in_100_runs_out_of_100() {
    let glued = MESSAGES.concat().into_bytes();
    for run in 1..=100 {
        let got = glue::exchange(&MESSAGES).unwrap();
        assert_eq!(got, glued, "run {run}: the server's one recv got less");
    }
}

#[test]
fn the_binary_with_no_arguments_is_the_glue_demo() {
    let text = run_ok(BIN, &[]);
    let expected = concat!(
        "[client] \"lbw正在吃\" in UTF-8: 6c 62 77 e6 ad a3 e5 9c a8 e5 90 83\n",
        "[client] send #1: 12 bytes \"lbw正在吃\"\n",
        "[client] \"翔\" in UTF-8: e7 bf 94\n",
        "[client] send #2: 3 bytes \"翔\"\n",
        "[server] 15 bytes are waiting in the receive buffer; now one recv(1024)\n",
        "[server] recv #1: 15 bytes \"lbw正在吃翔\"\n",
        "[server]   in hex: 6c 62 77 e6 ad a3 e5 9c a8 e5 90 83 e7 bf 94\n",
        "[server] recv #2: 0 bytes (EOF: the peer closed its side)\n",
        "* 2 sends arrived in 1 recv — TCP kept the bytes and their order, not the boundaries\n",
    );
    assert!(text.contains(expected), "{text}");
}

#[test]
fn every_printed_send_and_recv_is_one_system_call() {
    // `nagle` makes 1000 writes it says it does not print one by one.
    for step in ["glue", "split", "leftover", "udp"] {
        assert_one_line_per_syscall(BIN, &["demo", step]);
    }
}
