//! Every demo prints the same output run after run (ports and the nagle
//! step's measured counts aside): the roles are synchronised, not timed.

mod common;

use classroom::testing::{assert_same_every_run, demo_steps, run_failing};
use common::BIN;

const RUNS: usize = 20;

/// Besides ports and durations, the segment counts the kernel decides in
/// the nagle step (its yes/no claim stays).
const RULES: [(&str, &str); 5] = [
    (r"left in \d+ segments", "left in N segments"),
    (r"→ \d+ segments →", "→ N segments →"),
    // The buffers step: the buffer sizes the kernel grants, and what they hold.
    (
        r"SO_SNDBUF: \d+; the server's SO_RCVBUF: \d+",
        "SO_SNDBUF: N; SO_RCVBUF: N",
    ),
    (
        r"\d+ bytes taken|reading all \d+|the other \d+ bytes were",
        "N bytes",
    ),
    (r"SIOCOUTQ: [1-9]\d* bytes", "SIOCOUTQ: N bytes"),
];

#[test]
fn every_demo_prints_the_same_every_run() {
    // The claims the lesson makes hold in every run, not only the same way.
    for (run, text) in assert_same_every_run(BIN, &["demo", "all"], RUNS, &RULES)
        .iter()
        .enumerate()
    {
        assert!(
            !text.contains(": no"),
            "run {}: a claim failed:\n{text}",
            run + 1
        );
    }
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(
        demo_steps(BIN),
        ["glue", "nagle", "split", "leftover", "udp", "buffers"]
    );
}

#[test]
fn steps_without_two_terminal_roles_say_which_demo_to_run() {
    let err = run_failing(BIN, &["server", "nagle"], 1);
    assert!(err.contains("demo nagle"), "{err}");
}

/// `compare utf8` shows the decoder the fix replaced and what each did: a
/// cut read decoded alone fails, the carry gives the whole text.
#[test]
fn compare_shows_both_decoders_and_what_each_did() {
    let text = classroom::testing::run_ok(BIN, &["compare", "utf8"]);
    assert!(
        text.contains("\n-     std::str::from_utf8(read)\n"),
        "{text}"
    );
    assert!(
        text.contains("\n+             // FIX: a character cut off"),
        "{text}"
    );
    let row = |label: &str| {
        text.lines()
            .find(|l| l.starts_with(label) && l.contains("demo split  exit 0"))
            .unwrap_or_else(|| panic!("no {label} row:\n{text}"))
            .to_owned()
    };
    assert!(
        row("broken")
            .ends_with("decoded on its own: error: incomplete utf-8 byte sequence from index 3"),
        "{text}"
    );
    assert!(row("fixed").ends_with("gives \"lbw正在吃翔\""), "{text}");
}
