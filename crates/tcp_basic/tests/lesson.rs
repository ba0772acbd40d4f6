//! Every command in lessons/01-tcp-basic.md runs and prints what the lesson
//! shows; and a lesson whose shown output is wrong fails.

use std::path::Path;

use classroom::lesson_test::Harness;

const LESSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/01-tcp-basic.md");

fn harness() -> Harness {
    Harness::new().bin("tcp_basic", env!("CARGO_BIN_EXE_tcp_basic"))
}

#[test]
fn lesson_01_runs_as_printed() {
    let summary = harness().check_lesson(LESSON);
    assert!(
        summary.commands >= 10,
        "only {} commands ran",
        summary.commands
    );
    assert!(
        summary.snippets >= 5,
        "only {} Rust blocks checked",
        summary.snippets
    );
}

/// The harness itself: change one line of output the lesson shows, in a
/// one-process demo and in a two-terminal step, and the check must fail.
#[test]
fn a_lesson_with_a_wrong_output_line_fails() {
    let text = std::fs::read_to_string(LESSON).unwrap();
    let root = Path::new(LESSON).parent().unwrap().parent().unwrap();
    for shown in [
        "[client] recv #1: 2 bytes \"hi\"\n",
        "[server] waiting for a connection (Ctrl-C to stop)\n",
    ] {
        assert!(text.contains(shown), "the lesson no longer shows {shown:?}");
        let broken = text.replacen(shown, &shown.replace('[', "[x"), 1);
        let failures = harness()
            .check_text("01-tcp-basic.md", &broken, root)
            .expect_err("a wrong output line must fail the lesson");
        assert_eq!(failures.problems().len(), 1, "{failures}");
    }
}
