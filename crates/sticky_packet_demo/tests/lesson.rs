//! Every command in lessons/04-sticky-packet-demo.md runs and prints what
//! the lesson shows.

use classroom::lesson_test::Harness;

#[test]
fn lesson_04_runs_as_printed() {
    Harness::new()
        .bin(
            "sticky_packet_demo",
            env!("CARGO_BIN_EXE_sticky_packet_demo"),
        )
        .check_lesson(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../lessons/04-sticky-packet-demo.md"
        ))
        .assert_at_least(8, 6);
}
