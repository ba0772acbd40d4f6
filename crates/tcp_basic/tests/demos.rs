//! Every demo prints the same output run after run (ports, times and the
//! kernel's byte counts aside): the roles are synchronised, not timed.

use classroom::testing::{assert_same_every_run, demo_steps, run_ok};

const BIN: &str = env!("CARGO_BIN_EXE_tcp_basic");
const RUNS: usize = 20;

/// Besides ports and durations, the byte counts of the sendall step, which
/// the kernel decides.
const RULES: [(&str, &str); 2] = [
    (r"the kernel took \d+", "the kernel took N"),
    (r"other \d+ bytes in \d+ write", "other N bytes in N write"),
];

#[test]
fn every_demo_prints_the_same_every_run() {
    assert_same_every_run(BIN, &["demo", "all"], RUNS, &RULES);
}

#[test]
fn the_headline_is_the_hello_exchange() {
    let text = run_ok(BIN, &[]);
    assert!(text.contains("[client] send #1: 6 bytes \"hello!\"\n[server] recv #1: 6 bytes \"hello!\"\n[server] send #1: 2 bytes \"hi\"\n[client] recv #1: 2 bytes \"hi\"\n"), "{text}");
}

#[test]
fn the_list_names_every_step_in_order() {
    assert_eq!(
        demo_steps(BIN),
        [
            "connect",
            "hello",
            "server-first",
            "chat",
            "one-at-a-time",
            "methods",
            "sendall",
            "half-close",
            "http",
            "low-port"
        ]
    );
}

/// One printed `send #N` / `recv #N` is one system call (where strace runs).
#[test]
fn every_printed_send_and_recv_is_one_system_call() {
    classroom::testing::assert_one_line_per_syscall(BIN, &["demo", "hello"]);
}

#[cfg(unix)]
#[test]
fn output_piped_into_a_reader_that_quit_ends_quietly() {
    classroom::testing::assert_quiet_on_closed_pipe(BIN, &["demo", "all"]);
}

/// Port 1023 and who may bind it, as the kernel says on this machine: root
/// may, and its child running as uid 65534 may not, unless
/// `net.ipv4.ip_unprivileged_port_start` lets everyone (each case checked
/// where it holds). The rule is printed with the sysctl's value.
#[cfg(target_os = "linux")]
#[test]
fn low_port_is_refused_to_an_ordinary_user_and_allowed_to_root() {
    let sysctl = "/proc/sys/net/ipv4/ip_unprivileged_port_start";
    let start: u16 = std::fs::read_to_string(sysctl)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let text = run_ok(BIN, &["demo", "low-port"]);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let root = status.lines().any(|l| l.starts_with("Uid:\t0\t0"));
    let refused = "bind 127.0.0.1:1023 failed: Permission denied (os error 13)\n";
    let allowed = "bind 127.0.0.1:1023 succeeded\n";
    if root {
        let child = "[server] the same bind, in a child process run as uid 65534 (nobody):\n[server] uid 65534, without CAP_NET_BIND_SERVICE: ";
        let expect = if start > 1023 { refused } else { allowed };
        assert!(text.contains(&format!("{child}{expect}")), "{text}");
        assert!(
            text.contains(
                "[server] uid 0, with CAP_NET_BIND_SERVICE: bind 127.0.0.1:1023 succeeded\n"
            ),
            "{text}"
        );
    } else if start > 1023 && !text.contains("with CAP_NET_BIND_SERVICE") {
        assert!(text.contains(refused), "{text}");
    }
    let rule = format!("* Linux: net.ipv4.ip_unprivileged_port_start is {start}: ");
    assert_eq!(text.matches(&rule).count(), 1, "{text}");
}
