//! Every demo prints the same output run after run (ports and the nagle
//! step's measured counts aside): the roles are synchronised, not timed.

mod common;

use classroom::testing::{assert_same_every_run, demo_steps, run_failing};
use common::BIN;

const RUNS: usize = 20;

/// Besides ports and durations, the segment counts the kernel decides in
/// the nagle step (its yes/no claim stays).
const RULES: [(&str, &str); 2] = [
    (r"left in \d+ segments", "left in N segments"),
    (r"→ \d+ segments →", "→ N segments →"),
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
        ["glue", "nagle", "split", "leftover", "udp"]
    );
}

#[test]
fn steps_without_two_terminal_roles_say_which_demo_to_run() {
    let err = run_failing(BIN, &["server", "nagle"], 1);
    assert!(err.contains("demo nagle"), "{err}");
}
