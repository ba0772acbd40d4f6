//! Every demo prints the same output run after run (ports, times and a few
//! counts the machine decides aside): the roles are synchronised, not timed.

use std::process::Command;
use std::sync::LazyLock;
use std::thread;

use regex::Regex;

const BIN: &str = env!("CARGO_BIN_EXE_select_multiplex");
const RUNS: usize = 20;

/// Every step but `scaling`, which takes a second or so (it opens 10,000
/// connections) and is checked on its own below.
const STEPS: [&str; 8] = [
    "blocking",
    "select",
    "client-broken",
    "client",
    "poll",
    "epoll",
    "limit",
    "edge",
];

/// Replace what may differ between runs: ports, durations, descriptor
/// limits and counts.
fn normalise(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (r"\d+(\.\d+)? ?(ns|µs|ms|s)\b", "TIME"),
            (
                r"soft limit \d+, hard limit (\d+|unlimited)",
                "soft limit N, hard limit N",
            ),
            (r"opened \d+ idle sockets", "opened N idle sockets"),
            (r"x\d+\.\d", "xN"),
            (r"measured on \d+", "measured on N"),
        ]
        .into_iter()
        .map(|(pattern, with)| (Regex::new(pattern).unwrap(), with))
        .collect()
    });
    RULES.iter().fold(text.to_owned(), |text, (re, with)| {
        re.replace_all(&text, *with).into_owned()
    })
}

fn demo(step: &str) -> String {
    let output = Command::new(BIN)
        .args(["demo", step])
        .env("NO_COLOR", "1")
        .output()
        .expect("run the demo");
    assert!(
        output.status.success(),
        "demo {step}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty(), "demo {step} wrote to stderr");
    normalise(&String::from_utf8(output.stdout).expect("UTF-8"))
}

fn every_step() -> Vec<String> {
    STEPS.iter().map(|step| demo(step)).collect()
}

#[test]
fn every_demo_prints_the_same_every_run() {
    let first = every_step();
    // Two runs at a time, as many machines have two cores.
    let others: Vec<Vec<String>> = thread::scope(|s| {
        let half = |n| s.spawn(move || (0..n).map(|_| every_step()).collect::<Vec<_>>());
        let (a, b) = (half(RUNS / 2), half(RUNS - 1 - RUNS / 2));
        [a, b].into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for (run, other) in others.iter().enumerate() {
        for (step, (a, b)) in STEPS.iter().zip(first.iter().zip(other)) {
            assert_eq!(a, b, "demo {step}: run {} differs from run 1", run + 2);
        }
    }
}

/// `scaling` once (the lesson test runs it again against the lesson's
/// table): the table has its shape, and the document's claim holds with a
/// wide margin: with 10,000 idle connections a poll() round trip costs many
/// times an epoll one.
#[test]
fn the_scaling_table_shows_poll_growing_and_epoll_flat() {
    let output = Command::new(BIN)
        .args(["demo", "scaling"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| idle"))
        .map(|l| {
            l.split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    let sizes: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(sizes, ["10", "100", "1,000", "10,000"], "{text}");
    let last = &rows[3];
    assert_eq!(
        last[1], "n/a",
        "select cannot watch 10,000 descriptors:\n{text}"
    );
    if last[2] == "skipped" {
        eprintln!("the 10,000 row was skipped: RLIMIT_NOFILE is too low here");
        return;
    }
    if !cfg!(target_os = "linux") {
        return; // no epoll column to compare with
    }
    let micros = |cell: &str| -> f64 {
        let (number, unit) = cell.split_once(' ').unwrap();
        let n: f64 = number.parse().unwrap();
        if unit == "ms" { n * 1000.0 } else { n }
    };
    let (poll, epoll) = (micros(last[2]), micros(last[3]));
    assert!(
        poll > 5.0 * epoll,
        "poll {poll} µs vs epoll {epoll} µs:\n{text}"
    );
}

#[test]
fn the_headline_is_the_select_server() {
    let output = Command::new(BIN).env("NO_COLOR", "1").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("select() reported the listener readable"),
        "{text}"
    );
}

#[test]
fn the_list_names_every_step_in_order() {
    let output = Command::new(BIN).args(["demo", "--list"]).output().unwrap();
    let names: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    let expected = [
        "blocking",
        "select",
        "client-broken",
        "client",
        "poll",
        "epoll",
        "limit",
        "edge",
        "scaling",
    ];
    assert_eq!(names, expected);
}
