//! Each lesson ends with its exercises: the section shows every exercise of
//! the lesson, its task and solution as in the files, and the checker's
//! output for the file as shipped.
//!
//! A student edits the files: an exercise whose task no longer reads as the
//! lesson shows it has its task and its transcript left out here (both are
//! about the file as shipped), so `cargo test` stays green while they work.
//! In a fresh clone nothing is left out.

use std::path::{Path, PathBuf};

use classroom::lesson_test::{Harness, exercises_section};
use classroom::source::region;
use exercises::{Exercise, all};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lesson_file(lesson: &str) -> PathBuf {
    let dir = root().join("lessons");
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

/// The fenced block whose lines include `marker`: (first line, last line).
fn block(lines: &[&str], marker: &str) -> Option<(usize, usize)> {
    let at = lines.iter().position(|l| *l == marker)?;
    let open = (0..at).rev().find(|&i| lines[i].starts_with("```"))?;
    let close = (at + 1..lines.len()).find(|&i| lines[i].starts_with("```"))?;
    Some((open, close))
}

/// Whether the student changed the task since the lesson showed it.
fn edited(exercise: &Exercise, lines: &[&str]) -> bool {
    let file = exercise.file();
    let source = std::fs::read_to_string(root().join(&file)).expect("the exercise's file");
    let header = format!("// {file} (anchor: task)");
    let shown = block(lines, &header).map(|(open, close)| &lines[open + 2..close]);
    let now = region(&source, "task");
    match (shown, now) {
        (Some(shown), Some(now)) => shown != now.as_slice(),
        _ => false, // missing: reported by the harness below
    }
}

/// Whether any exercise, of any lesson, was changed (`list` shows them all).
fn any_edited() -> bool {
    all().iter().any(|exercise| {
        let text = std::fs::read_to_string(lesson_file(exercise.lesson())).expect("the lesson");
        let (section, _) = exercises_section(&text);
        edited(exercise, &section.lines().collect::<Vec<_>>())
    })
}

fn check(lesson: &str) {
    let path = lesson_file(lesson);
    let text = std::fs::read_to_string(&path).expect("the lesson");
    let (section, _) = exercises_section(&text);
    let mut lines: Vec<&str> = section.lines().collect();
    let mut left_out = Vec::new();
    let all_lines = lines.clone();
    for exercise in all().iter().filter(|e| e.lesson() == lesson) {
        assert!(
            section.contains(&format!("### Exercise {}: {}", exercise.id, exercise.title)),
            "{} has no heading `### Exercise {}: {}` in its ## Exercises section",
            path.display(),
            exercise.id,
            exercise.title
        );
        if edited(exercise, &all_lines) {
            let task = format!("// {} (anchor: task)", exercise.file());
            let transcript = format!("$ cargo run -q -p exercises -- check {}", exercise.id);
            for marker in [task, transcript] {
                if let Some((open, close)) = block(&all_lines, &marker) {
                    lines[open..=close].fill("");
                }
            }
            left_out.push(exercise.id);
        }
    }
    if (!left_out.is_empty() || any_edited())
        && let Some((open, close)) = block(&all_lines, "$ cargo run -q -p exercises -- list")
    {
        lines[open..=close].fill("");
    }
    let shown = lines.join("\n") + "\n";
    let summary = Harness::new()
        .bin("exercises", env!("CARGO_BIN_EXE_exercises"))
        .check_text(&path.display().to_string(), &shown, &root())
        .unwrap_or_else(|failures| panic!("{failures}"));
    let here = all().iter().filter(|e| e.lesson() == lesson).count();
    assert!(summary.commands >= here - left_out.len(), "{summary:?}");
    assert!(summary.snippets >= 2 * here - left_out.len(), "{summary:?}");
    if !left_out.is_empty() {
        println!("changed in this tree, task and transcript not compared: {left_out:?}");
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
