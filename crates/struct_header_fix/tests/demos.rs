//! Every demo prints the same output run after run (ports and times aside):
//! the roles are synchronised, not timed.

use std::process::Command;
use std::sync::LazyLock;
use std::thread;

use regex::Regex;

const BIN: &str = env!("CARGO_BIN_EXE_struct_header_fix");
const RUNS: usize = 20;

/// Replace what may differ between runs: ports and durations.
fn normalise(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (r"\d+(\.\d+)?(ns|µs|ms|s)\b", "TIME"),
        ]
        .into_iter()
        .map(|(pattern, with)| (Regex::new(pattern).unwrap(), with))
        .collect()
    });
    RULES.iter().fold(text.to_owned(), |text, (re, with)| {
        re.replace_all(&text, *with).into_owned()
    })
}

fn demo_all() -> String {
    let output = Command::new(BIN)
        .args(["demo", "all"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run the demo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    normalise(&String::from_utf8(output.stdout).expect("UTF-8"))
}

#[test]
fn every_demo_prints_the_same_every_run() {
    let first = demo_all();
    // Two runs at a time, as many machines have two cores.
    let others: Vec<String> = thread::scope(|s| {
        let half = |n| s.spawn(move || (0..n).map(|_| demo_all()).collect::<Vec<_>>());
        let (a, b) = (half(RUNS / 2), half(RUNS - 1 - RUNS / 2));
        [a, b].into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for (run, other) in others.iter().enumerate() {
        assert_eq!(&first, other, "run {} differs from run 1", run + 2);
    }
}

#[test]
fn demos_leave_no_scratch_folder_behind() {
    let child = Command::new(BIN)
        .args(["demo", "all"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Scratch folders are named after the process that made them.
    let mine = format!("struct_header_fix-demo-{}-", child.id());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let tmp = std::env::temp_dir();
    assert!(
        !text.contains(tmp.to_str().unwrap()),
        "a temporary path was printed:\n{text}"
    );
    let leftover: Vec<String> = std::fs::read_dir(&tmp)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(&mine))
        .collect();
    assert!(leftover.is_empty(), "{leftover:?}");
}

#[test]
fn the_headline_is_the_length_step() {
    let output = Command::new(BIN).env("NO_COLOR", "1").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "[server] recv #1: 4 bytes 0c 00 00 00\n[server] recv #2: 12 bytes \"lbw正在吃\"\n"
        ),
        "{text}"
    );
}

#[test]
fn the_list_names_every_step_in_lesson_order() {
    let output = Command::new(BIN).args(["demo", "--list"]).output().unwrap();
    let names: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "ack",
            "ready",
            "pack",
            "pack-broken",
            "length",
            "json-header",
            "case",
            "download"
        ]
    );
}

#[test]
fn steps_without_a_server_or_client_say_which_demo_to_run() {
    let output = Command::new(BIN).args(["server", "pack"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("run `cargo run -p struct_header_fix -- demo pack` instead"),
        "{stderr}"
    );
    let output = Command::new(BIN).args(["demo", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
