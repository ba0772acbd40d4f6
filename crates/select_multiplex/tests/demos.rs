//! Every demo prints the same output run after run (ports, times and a few
//! counts the machine decides aside): the roles are synchronised, not timed.

use classroom::testing::{assert_one_line_per_syscall, assert_same_every_run, demo_steps, run_ok};

const BIN: &str = env!("CARGO_BIN_EXE_select_multiplex");
const RUNS: usize = 20;

/// Every step, in lesson order.
const STEPS: [&str; 9] = [
    "blocking",
    "select",
    "client-broken",
    "client",
    "poll",
    "epoll",
    "limit",
    "edge",
    "scaling",
];

/// Besides ports and durations (also written `50 ms`), descriptor limits
/// and counts.
const RULES: [(&str, &str); 4] = [
    (r"\d+(\.\d+)? (ns|µs|ms|s)\b", "TIME"),
    (
        r"soft limit \d+, hard limit (\d+|unlimited)",
        "soft limit N, hard limit N",
    ),
    (r"watching \d+ idle sockets", "watching N idle sockets"),
    (r"measured on \d+", "measured on N"),
];

#[test]
fn every_demo_prints_the_same_every_run() {
    // `scaling` takes a second or so (it opens 10,000 connections): it is
    // checked once, on its own, below.
    for step in STEPS.into_iter().filter(|&step| step != "scaling") {
        assert_same_every_run(BIN, &["demo", step], RUNS, &RULES);
    }
}

/// `scaling` once (the lesson test runs it again against the lesson's
/// table): the table has its shape, and the document's claim holds with a
/// wide margin: with 10,000 idle connections a poll() round trip costs many
/// times an epoll one.
#[test]
fn the_scaling_table_shows_poll_growing_and_epoll_flat() {
    let text = run_ok(BIN, &["demo", "scaling"]);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| idle"))
        .map(|l| {
            l.split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    let sizes: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(sizes, ["10", "100", "1,000", "10,000"], "{text}");
    let last = &rows[3];
    assert_eq!(
        last[1], "n/a",
        "select cannot watch 10,000 descriptors:\n{text}"
    );
    if last[2] == "skipped" {
        eprintln!("the 10,000 row was skipped: RLIMIT_NOFILE is too low here");
        return;
    }
    if !cfg!(target_os = "linux") {
        return; // no epoll column to compare with
    }
    let micros = |cell: &str| -> f64 {
        let (number, unit) = cell.split_once(' ').unwrap();
        let n: f64 = number.parse().unwrap();
        if unit == "ms" { n * 1000.0 } else { n }
    };
    let (poll, epoll) = (micros(last[2]), micros(last[3]));
    assert!(
        poll > 5.0 * epoll,
        "poll {poll} µs vs epoll {epoll} µs:\n{text}"
    );
}

/// Each printed `send #N` / `recv #N` of the event-loop demos is one
/// `sendto` / `recvfrom` system call (skipped where strace is missing).
/// (`blocking` and `edge` also make reads that time out or would block, on
/// purpose; those print nothing, so they are not counted here.)
#[test]
fn each_printed_send_and_recv_is_one_system_call() {
    for step in ["select", "poll", "epoll", "limit"] {
        assert_one_line_per_syscall(BIN, &["demo", step]);
    }
}

#[test]
fn the_headline_is_the_select_server() {
    let text = run_ok(BIN, &[]);
    assert!(
        text.contains("select() reported the listener readable"),
        "{text}"
    );
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(demo_steps(BIN), STEPS);
}
