//! Every command in lessons/00-net-basics.md runs and prints what the lesson
//! shows, and every `// ANCHOR:` in this crate is shown by it.

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/00-net-basics.md"
);

#[test]
fn lesson_00_runs_as_printed() {
    classroom::lesson_test::Harness::new()
        .bin("net_basics", env!("CARGO_BIN_EXE_net_basics"))
        .check_lesson(LESSON);
}

#[test]
fn every_anchor_is_shown() {
    classroom::lesson_test::assert_every_anchor_shown(LESSON, &["net_basics"]);
}
