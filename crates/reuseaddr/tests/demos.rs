//! Every demo shows its effect on every run: `broken` always fails to bind
//! again, `fixed` always succeeds, and the whole output is the same run
//! after run (ports and the reuseport split aside).

mod common;

use classroom::testing::{assert_same_every_run, demo_steps, repeat};
use common::{BIN, run};

const RUNS: usize = 20;

/// Besides ports, how the kernel split the reuseport connections.
const RULES: [(&str, &str); 1] = [(
    r"listener 1 accepted \d+, listener 2 accepted \d+",
    "listener 1 accepted N, listener 2 accepted N",
)];

/// Run `reuseaddr ARGS` `RUNS` times, two at a time.
fn twenty_runs(args: &[&str]) -> Vec<(i32, String)> {
    repeat(RUNS, || run(args))
}

#[test]
fn broken_fails_to_bind_again_every_run_and_still_exits_0() {
    for (run, (code, text)) in twenty_runs(&["demo", "broken"]).iter().enumerate() {
        assert_eq!(*code, 0, "run {}: {text}", run + 1);
        assert!(
            text.contains("in TIME_WAIT\n[server] starting again:"),
            "run {}: {text}",
            run + 1
        );
        assert!(
            text.contains("[server] bind failed: Address already in use (os error 98)\n"),
            "run {}: {text}",
            run + 1
        );
    }
}

#[test]
fn fixed_binds_again_every_run() {
    for (run, (code, text)) in twenty_runs(&["demo", "fixed"]).iter().enumerate() {
        assert_eq!(*code, 0, "run {}: {text}", run + 1);
        assert!(
            text.contains("[server] listening again on 127.0.0.1:"),
            "run {}: {text}",
            run + 1
        );
        assert!(
            text.contains("is still in TIME_WAIT, next to the new listener\n"),
            "run {}: {text}",
            run + 1
        );
        assert!(!text.contains("bind failed"), "run {}: {text}", run + 1);
    }
}

#[test]
fn every_demo_prints_the_same_every_run() {
    assert_same_every_run(BIN, &["demo", "all"], RUNS, &RULES);
}

#[cfg(target_os = "linux")]
#[test]
fn reuseport_accepts_every_connection_once() {
    use regex::Regex; // only this Linux-only test needs it
    let (code, text) = run(&["demo", "reuseport"]);
    assert_eq!(code, 0, "{text}");
    let counts = Regex::new(r"listener 1 accepted (\d+), listener 2 accepted (\d+): 20 in all")
        .unwrap()
        .captures(&text)
        .unwrap_or_else(|| panic!("{text}"));
    let total: usize = counts[1].parse::<usize>().unwrap() + counts[2].parse::<usize>().unwrap();
    assert_eq!(total, 20, "{text}");
    assert!(
        text.contains("failed: Address already in use (os error 98)"),
        "{text}"
    );
}

#[test]
fn the_headline_is_the_broken_restart() {
    let (code, text) = run(&[]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("[server] listening on 127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("(SO_REUSEADDR off)"), "{text}");
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(
        demo_steps(BIN),
        [
            "broken",
            "fixed",
            "client-closes-first",
            "std",
            "reuseport",
            "backlog",
            "states"
        ]
    );
}

/// One printed `send #N` / `recv #N` is one system call (where strace runs).
#[test]
fn every_printed_send_and_recv_is_one_system_call() {
    for step in ["broken", "client-closes-first"] {
        classroom::testing::assert_one_line_per_syscall(BIN, &["demo", step]);
    }
}

/// `compare` shows the one line the fix adds and what each run did: the
/// broken restart fails to bind, the fixed one listens again.
#[test]
fn compare_shows_the_fix_and_both_outcomes() {
    let text = classroom::testing::run_ok(BIN, &["compare", "restart"]);
    assert!(
        text.contains("\n+     socket.set_reuse_address(true)?;\n"),
        "{text}"
    );
    assert!(
        text.contains("\n-     socket.set_reuse_address(false)?;\n"),
        "{text}"
    );
    let row = |label: &str| classroom::testing::compare_row(&text, label);
    assert!(
        row("broken").ends_with("bind failed: Address already in use (os error 98)")
            || cfg!(not(target_os = "linux"))
    );
    assert!(
        row("fixed").contains("listening again on 127.0.0.1:"),
        "{text}"
    );
}

/// `listen(5)` queues 6 finished handshakes on Linux (backlog + 1); the 7th
/// client's SYN is dropped and it stays in SYN_SENT; once `accept` has
/// emptied the queue, the next client gets in at once. Every run.
#[cfg(target_os = "linux")]
#[test]
fn a_full_accept_queue_leaves_the_next_client_in_syn_sent() {
    for (run, (code, text)) in twenty_runs(&["demo", "backlog"]).iter().enumerate() {
        assert_eq!(*code, 0, "run {}: {text}", run + 1);
        let queued = text.matches("ESTABLISHED: handshake done").count();
        assert_eq!(queued, 6, "run {}: {text}", run + 1);
        for line in [
            "[client 7] SYN_SENT: the queue is full; my SYN was dropped, not refused\n",
            "[server] accept() took 6, then the queue was empty\n",
            "[client 8] connected at once",
        ] {
            assert!(text.contains(line), "run {}: {text}", run + 1);
        }
    }
}

/// The close held still: each side's states in the order of the four-way
/// close, each read while the program holds it there, and a write after
/// the FIN refused. Every run.
#[cfg(any(target_os = "linux", windows))]
#[test]
fn the_close_shows_every_state_in_order() {
    let states = [
        "[client] the kernel has ",
        " in FIN_WAIT1\n[client] one more write()",
        "\n[client]   the call took none of them: ",
        "\n[server] read 65536 bytes, then EOF",
        " in CLOSE_WAIT\n[server] send #1: 65536 bytes",
        " in FIN_WAIT2\n[server] closing",
        " in LAST_ACK\n[client] read 65536 bytes, then EOF",
        " in TIME_WAIT\n* closing first",
    ];
    for (run, (code, text)) in twenty_runs(&["demo", "states"]).iter().enumerate() {
        assert_eq!(*code, 0, "run {}: {text}", run + 1);
        let mut rest = text.as_str();
        for state in states {
            let at = rest.find(state);
            let at =
                at.unwrap_or_else(|| panic!("run {}: no {state:?} in order:\n{text}", run + 1));
            rest = &rest[at + state.len()..];
        }
    }
}
