//! The command: the list of exercises, exit codes, and `watch`.

use std::process::Command;

use exercises::{Version, all};

const BIN: &str = env!("CARGO_BIN_EXE_exercises");

#[test]
fn at_least_two_exercises_per_lesson_and_unique_ids() {
    assert!(all().len() >= 18);
    for lesson in ["00", "01", "02", "03", "04", "05", "06", "07", "08"] {
        let n = all().iter().filter(|e| e.lesson() == lesson).count();
        assert!(n >= 2, "lesson {lesson} has {n} exercises");
    }
    let mut ids: Vec<_> = all().iter().map(|e| e.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all().len(), "two exercises share an id");
    for exercise in all() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
        for file in [exercise.file(), exercise.solution_file()] {
            assert!(
                std::path::Path::new(root).join(&file).is_file(),
                "{} has no {file}",
                exercise.id
            );
        }
    }
}

#[test]
fn every_solution_passes() {
    for exercise in all() {
        let report = exercise.check(Version::Solution);
        assert!(
            report.solved(),
            "{}: {}",
            exercise.id,
            report.failed.unwrap()
        );
    }
}

#[test]
fn an_unknown_exercise_is_named_with_exit_2() {
    let out = Command::new(BIN)
        .args(["check", "99-nothing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("no exercise is called \"99-nothing\""),
        "{text}"
    );
}

#[test]
fn a_solution_check_exits_0_and_says_solved() {
    let out = Command::new(BIN)
        .args(["check", "04-lines", "--solution"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("  ✓ two lines sent back to back\n"), "{text}");
    assert!(
        text.contains("Solved: crates/exercises/solutions/04_lines.rs passes every check."),
        "{text}"
    );
}

/// `watch` checks, waits for a save in its folder, and checks again; it
/// ends once a check passes. Cargo is a stand-in here that fails its first
/// run and passes its second.
#[cfg(unix)]
#[test]
fn watch_checks_again_on_every_save() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::fs::PermissionsExt;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let watched = dir.path().join("exercises");
    std::fs::create_dir(&watched).unwrap();
    let cargo = dir.path().join("cargo");
    let runs = dir.path().join("runs");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"$*\" >> {runs}\nn=$(wc -l < {runs})\necho \"check run $n\"\n[ \"$n\" -ge 2 ]\n",
            runs = runs.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut watch = Command::new(BIN)
        .args(["watch", "--dir"])
        .arg(&watched)
        .env("CARGO", &cargo)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "check run 1");
    let _ = lines.next(); // the empty line
    let waiting = lines.next().unwrap().unwrap();
    assert!(waiting.starts_with("Watching "), "{waiting}");
    std::fs::write(watched.join("04_lines.rs"), "saved").unwrap();
    let again: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(again.contains(&"check run 2".to_string()), "{again:?}");
    assert!(watch.wait().unwrap().success());
    let args = std::fs::read_to_string(&runs).unwrap();
    assert_eq!(args.lines().next(), Some("run -q -p exercises -- check"));
}
