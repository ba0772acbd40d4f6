//! Every command in lessons/05-struct-header-fix.md runs and prints what
//! the lesson shows.
//!
//! A student runs the lesson's commands from the workspace folder, where
//! the servers create `files/` and the download client `downloads/`. Here
//! they run in a scratch folder holding a copy of the sample files the
//! lesson uses, so the test writes nothing into the source tree. (This
//! test binary holds this one test, so changing its working folder is
//! safe.)

use std::path::Path;

use classroom::lesson_test::{Harness, assert_every_anchor_shown};

const LESSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../lessons/05-struct-header-fix.md"
);

#[test]
fn lesson_05_runs_as_printed() {
    let scratch = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let copy = scratch.path().join("crates/struct_header_fix/samples");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&samples).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    std::env::set_current_dir(scratch.path()).unwrap();

    Harness::new()
        .bin("struct_header_fix", env!("CARGO_BIN_EXE_struct_header_fix"))
        .check_lesson(LESSON)
        .assert_at_least(20, 15);
    // What the two-terminal steps stored landed where the lesson says.
    assert!(scratch.path().join("files/hello.txt").is_file());
    assert!(scratch.path().join("downloads/hello.txt").is_file());
    // The mistyped name (helo.txt) left nothing in downloads/.
    let downloads: Vec<_> = std::fs::read_dir(scratch.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(downloads, ["hello.txt"]);
}

/// Every `// ANCHOR:` region in this crate's sources is shown by a lesson.
#[test]
fn every_anchor_is_shown() {
    assert_every_anchor_shown(LESSON, &["struct_header_fix"]);
}
