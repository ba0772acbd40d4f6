//! Every command in lessons/02-reuseaddr.md runs and prints what the lesson
//! shows; and a lesson whose shown output is wrong fails.

use classroom::lesson_test::{Harness, assert_every_anchor_shown};

const LESSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/02-reuseaddr.md");

fn harness() -> Harness {
    Harness::new().bin("reuseaddr", env!("CARGO_BIN_EXE_reuseaddr"))
}

#[test]
fn lesson_02_runs_as_printed() {
    harness().check_lesson(LESSON).assert_at_least(12, 10);
}

/// The effect the lesson is about, in a one-process demo and in a
/// two-terminal step: show a different outcome, and the check must fail.
#[test]
fn a_lesson_showing_the_wrong_outcome_fails() {
    let failed = "[server] bind failed: Address already in use (os error 98)\n";
    let text = std::fs::read_to_string(LESSON).unwrap();
    let shown = text.matches(failed).count();
    assert_eq!(
        shown, 3,
        "the lesson should show the failed bind three times"
    );
    // The demo's, the one in `compare`'s table, and the two-terminal step's.
    for after in [
        "",
        "$ cargo run -q -p reuseaddr -- compare restart\n",
        "$ cargo run -q -p reuseaddr -- server broken\n",
    ] {
        harness().assert_wrong_line_fails(
            LESSON,
            after,
            failed,
            "[server] listening again on 127.0.0.1:[PORT]\n",
        );
    }
}

/// Every `// ANCHOR:` in this crate is shown by a lesson.
#[test]
fn every_anchor_is_shown() {
    assert_every_anchor_shown(LESSON, &["reuseaddr"]);
}
