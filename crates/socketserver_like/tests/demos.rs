//! Every demo prints the same output run after run (ports and times
//! aside): the roles are synchronised with channels and with the protocol
//! itself, never timed.

use std::process::Command;
use std::sync::LazyLock;
use std::thread;

use regex::Regex;

const BIN: &str = env!("CARGO_BIN_EXE_socketserver_like");
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

fn run(args: &[&str]) -> String {
    let output = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the demo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn demo_all() -> String {
    normalise(&run(&["demo", "all"]))
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
fn the_headline_is_the_documents_upper_exchange() {
    let text = run(&[]);
    assert!(
        text.contains(
            "[client] send #1: 6 bytes \"hello\\n\"\n[server] recv #1: 6 bytes \"hello\\n\"\n"
        ),
        "{text}"
    );
    assert!(text.contains("\nSent: hello\nReceived: HELLO\n"), "{text}");
}

#[test]
fn the_list_names_every_step_in_order() {
    let names: Vec<String> = run(&["demo", "--list"])
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "upper",
            "welcome",
            "sequential",
            "threading",
            "pool",
            "udp",
            "shutdown"
        ]
    );
}

#[test]
fn the_sequential_server_makes_client_2_wait_and_threading_does_not() {
    let sequential = run(&["demo", "sequential"]);
    assert!(
        sequential
            .contains("[client 2] no welcome within 300ms: the server is still busy with client 1"),
        "{sequential}"
    );
    let threading = run(&["demo", "threading"]);
    assert!(!threading.contains("no welcome"), "{threading}");
    // Client 2 is welcomed before client 1 says anything.
    let welcomed = threading.find("[client 2] recv #1").unwrap();
    let one_speaks = threading.find("[client 1] send #1").unwrap();
    assert!(welcomed < one_speaks, "{threading}");
}
