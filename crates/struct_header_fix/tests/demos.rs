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

/// `compare byte-order` shows the one call that differs and what each did:
/// a big-endian length read little endian is absurd; the same order both
/// ways gives the number back.
#[test]
fn compare_shows_the_byte_order_and_both_outcomes() {
    let text = run_ok(BIN, &["compare", "byte-order"]);
    assert!(
        text.contains("\n-     let mut frame = len.to_be_bytes().to_vec();"),
        "{text}"
    );
    assert!(text.contains("\n+     Ok(n.to_le_bytes())"), "{text}");
    let row = |label: &str| classroom::testing::compare_row(&text, label);
    assert!(
        row("broken").ends_with("[server] struct.unpack('i') reads 83886080"),
        "{text}"
    );
    assert!(
        row("fixed").ends_with("struct.unpack('i', c7 00 00 00) = 199"),
        "{text}"
    );
}

/// The `ready` demo shows why document 001's GBK decoding fails here: the
/// bytes of a Chinese Windows console are not UTF-8.
#[test]
fn the_ready_demo_shows_gbk_is_not_utf8() {
    let text = run_ok(BIN, &["demo", "ready"]);
    assert!(
        text.contains("* 你好 in GBK: c4 e3 ba c3; in UTF-8: e4 bd a0 e5 a5 bd\n"),
        "{text}"
    );
    assert!(
        text.contains("decoded as UTF-8: invalid utf-8 sequence of 1 bytes from index 0"),
        "{text}"
    );
}
