//! Every demo prints the same output run after run (ports, times and the
//! counts of tries and other work aside): the roles are synchronised, not
//! timed.

use classroom::testing::{
    assert_one_line_per_syscall, assert_same_every_run, demo_steps, run, run_ok,
};
use regex::Regex;

const BIN: &str = env!("CARGO_BIN_EXE_nonblocking");
const RUNS: usize = 20;

/// Besides ports and durations, the numbers the scheduler decides (tries,
/// pieces of other work, bytes a buffer took).
const RULES: [(&str, &str); 5] = [
    (r"on try \d+", "on try N"),
    (
        r"\d+ pieces of other work \(found \d+ primes\)",
        "N pieces of other work (found N primes)",
    ),
    (r"polling: \d+ recv\(\) calls", "polling: N recv() calls"),
    (r"\d+% of one core", "N% of one core"),
    (r"after \d+ bytes had gone", "after N bytes had gone"),
];

#[test]
fn every_demo_prints_the_same_every_run() {
    let runs = assert_same_every_run(BIN, &["demo", "all"], RUNS, &RULES);
    // The effects each step exists to show, on every run.
    for (run, text) in runs.iter().enumerate() {
        for effect in [
            "[server] accept() failed at once: EAGAIN: Resource temporarily unavailable (os error 11)",
            "[server] recv() failed at once: EAGAIN: Resource temporarily unavailable (os error 11)",
            "[client] connect() failed at once: EINPROGRESS: Operation now in progress (os error 115)",
            "[server] accept() try 1: EAGAIN: Resource temporarily unavailable (os error 11): not yet",
            "[server] recv() try 1: EAGAIN: Resource temporarily unavailable (os error 11): not yet",
            "[client] SO_ERROR is 0: connected",
            "[client] SO_ERROR is ECONNREFUSED: Connection refused (os error 111)",
            "[client] write() gave up after",
            "[server] the connection accept() returned is blocking: Linux does not pass the listener's O_NONBLOCK on",
        ] {
            assert!(
                text.contains(effect),
                "run {}: missing {effect:?} in:\n{text}",
                run + 1
            );
        }
    }
}

#[test]
fn the_headline_is_the_fixed_step() {
    let output = run(BIN, &[]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("[server] accept() try 1: EAGAIN"), "{text}");
    assert!(
        text.contains("[server] recv #1: 15 bytes \"lbw正在吃翔\""),
        "{text}"
    );
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(
        demo_steps(BIN),
        ["blocking", "broken", "fixed", "busy-loop", "timeout"]
    );
}

#[test]
fn polling_burns_more_cpu_than_blocking() {
    let output = run(BIN, &["demo", "busy-loop"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let percent = |how: &str| -> u64 {
        let re = Regex::new(&format!(r"\[server\] {how}: .*: (\d+)% of one core")).unwrap();
        let caps = re
            .captures(&text)
            .unwrap_or_else(|| panic!("{how} in:\n{text}"));
        caps[1].parse().unwrap()
    };
    let (polling, blocking) = (percent("polling"), percent("blocking"));
    // On a busy machine (2 cores shared with other test runs) the spinning
    // thread may get well under a core, but always clearly more than a
    // thread asleep in the kernel.
    assert!(blocking <= 10, "blocking used {blocking}%");
    assert!(
        polling >= blocking + 10,
        "polling used only {polling}%, blocking {blocking}%"
    );
}

#[test]
fn each_printed_send_and_recv_of_the_blocking_demo_is_one_system_call() {
    assert_one_line_per_syscall(BIN, &["demo", "blocking"]);
}

/// `compare would-block`: the diff drops the broken `accept`'s bare call
/// and adds the fixed one's "not yet" arm; each side's demo ran, and the
/// table shows the broken accept failing and the fixed one returning a
/// connection.
#[test]
fn compare_shows_the_accept_that_fails_beside_the_one_that_tries_again() {
    let text = run_ok(BIN, &["compare", "would-block"]);
    for changed in [
        "\n-     listener.accept() // Python: conn, addr = sock.accept()\n",
        "\n+             Err(e) if e.kind() == ErrorKind::WouldBlock => {\n",
    ] {
        assert!(text.contains(changed), "no {changed:?} in:\n{text}");
    }
    let row = |label: &str| {
        let row = text
            .lines()
            .find(|l| l.starts_with(label) && l.contains("exit 0"));
        row.unwrap_or_else(|| panic!("no {label} row that exited 0:\n{text}"))
    };
    assert!(
        row("broken").contains("[server] accept() failed at once: EAGAIN"),
        "{text}"
    );
    assert!(
        row("fixed").contains("[server] accept() returned a connection from 127.0.0.1:"),
        "{text}"
    );
}
