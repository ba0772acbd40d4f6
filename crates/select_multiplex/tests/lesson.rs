//! Every command in lessons/07-select-multiplex.md runs and prints what the
//! lesson shows; and a lesson whose shown output is wrong fails. The lesson
//! shows Linux output (epoll), so it is checked on Linux.
#![cfg(target_os = "linux")]

use classroom::lesson_test::{Harness, assert_every_anchor_shown};

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/07-select-multiplex.md"
);

fn harness() -> Harness {
    Harness::new().bin("select_multiplex", env!("CARGO_BIN_EXE_select_multiplex"))
}

#[test]
fn lesson_07_runs_as_printed() {
    harness().check_lesson(LESSON).assert_at_least(12, 15);
}

/// Every region of the crate marked for the lesson is shown by it.
#[test]
fn every_anchor_is_shown() {
    assert_every_anchor_shown(LESSON, &["select_multiplex"]);
}

/// The harness itself: change one line the lesson shows, in a one-process
/// demo and in a two-terminal step, and the check must fail.
#[test]
fn a_lesson_with_a_wrong_output_line_fails() {
    harness().assert_wrong_line_fails(
        LESSON,
        "```console\n$ cargo run -q -p select_multiplex -- demo edge\n",
        "6 bytes still unread in the receive buffer\n",
        "X bytes still unread in the receive buffer\n",
    );
    harness().assert_wrong_line_fails(
        LESSON,
        "",
        "[server] watching the listener + 0 connections\n```\n\n```console client",
        "Xserver] watching the listener + 0 connections\n```\n\n```console client",
    );
}
