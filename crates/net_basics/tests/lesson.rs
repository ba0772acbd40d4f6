//! Every command in lessons/00-net-basics.md runs and prints what the lesson shows.
#[test]
fn lesson_00_runs_as_printed() {
    classroom::lesson_test::Harness::new()
        .bin("net_basics", env!("CARGO_BIN_EXE_net_basics"))
        .check_lesson(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../lessons/00-net-basics.md"
        ));
}
