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

/// `compare PAIR`: a line the fix removes and one it adds, and for each
/// side the line of its demo saying what happened: client 2 waits for the
/// blocking server and is echoed by the select one; the document's single
/// read saves no whole picture, the framed reads save all five.
#[test]
fn compare_shows_each_fix_and_what_each_side_did() {
    let pairs = [
        (
            "two-clients",
            "\n-         let n = conn.read(&mut buf)?;\n",
            "\n+             Ok(0) => return Ok(false), // the client closed its side: we close ours too\n",
            "demo blocking  exit 0  * client 2 was connected all along, yet waited for client 1 to leave",
            "demo select    exit 0  * client 2 was served while client 1 sat connected",
        ),
        (
            "download",
            "\n-     let n = d.stream.read(&mut buf)?; // Python: data = sock.recv(8196)\n",
            "\n+     let length = http::content_length(&d.received[..start])?; // capped at BODY_LIMIT\n",
            "demo client-broken  exit 0  [client] 0 of 5 saved pictures are byte-identical",
            "demo client         exit 0  [client] 5 of 5 saved pictures are byte-identical",
        ),
    ];
    for (pair, removed, added, broken, fixed) in pairs {
        let text = run_ok(BIN, &["compare", pair]);
        assert!(text.contains(removed) && text.contains(added), "{text}");
        let row = |label: &str| {
            let mut rows = text.lines().filter(|l| l.starts_with(label));
            let row = rows.find(|l| l.contains(" exit "));
            row.unwrap_or_else(|| panic!("no {label} row in the table:\n{text}"))
        };
        assert!(row("broken").contains(broken), "{text}");
        assert!(row("fixed").contains(fixed), "{text}");
    }
}

/// Edge-triggered epoll wakes again for new bytes although unread ones
/// were waiting: each arrival is an edge (the lesson's correction of the
/// document). Linux only: elsewhere the demo says epoll needs Linux.
#[test]
#[cfg(target_os = "linux")]
fn new_bytes_wake_edge_triggered_epoll_though_old_ones_wait() {
    let text = run_ok(BIN, &["demo", "edge"]);
    let case2 = text
        .split("* 2. ")
        .nth(1)
        .and_then(|rest| rest.split("* 3. ").next())
        .unwrap_or_else(|| panic!("no case 2 in:\n{text}"));
    let expected = "6 bytes still unread in the receive buffer\n\
        [client] recv #1: 8 bytes \"one\\ntwo\\n\"\n\
        [client] got 8 of 14 bytes back; nothing more within 50 ms: stalled until it sends more\n\
        [client] send #2: 5 bytes \"four\\n\"\n\
        [server] epoll_wait(): readable (wake-up 2)\n";
    assert!(case2.contains(expected), "{case2}");
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(demo_steps(BIN), STEPS);
}
