//! Each lesson ends with its exercises: the section shows every exercise of
//! the lesson, its task and solution as in the files, and the checker's
//! output as shipped. An exercise already solved in this tree has its
//! transcript skipped: a student's `cargo test` stays green as they work.

use std::path::Path;

use classroom::lesson_test::{Harness, exercises_section};
use exercises::all;

fn lesson_file(lesson: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons");
    std::fs::read_dir(&dir)
        .expect("the lessons folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{lesson}-")))
        })
        .unwrap_or_else(|| panic!("no lesson {lesson} in {}", dir.display()))
}

/// Blank the console block that starts with `$ cargo run -q -p exercises -- WHAT`.
fn without_block(section: &str, what: &str) -> String {
    let command = format!("$ cargo run -q -p exercises -- {what}");
    let lines: Vec<&str> = section.lines().collect();
    let mut out: Vec<&str> = lines.clone();
    if let Some(i) = lines.iter().position(|l| *l == command) {
        let mut j = i - 1;
        loop {
            out[j] = "";
            if j > i && lines[j].starts_with("```") {
                break;
            }
            j += 1;
        }
    }
    out.join("\n") + "\n"
}

fn run(args: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_exercises"))
        .args(args.split(' '))
        .output()
        .expect("the exercises program runs")
}

/// Whether `check ID` passes in this tree (in a process of its own: a
/// broken exercise may leave a thread spinning).
fn solved_here(args: &str) -> bool {
    run(args).status.success()
}

fn check(lesson: &str) {
    let path = lesson_file(lesson);
    let text = std::fs::read_to_string(&path).expect("the lesson");
    let (mut section, _) = exercises_section(&text);
    let mut solved = Vec::new();
    for exercise in all().iter().filter(|e| e.lesson() == lesson) {
        assert!(
            section.contains(&format!("### Exercise {}: {}", exercise.id, exercise.title)),
            "{} has no heading `### Exercise {}: {}` in its ## Exercises section",
            path.display(),
            exercise.id,
            exercise.title
        );
        if solved_here(&format!("check {}", exercise.id)) {
            section = without_block(&section, &format!("check {}", exercise.id));
            solved.push(exercise.id);
        }
    }
    if section.contains("$ cargo run -q -p exercises -- list\n")
        && !String::from_utf8_lossy(&run("list").stdout).contains("\n0 of ")
    {
        section = without_block(&section, "list");
    }
    let summary = Harness::new()
        .bin("exercises", env!("CARGO_BIN_EXE_exercises"))
        .check_text(
            &path.display().to_string(),
            &section,
            &path.parent().unwrap().join(".."),
        )
        .unwrap_or_else(|failures| panic!("{failures}"));
    let shown = all().iter().filter(|e| e.lesson() == lesson).count() - solved.len();
    assert!(summary.commands >= shown, "{summary:?}");
    assert!(
        summary.snippets >= 2 * all().iter().filter(|e| e.lesson() == lesson).count(),
        "{summary:?}"
    );
    if !solved.is_empty() {
        println!("solved in this tree, transcripts not compared: {solved:?}");
    }
}

#[test]
fn lesson_00_exercises() {
    check("00");
}
#[test]
fn lesson_01_exercises() {
    check("01");
}
#[test]
fn lesson_02_exercises() {
    check("02");
}
#[test]
fn lesson_03_exercises() {
    check("03");
}
#[test]
fn lesson_04_exercises() {
    check("04");
}
#[test]
fn lesson_05_exercises() {
    check("05");
}
#[test]
fn lesson_06_exercises() {
    check("06");
}
#[test]
fn lesson_07_exercises() {
    check("07");
}
#[test]
fn lesson_08_exercises() {
    check("08");
}
