//! Every command in lessons/07-select-multiplex.md runs and prints what the
//! lesson shows; and a lesson whose shown output is wrong fails. The lesson
//! shows Linux output (epoll), so it is checked on Linux.
#![cfg(target_os = "linux")]

use std::path::Path;

use classroom::lesson_test::Harness;

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/07-select-multiplex.md"
);

fn harness() -> Harness {
    Harness::new().bin("select_multiplex", env!("CARGO_BIN_EXE_select_multiplex"))
}

#[test]
fn lesson_07_runs_as_printed() {
    let summary = harness().check_lesson(LESSON);
    assert!(
        summary.commands >= 12,
        "only {} commands ran",
        summary.commands
    );
    assert!(
        summary.snippets >= 15,
        "only {} Rust blocks checked",
        summary.snippets
    );
}

/// The harness itself: change one line the lesson shows, in a one-process
/// demo and in a two-terminal step, and the check must fail.
#[test]
fn a_lesson_with_a_wrong_output_line_fails() {
    let text = std::fs::read_to_string(LESSON).unwrap();
    let root = Path::new(LESSON).parent().unwrap().parent().unwrap();
    let demo_edge = "```console\n$ cargo run -q -p select_multiplex -- demo edge\n";
    let edge_at = text.find(demo_edge).expect("the lesson runs demo edge");
    for (from, shown) in [
        (edge_at, "6 bytes still unread in the receive buffer\n"),
        (
            0,
            "[server] watching the listener + 0 connections\n```\n\n```console client",
        ),
    ] {
        let at = from
            + text[from..]
                .find(shown)
                .unwrap_or_else(|| panic!("no longer shows {shown:?}"));
        let mut broken = text.clone();
        broken.replace_range(at..at + 1, "X");
        let failures = harness()
            .check_text("07-select-multiplex.md", &broken, root)
            .expect_err("a wrong output line must fail the lesson");
        assert_eq!(failures.problems().len(), 1, "{failures}");
    }
}
