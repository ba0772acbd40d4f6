//! Every demo prints the same output run after run (ports and the kernel's
//! buffer size aside): the roles are ordered, not timed, and each demo
//! shows its effect every time.

use std::process::Command;
use std::sync::LazyLock;
use std::thread;

use regex::Regex;

const BIN: &str = env!("CARGO_BIN_EXE_udp_chat");
const RUNS: usize = 20;

/// Replace what may differ between runs: ports (also inside the `many`
/// step's replies, which name them) and the receive buffer the kernel gave.
fn normalise(text: &str) -> String {
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (r"SO_RCVBUF is \d+ bytes", "SO_RCVBUF is N bytes"),
            // The "hi 127.0.0.1:PORT" replies have a length that depends on the port.
            (r"\d+ bytes (\x22hi 127)", "N bytes $1"),
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

#[test]
fn every_demo_prints_the_same_every_run() {
    let first = normalise(&run(&["demo", "all"]));
    // Two runs at a time, as many machines have two cores.
    let others: Vec<String> = thread::scope(|s| {
        let half = |n| {
            s.spawn(move || {
                (0..n)
                    .map(|_| normalise(&run(&["demo", "all"])))
                    .collect::<Vec<_>>()
            })
        };
        let (a, b) = (half(RUNS / 2), half(RUNS - 1 - RUNS / 2));
        [a, b].into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for (run, other) in others.iter().enumerate() {
        assert_eq!(&first, other, "run {} differs from run 1", run + 2);
    }
}

#[test]
fn limits_shows_the_65507_65508_boundary() {
    let text = run(&["demo", "limits"]);
    assert!(text.contains("[client] send #1: 65507 bytes"), "{text}");
    assert!(text.contains("[server] recv #1: 65507 bytes"), "{text}");
    assert!(
        text.contains("[client] send_to with 65508 bytes failed: Message too long (os error"),
        "{text}"
    );
}

#[test]
fn the_headline_is_the_json_chat() {
    let text = run(&[]);
    assert!(
        text.contains("[server] message from client1: 你好\n"),
        "{text}"
    );
    assert!(
        text.contains("[client] message from server: hi!\n"),
        "{text}"
    );
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
            "hello",
            "chat",
            "many",
            "boundaries",
            "truncate",
            "limits",
            "same-port",
            "lost-reply-broken",
            "lost-reply"
        ]
    );
}
