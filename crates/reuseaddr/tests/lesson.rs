//! Every command in lessons/02-reuseaddr.md runs and prints what the lesson
//! shows; and a lesson whose shown output is wrong fails.

use std::path::Path;

use classroom::lesson_test::Harness;

const LESSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/02-reuseaddr.md");

fn harness() -> Harness {
    Harness::new().bin("reuseaddr", env!("CARGO_BIN_EXE_reuseaddr"))
}

#[test]
fn lesson_02_runs_as_printed() {
    let summary = harness().check_lesson(LESSON);
    assert!(
        summary.commands >= 12,
        "only {} commands ran",
        summary.commands
    );
    assert!(
        summary.snippets >= 10,
        "only {} Rust blocks checked",
        summary.snippets
    );
}

/// The effect the lesson is about, in a one-process demo and in a
/// two-terminal step: show a different outcome, and the check must fail.
#[test]
fn a_lesson_showing_the_wrong_outcome_fails() {
    let text = std::fs::read_to_string(LESSON).unwrap();
    let root = Path::new(LESSON).parent().unwrap().parent().unwrap();
    let failed = "[server] bind failed: Address already in use (os error 98)\n";
    let shown = text.matches(failed).count();
    assert_eq!(shown, 2, "the lesson should show the failed bind twice");
    for nth in 0..shown {
        let (at, _) = text.match_indices(failed).nth(nth).unwrap();
        let mut broken = text.clone();
        broken.replace_range(
            at..at + failed.len(),
            "[server] listening again on 127.0.0.1:[PORT]\n",
        );
        let failures = harness()
            .check_text("02-reuseaddr.md", &broken, root)
            .expect_err("a wrong outcome must fail the lesson");
        assert_eq!(failures.problems().len(), 1, "{failures}");
    }
}
