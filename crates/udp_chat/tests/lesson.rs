//! Every command in lessons/03-udp-chat.md runs and prints what the lesson
//! shows; every region of the crate marked for a lesson is shown; and a
//! lesson whose shown output is wrong fails.

use classroom::lesson_test::{Harness, assert_every_anchor_shown};

const LESSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/03-udp-chat.md");

fn harness() -> Harness {
    Harness::new().bin("udp_chat", env!("CARGO_BIN_EXE_udp_chat"))
}

#[test]
fn lesson_03_runs_as_printed() {
    harness().check_lesson(LESSON).assert_at_least(20, 15);
}

#[test]
fn every_anchor_in_the_crate_is_shown_by_a_lesson() {
    assert_every_anchor_shown(LESSON, &["udp_chat"]);
}

/// The harness itself: change one line of output the lesson shows, in a
/// one-process demo and in a two-terminal step, and the check must fail.
#[test]
fn a_lesson_with_a_wrong_output_line_fails() {
    for shown in [
        "[server] recv #3: 0 bytes \"\"\n",
        "[server] waiting for datagrams (Ctrl-C to stop)\n",
    ] {
        harness().assert_wrong_line_fails(LESSON, "", shown, &shown.replace('[', "[x"));
    }
}
