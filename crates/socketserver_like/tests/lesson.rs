//! Every command in lessons/08-socketserver-like.md runs and prints what
//! the lesson shows; and a lesson whose shown output is wrong fails.

use std::path::Path;

use classroom::lesson_test::Harness;

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/08-socketserver-like.md"
);

fn harness() -> Harness {
    Harness::new().bin("socketserver_like", env!("CARGO_BIN_EXE_socketserver_like"))
}

#[test]
fn lesson_08_runs_as_printed() {
    let summary = harness().check_lesson(LESSON);
    assert!(
        summary.commands >= 15,
        "only {} commands ran",
        summary.commands
    );
    assert!(
        summary.snippets >= 15,
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
        "[server] threads in this process with all of them connected: 6\n",
        "[server] a pool of 4 worker threads, room for 16 waiting requests\n",
    ] {
        assert!(text.contains(shown), "the lesson no longer shows {shown:?}");
        let broken = text.replacen(shown, &shown.replace('[', "[x"), 1);
        let failures = harness()
            .check_text("08-socketserver-like.md", &broken, root)
            .expect_err("a wrong output line must fail the lesson");
        assert_eq!(failures.problems().len(), 1, "{failures}");
    }
}
