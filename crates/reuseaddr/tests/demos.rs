//! Every demo shows its effect on every run: `broken` always fails to bind
//! again, `fixed` always succeeds, and the whole output is the same run
//! after run (ports and the reuseport split aside).

mod common;

use std::sync::LazyLock;
use std::thread;

use common::run;
use regex::Regex;

const RUNS: usize = 20;

/// Replace what may differ between runs: ports, and how the kernel split
/// the reuseport connections.
fn normalise(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (
                r"listener 1 accepted \d+, listener 2 accepted \d+",
                "listener 1 accepted N, listener 2 accepted N",
            ),
        ]
        .into_iter()
        .map(|(pattern, with)| (Regex::new(pattern).unwrap(), with))
        .collect()
    });
    RULES.iter().fold(text.to_owned(), |text, (re, with)| {
        re.replace_all(&text, *with).into_owned()
    })
}

/// Run `reuseaddr ARGS` `RUNS` times, two at a time (many machines have
/// two cores; the ports are the OS's pick, so parallel runs never collide).
fn twenty_runs(args: &[&str]) -> Vec<(i32, String)> {
    thread::scope(|s| {
        let half = |n| s.spawn(move || (0..n).map(|_| run(args)).collect::<Vec<_>>());
        let (a, b) = (half(RUNS / 2), half(RUNS - RUNS / 2));
        [a, b].into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn broken_fails_to_bind_again_every_run_and_still_exits_0() {
    for (run, (code, text)) in twenty_runs(&["demo", "broken"]).iter().enumerate() {
        assert_eq!(*code, 0, "run {}: {text}", run + 1);
        assert!(
            text.contains("in TIME_WAIT\n[server] starting again:"),
            "run {}: {text}",
            run + 1
        );
        assert!(
            text.contains("[server] bind failed: Address already in use (os error 98)\n"),
            "run {}: {text}",
            run + 1
        );
    }
}

#[test]
fn fixed_binds_again_every_run() {
    for (run, (code, text)) in twenty_runs(&["demo", "fixed"]).iter().enumerate() {
        assert_eq!(*code, 0, "run {}: {text}", run + 1);
        assert!(
            text.contains("[server] listening again on 127.0.0.1:"),
            "run {}: {text}",
            run + 1
        );
        assert!(
            text.contains("is still in TIME_WAIT, next to the new listener\n"),
            "run {}: {text}",
            run + 1
        );
        assert!(!text.contains("bind failed"), "run {}: {text}", run + 1);
    }
}

#[test]
fn every_demo_prints_the_same_every_run() {
    let runs = twenty_runs(&["demo", "all"]);
    let (code, first) = &runs[0];
    assert_eq!(*code, 0, "{first}");
    let first = normalise(first);
    for (run, (code, other)) in runs.iter().enumerate().skip(1) {
        assert_eq!(*code, 0, "run {}: {other}", run + 1);
        assert_eq!(
            first,
            normalise(other),
            "run {} differs from run 1",
            run + 1
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn reuseport_accepts_every_connection_once() {
    let (code, text) = run(&["demo", "reuseport"]);
    assert_eq!(code, 0, "{text}");
    let counts = Regex::new(r"listener 1 accepted (\d+), listener 2 accepted (\d+): 20 in all")
        .unwrap()
        .captures(&text)
        .unwrap_or_else(|| panic!("{text}"));
    let total: usize = counts[1].parse::<usize>().unwrap() + counts[2].parse::<usize>().unwrap();
    assert_eq!(total, 20, "{text}");
    assert!(
        text.contains("failed: Address already in use (os error 98)"),
        "{text}"
    );
}

#[test]
fn the_headline_is_the_broken_restart() {
    let (code, text) = run(&[]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("[server] listening on 127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("(SO_REUSEADDR off)"), "{text}");
}

#[test]
fn the_list_names_every_step_in_order() {
    let (_, text) = run(&["demo", "--list"]);
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["broken", "fixed", "client-closes-first", "std", "reuseport"]
    );
}
