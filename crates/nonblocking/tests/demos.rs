//! Every demo prints the same output run after run (ports, times and the
//! counts of tries and other work aside): the roles are synchronised, not
//! timed.

mod common;

use std::sync::LazyLock;
use std::thread;

use common::run;
use regex::Regex;

const RUNS: usize = 20;

/// Replace what may differ between runs: ports, durations, and the numbers
/// the scheduler decides (tries, pieces of other work, bytes a buffer took).
fn normalise(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (r"\d+(\.\d+)?(ns|µs|ms|s)\b", "TIME"),
            (r"on try \d+", "on try N"),
            (
                r"\d+ pieces of other work \(found \d+ primes\)",
                "N pieces of other work (found N primes)",
            ),
            (r"polling: \d+ recv\(\) calls", "polling: N recv() calls"),
            (r"\d+% of one core", "N% of one core"),
            (r"after \d+ bytes had gone", "after N bytes had gone"),
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
    let output = run(&["demo", "all"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    // The effects each step exists to show, on this very run.
    for effect in [
        "[server] accept() failed at once: EAGAIN: Resource temporarily unavailable (os error 11)",
        "[server] recv() failed at once: EAGAIN: Resource temporarily unavailable (os error 11)",
        "[client] connect() failed at once: EINPROGRESS: Operation now in progress (os error 115)",
        "[client] SO_ERROR is 0: connected",
        "[client] SO_ERROR is ECONNREFUSED: Connection refused (os error 111)",
        "[client] write() gave up after",
    ] {
        assert!(text.contains(effect), "missing {effect:?} in:\n{text}");
    }
    normalise(&text)
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
fn the_headline_is_the_fixed_step() {
    let output = run(&[]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("[server] accept() try 1: EAGAIN"), "{text}");
    assert!(
        text.contains("[server] recv #1: 15 bytes \"lbw正在吃翔\""),
        "{text}"
    );
}

#[test]
fn the_list_names_every_step_in_order() {
    let output = run(&["demo", "--list"]);
    let names: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["blocking", "broken", "fixed", "busy-loop", "timeout"]
    );
}

#[test]
fn polling_burns_more_cpu_than_blocking() {
    let output = run(&["demo", "busy-loop"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let percent = |how: &str| -> u64 {
        let re = Regex::new(&format!(r"\[server\] {how}: .*: (\d+)% of one core")).unwrap();
        let caps = re
            .captures(&text)
            .unwrap_or_else(|| panic!("{how} in:\n{text}"));
        caps[1].parse().unwrap()
    };
    let (polling, blocking) = (percent("polling"), percent("blocking"));
    // On a busy machine the spinning thread gets less than a whole core,
    // but always far more than a thread asleep in the kernel.
    assert!(polling >= 20, "polling used only {polling}%");
    assert!(blocking <= 10, "blocking used {blocking}%");
}
