//! Every demo prints the same output run after run (ports, times and the
//! kernel's byte counts aside): the roles are synchronised, not timed.

use classroom::testing::{assert_same_every_run, demo_steps, run_ok};

const BIN: &str = env!("CARGO_BIN_EXE_tcp_basic");
const RUNS: usize = 20;

/// Besides ports and durations, the byte counts of the sendall step, which
/// the kernel decides.
const RULES: [(&str, &str); 2] = [
    (r"the kernel took \d+", "the kernel took N"),
    (r"other \d+ bytes in \d+ write", "other N bytes in N write"),
];

#[test]
fn every_demo_prints_the_same_every_run() {
    assert_same_every_run(BIN, &["demo", "all"], RUNS, &RULES);
}

#[test]
fn the_headline_is_the_hello_exchange() {
    let text = run_ok(BIN, &[]);
    assert!(text.contains("[client] send #1: 6 bytes \"hello!\"\n[server] recv #1: 6 bytes \"hello!\"\n[server] send #1: 2 bytes \"hi\"\n[client] recv #1: 2 bytes \"hi\"\n"), "{text}");
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(
        demo_steps(BIN),
        [
            "connect",
            "hello",
            "server-first",
            "chat",
            "one-at-a-time",
            "methods",
            "sendall",
            "half-close",
            "http"
        ]
    );
}

/// One printed `send #N` / `recv #N` is one system call (where strace runs).
#[test]
fn every_printed_send_and_recv_is_one_system_call() {
    classroom::testing::assert_one_line_per_syscall(BIN, &["demo", "hello"]);
}

#[cfg(unix)]
#[test]
fn output_piped_into_a_reader_that_quit_ends_quietly() {
    classroom::testing::assert_quiet_on_closed_pipe(BIN, &["demo", "all"]);
}
