//! Every demo prints the same output run after run (ports, times and the
//! kernel's byte counts aside): the roles are synchronised, not timed.

use std::process::Command;
use std::sync::LazyLock;
use std::thread;

use regex::Regex;

const BIN: &str = env!("CARGO_BIN_EXE_tcp_basic");
const RUNS: usize = 20;

/// Replace what may differ between runs: ports, durations, and the byte
/// counts of the sendall step, which the kernel decides.
fn normalise(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (r"\d+(\.\d+)?(ns|µs|ms|s)\b", "TIME"),
            (r"the kernel took \d+", "the kernel took N"),
            (r"other \d+ bytes in \d+ write", "other N bytes in N write"),
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
fn the_headline_is_the_hello_exchange() {
    let output = Command::new(BIN).env("NO_COLOR", "1").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("[client] send #1: 6 bytes \"hello!\"\n[server] recv #1: 6 bytes \"hello!\"\n[server] send #1: 2 bytes \"hi\"\n[client] recv #1: 2 bytes \"hi\"\n"), "{text}");
}

#[test]
fn the_list_names_every_step_in_order() {
    let output = Command::new(BIN).args(["demo", "--list"]).output().unwrap();
    let names: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "connect",
            "hello",
            "server-first",
            "chat",
            "one-at-a-time",
            "methods",
            "sendall",
            "half-close",
            "http"
        ]
    );
}
