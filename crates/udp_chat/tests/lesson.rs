//! Every command in lessons/03-udp-chat.md runs and prints what the lesson
//! shows; and a lesson whose shown output is wrong fails.

use std::path::Path;

use classroom::lesson_test::Harness;

const LESSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/03-udp-chat.md");

fn harness() -> Harness {
    Harness::new().bin("udp_chat", env!("CARGO_BIN_EXE_udp_chat"))
}

#[test]
fn lesson_03_runs_as_printed() {
    let summary = harness().check_lesson(LESSON);
    assert!(
        summary.commands >= 20,
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
        "[server] recv #3: 0 bytes \"\"\n",
        "[server] waiting for datagrams (Ctrl-C to stop)\n",
    ] {
        assert!(text.contains(shown), "the lesson no longer shows {shown:?}");
        let broken = text.replacen(shown, &shown.replace('[', "[x"), 1);
        let failures = harness()
            .check_text("03-udp-chat.md", &broken, root)
            .expect_err("a wrong output line must fail the lesson");
        assert_eq!(failures.problems().len(), 1, "{failures}");
    }
}
