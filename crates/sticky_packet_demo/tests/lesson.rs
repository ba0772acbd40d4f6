//! Every command in lessons/04-sticky-packet-demo.md runs and prints what
//! the lesson shows, and every code region marked in the crate is shown.

use classroom::lesson_test::{Harness, assert_every_anchor_shown};

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/04-sticky-packet-demo.md"
);

#[test]
fn lesson_04_runs_as_printed() {
    Harness::new()
        .bin(
            "sticky_packet_demo",
            env!("CARGO_BIN_EXE_sticky_packet_demo"),
        )
        .check_lesson(LESSON)
        .assert_at_least(8, 6);
}

#[test]
fn every_anchor_in_the_crate_is_shown_by_the_lesson() {
    assert_every_anchor_shown(LESSON, &["sticky_packet_demo"]);
}
