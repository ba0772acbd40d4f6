//! Every demo prints the same output run after run (ports and the kernel's
//! buffer size aside): the roles are ordered, not timed, and each demo
//! shows its effect every time.

use classroom::testing::{assert_one_line_per_syscall, assert_same_every_run, demo_steps, run_ok};

const BIN: &str = env!("CARGO_BIN_EXE_udp_chat");
const RUNS: usize = 20;

/// Besides ports (also inside the `many` step's replies, which name them)
/// and durations, the receive buffer the kernel gave.
const RULES: [(&str, &str); 3] = [
    (r"SO_RCVBUF is \d+ bytes", "SO_RCVBUF is N bytes"),
    // IPv6 loopback, the broadcast address and the multicast group.
    (
        r"(127\.255\.255\.255|239\.255\.0\.1|\[::1\]):\d+",
        "$1:PORT",
    ),
    // The "hi 127.0.0.1:PORT" replies have a length that depends on the port.
    (r"\d+ bytes (\x22hi 127)", "N bytes $1"),
];

/// Run `udp_chat ARGS`, which must exit 0; its stdout.
fn run(args: &[&str]) -> String {
    run_ok(BIN, args)
}

#[test]
fn every_demo_prints_the_same_every_run() {
    assert_same_every_run(BIN, &["demo", "all"], RUNS, &RULES);
}

/// One printed `send #N` / `recv #N` is one `sendto` / `recvfrom`, the
/// refused 65508-byte send and the refused broadcast included. Left out: the steps that also make
/// calls they mean to fail or hide (`many`'s client listening in vain,
/// `lost-reply`'s timed-out waits and lost datagram, the wake-up datagram
/// that ends `lost-reply-broken`); their narration says so.
#[test]
fn each_printed_send_and_recv_is_one_system_call() {
    for step in [
        "hello",
        "chat",
        "boundaries",
        "truncate",
        "limits",
        "same-port",
        "broadcast",
        "multicast",
    ] {
        assert_one_line_per_syscall(BIN, &["demo", step]);
    }
}

#[test]
fn limits_shows_the_65507_65508_boundary() {
    let text = run(&["demo", "limits"]);
    assert!(text.contains("[client] send #1: 65507 bytes"), "{text}");
    assert!(text.contains("[server] recv #1: 65507 bytes"), "{text}");
    // The 65508-byte send_to is made (one sendto system call, one line)
    // and refused.
    assert!(text.contains("[client] send #2: 65508 bytes"), "{text}");
    assert!(
        text.contains("[client] that send_to failed: Message too long (os error"),
        "{text}"
    );
}

#[test]
fn the_headline_is_the_json_chat() {
    let text = run(&[]);
    assert!(
        text.contains("[server] message from client1: 你好\n"),
        "{text}"
    );
    assert!(
        text.contains("[client] message from server: hi!\n"),
        "{text}"
    );
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(
        demo_steps(BIN),
        [
            "hello",
            "chat",
            "many",
            "boundaries",
            "truncate",
            "limits",
            "same-port",
            "lost-reply-broken",
            "lost-reply",
            "broadcast",
            "multicast"
        ]
    );
}

/// Linux: without SO_BROADCAST the kernel refuses the datagram; with it,
/// one sendto reaches both clients. A group reaches both members.
#[test]
fn one_sendto_reaches_both_clients_by_broadcast_and_by_multicast() {
    if !cfg!(target_os = "linux") {
        return; // loopback has no broadcast address elsewhere: the demo says so
    }
    let broadcast = run(&["demo", "broadcast"]);
    assert!(
        broadcast.contains("[server] that send_to failed: Permission denied (os error 13)\n"),
        "{broadcast}"
    );
    let multicast = run(&["demo", "multicast"]);
    for text in [&broadcast, &multicast] {
        assert_eq!(
            text.matches("[server] send #").count() as u32,
            1 + u32::from(text == &broadcast)
        );
        for n in [1, 2] {
            let copy = format!("[client {n}] recv #1: 15 bytes \"hello, everyone\"\n");
            assert!(text.contains(&copy), "{text}");
        }
    }
}

/// `compare lost-reply`: the fix's timeout shows in the diff, and the table
/// says the broken client was still blocked and the fixed one gave up.
#[test]
fn compare_shows_the_timeout_and_both_outcomes() {
    let text = run(&["compare", "lost-reply"]);
    assert!(
        text.contains(
            "\n+         socket.set_read_timeout(Some(left))?; // FIX: every wait ends\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n-     // BUG: no timeout."), "{text}");
    let row = |label: &str| classroom::testing::compare_row(&text, label);
    assert!(
        row("broken").contains("still blocked in recv_from"),
        "{text}"
    );
    assert!(
        row("fixed").contains("[client] gave up: no answer from 127.0.0.1:"),
        "{text}"
    );
}
