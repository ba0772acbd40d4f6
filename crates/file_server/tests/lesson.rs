//! Lesson 05 points to this crate as its finished program and shows the
//! parts of it that go past the documents: every `// ANCHOR:` region here
//! must be shown there.

use classroom::lesson_test::assert_every_anchor_shown;

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/05-struct-header-fix.md"
);

#[test]
fn every_anchor_is_shown_by_lesson_05() {
    assert_every_anchor_shown(LESSON, &["file_server"]);
}
