//! Every command in lessons/08-socketserver-like.md runs and prints what
//! the lesson shows; and a lesson whose shown output is wrong fails.

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
    harness().check_lesson(LESSON).assert_at_least(15, 15);
}

#[test]
fn every_anchor_in_the_crate_is_shown_by_the_lesson() {
    classroom::lesson_test::assert_every_anchor_shown(LESSON, &["socketserver_like"]);
}

/// The harness itself: change one line of output the lesson shows, in a
/// one-process demo and in a two-terminal step, and the check must fail.
#[test]
fn a_lesson_with_a_wrong_output_line_fails() {
    for shown in [
        "[server] threads in this process with all of them connected: 6\n",
        "[server] 4 workers, room for 16 waiting requests\n",
    ] {
        harness().assert_wrong_line_fails(LESSON, "", shown, &shown.replace('[', "[x"));
    }
}
