//! Every command in lessons/06-nonblocking.md runs and prints what the
//! lesson shows, and every region the crate marks for it is shown.

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/06-nonblocking.md"
);

#[test]
fn lesson_06_runs_as_printed() {
    classroom::lesson_test::Harness::new()
        .bin("nonblocking", env!("CARGO_BIN_EXE_nonblocking"))
        .check_lesson(LESSON)
        .assert_at_least(10, 6);
}

#[test]
fn every_anchor_is_shown_by_the_lesson() {
    classroom::lesson_test::assert_every_anchor_shown(LESSON, &["nonblocking"]);
}
