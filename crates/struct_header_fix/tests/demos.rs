//! Every demo prints the same output run after run (ports and times aside):
//! the roles are synchronised, not timed.

use std::process::{Command, Stdio};

use classroom::testing::{
    assert_one_line_per_syscall, assert_same_every_run, demo_steps, run_failing, run_ok,
};

const BIN: &str = env!("CARGO_BIN_EXE_struct_header_fix");
const RUNS: usize = 20;

#[test]
fn every_demo_prints_the_same_every_run() {
    assert_same_every_run(BIN, &["demo", "all"], RUNS, &[]);
}

#[test]
fn demos_leave_no_scratch_folder_behind() {
    let child = Command::new(BIN)
        .args(["demo", "all"])
        .stdout(Stdio::piped())
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

/// One printed `send #N` / `recv #N` is one system call, in the demos
/// that take glued bytes apart (skipped where strace is missing).
#[test]
fn printed_sends_and_receives_are_system_calls() {
    assert_one_line_per_syscall(BIN, &["demo", "length"]);
    assert_one_line_per_syscall(BIN, &["demo", "json-header"]);
}

#[test]
fn the_headline_is_the_length_step() {
    let text = run_ok(BIN, &[]);
    assert!(
        text.contains(
            "[server] recv #1: 4 bytes 0c 00 00 00\n[server] recv #2: 12 bytes \"lbw正在吃\"\n"
        ),
        "{text}"
    );
}

#[test]
fn the_list_names_every_step_in_lesson_order() {
    assert_eq!(
        demo_steps(BIN),
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
    let stderr = run_failing(BIN, &["server", "pack"], 1);
    assert!(
        stderr.contains("run `cargo run -p struct_header_fix -- demo pack` instead"),
        "{stderr}"
    );
    run_failing(BIN, &["demo", "nope"], 2);
}
