//! A server out of file descriptors backs off instead of spinning: `accept`
//! fails at once with "Too many open files" while a connection waits, and
//! trying again straight away would spin a core and print that error
//! thousands of times. Linux only (it reads /proc and runs util-linux's
//! `prlimit`); skipped, with the reason printed, where `prlimit` is missing.
#![cfg(target_os = "linux")]

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::process::Command;

use classroom::runner::BACK_OFF;
use classroom::testing::read_n;
use common::start_server;

/// Set the soft limit on open files of process `pid`; `false` when
/// `prlimit` cannot (not installed, or not allowed here).
fn set_soft_limit(pid: u32, files: usize) -> bool {
    let set = Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--nofile={files}:")])
        .status();
    match set {
        Ok(status) if status.success() => true,
        Ok(status) => {
            eprintln!("skipped: prlimit failed ({status})");
            false
        }
        Err(e) => {
            eprintln!("skipped: prlimit is not installed ({e})");
            false
        }
    }
}

/// The lowest descriptor number process `pid` has free: the one its next
/// `accept` takes.
fn lowest_free_descriptor(pid: u32) -> usize {
    let open: Vec<usize> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("list the server's descriptors")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    (0..).find(|n| !open.contains(n)).expect("a free number")
}

#[test]
fn a_server_out_of_descriptors_pauses_once_and_serves_again() {
    let server = start_server("hello");
    let pid = server.pid();
    server.wait_for("waiting for a connection");
    // The server sits in `accept`, which took its descriptor number when it
    // was called. Allow no number past it: the *next* accept has none.
    let free = lowest_free_descriptor(pid);
    if !set_soft_limit(pid, free) {
        return;
    }
    let mut first = TcpStream::connect(server.addr).unwrap();
    first.write_all(b"hello!").unwrap();
    assert_eq!(read_n(&mut first, 2), b"hi");
    drop(first);
    // A client waits in the queue while the server has no descriptor left.
    let mut waiting = TcpStream::connect(server.addr).unwrap();
    waiting.write_all(b"hello!").unwrap();
    server.wait_for("Too many open files");
    // Deliberate: the time the server spends out of descriptors, long
    // enough for a spinning loop to fail many times; not an ordering.
    std::thread::sleep(BACK_OFF * 5); // allow-sleep
    assert!(set_soft_limit(pid, 1024), "raise the limit again");
    let seen = server.wait_for("accepted a connection");
    assert_eq!(read_n(&mut waiting, 2), b"hi");
    let said = |text: &str| seen.iter().filter(|l| l.contains(text)).count();
    assert_eq!(
        (said("pausing accept"), said("Too many open files")),
        (1, 0),
        "the pause is said once, the error not again:\n{}",
        seen.join("\n")
    );
    assert_eq!(said("waiting for a connection"), 0, "{seen:?}");
}
