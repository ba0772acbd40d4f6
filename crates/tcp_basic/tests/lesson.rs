//! Every command in lessons/01-tcp-basic.md runs and prints what the lesson
//! shows; and a lesson whose shown output is wrong fails.

use std::path::Path;

use classroom::lesson_test::{Harness, assert_every_anchor_shown, unshown_anchors};

const LESSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/01-tcp-basic.md");

fn harness() -> Harness {
    Harness::new().bin("tcp_basic", env!("CARGO_BIN_EXE_tcp_basic"))
}

#[test]
fn lesson_01_runs_as_printed() {
    harness().check_lesson(LESSON).assert_at_least(10, 5);
}

/// The harness itself: change one line of output the lesson shows, in a
/// one-process demo and in a two-terminal step, and the check must fail.
#[test]
fn a_lesson_with_a_wrong_output_line_fails() {
    for shown in [
        "[client] recv #1: 2 bytes \"hi\"\n",
        "[server] waiting for a connection (Ctrl-C to stop)\n",
    ] {
        harness().assert_wrong_line_fails(LESSON, "", shown, &shown.replace('[', "[x"));
    }
}

/// Every `// ANCHOR:` in this crate is shown by a lesson, and this lesson
/// shows classroom's `until_closed`, which its servers use. (Classroom's
/// other regions belong to other lessons.)
#[test]
fn every_anchor_is_shown() {
    assert_every_anchor_shown(LESSON, &["tcp_basic"]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let unshown = unshown_anchors(&root, &["classroom"]);
    assert!(
        !unshown.contains(&"crates/classroom/src/tcp.rs:until_closed".to_string()),
        "{unshown:?}"
    );
}
