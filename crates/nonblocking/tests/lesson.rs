//! Every command in lessons/06-nonblocking.md runs and prints what the
//! lesson shows.

#[test]
fn lesson_06_runs_as_printed() {
    classroom::lesson_test::Harness::new()
        .bin("nonblocking", env!("CARGO_BIN_EXE_nonblocking"))
        .check_lesson(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../lessons/06-nonblocking.md"
        ))
        .assert_at_least(10, 6);
}
