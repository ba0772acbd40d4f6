//! Every demo prints the same output run after run (ports and the nagle
//! step's measured counts aside): the roles are synchronised, not timed.

mod common;

use std::sync::LazyLock;
use std::thread;

use regex::Regex;

const RUNS: usize = 20;

/// Replace what may differ between runs: ports, and the counts the kernel
/// decides in the nagle step (its yes/no claims stay).
fn normalise(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (r"went out in \d+ segments", "went out in N segments"),
            (
                r"arrived in \d+ recvs; recv sizes: .*",
                "arrived in N recvs; recv sizes: H",
            ),
            (r"→ \d+ segments → \d+ recvs", "→ N segments → N recvs"),
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
    normalise(&common::run(&["demo", "all"]))
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
    // The claims the lesson makes hold in every run, not only the same way.
    assert!(!first.contains("sends: no"), "a claim failed:\n{first}");
}

#[test]
fn the_list_names_every_step_in_order() {
    let names: Vec<String> = common::run(&["demo", "--list"])
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["glue", "nagle", "split", "leftover", "udp"]);
}

#[test]
fn steps_without_two_terminal_roles_say_which_demo_to_run() {
    let output = std::process::Command::new(common::BIN)
        .args(["server", "nagle"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("demo nagle"), "{err}");
}
