//! The binary as a student runs it: the documents' numbers come out, and
//! bad input gets one clear line on stderr and exit code 2.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_net_basics"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Run `args`, expect exit code 2 and exactly one line on stderr.
fn refused(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    assert!(output.stdout.is_empty(), "{args:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    stderr
}

#[test]
fn ip_prints_the_documents_binary() {
    let output = run(&["ip", "100.4.5.6"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("binary       01100100.00000100.00000101.00000110\n"));
    assert!(text.contains("one number   1677985030 = "));
    assert!(text.contains("on the wire  64 04 05 06 "));
}

#[test]
fn subnet_says_yes_for_the_documents_example_and_no_across_a_gateway() {
    let same = stdout(&run(&[
        "subnet",
        "172.16.10.1",
        "172.16.10.2",
        "255.255.255.0",
    ]));
    assert!(same.contains("= 172.16.10.0      10101100.00010000.00001010.00000000\n"));
    assert!(same.contains("\nsame subnet: yes\n"));
    let apart = stdout(&run(&["subnet", "192.168.1.1", "192.168.2.1", "/24"]));
    assert!(apart.contains("\nsame subnet: no\n"));
}

#[test]
fn layers_sends_a_real_request_and_reads_the_answer() {
    let output = run(&["layers"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("the server answered: HTTP/1.1 200 OK\n"),
        "{text}"
    );
    assert!(text.contains(": our source address and port\n"), "{text}");
    assert!(text.contains("frame (帧) of 93 bytes\n"), "{text}");
}

#[test]
fn an_octet_above_255_is_refused() {
    let err = refused(&["ip", "300.1.2.3"]);
    assert!(err.contains("\"300\" is more than 255"), "{err}");
}

#[test]
fn three_parts_are_refused() {
    let err = refused(&["ip", "1.2.3"]);
    assert!(
        err.contains("it has 3 parts, dotted decimal has exactly 4"),
        "{err}"
    );
}

#[test]
fn letters_are_refused() {
    let err = refused(&["ip", "a.b.c.d"]);
    assert!(
        err.contains("octet 1 \"a\" is not a decimal number"),
        "{err}"
    );
}

#[test]
fn a_mask_with_gaps_is_refused() {
    let err = refused(&["subnet", "10.0.0.1", "10.0.0.2", "255.0.255.0"]);
    assert!(err.contains("255.0.255.0 is not a subnet mask"), "{err}");
    let err = refused(&["subnet", "10.0.0.1", "10.0.0.2", "/33"]);
    assert!(err.contains("/33 is not a prefix length"), "{err}");
}

#[test]
fn a_bad_address_in_subnet_is_refused() {
    let err = refused(&["subnet", "10.0.0.1", "10.0.0.256", "/8"]);
    assert!(
        err.contains("\"10.0.0.256\" is not an IPv4 address"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn output_piped_into_a_reader_that_quit_ends_quietly() {
    classroom::testing::assert_quiet_on_closed_pipe(env!("CARGO_BIN_EXE_net_basics"), &["layers"]);
}

/// The command-line contract every lesson crate follows: `demo --list`
/// names the steps, `demo STEP` runs one on the documents' example, and
/// `demo` alone is `demo all`, what the crate runs with no arguments.
#[test]
fn demo_follows_the_contract() {
    let list = stdout(&run(&["demo", "--list"]));
    let steps: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        steps,
        ["ip", "subnet", "kind", "layers", "resolve"],
        "{list}"
    );
    assert_eq!(
        stdout(&run(&["demo", "ip"])),
        stdout(&run(&["ip", "100.4.5.6"]))
    );
    assert_eq!(
        stdout(&run(&["demo", "subnet"])),
        stdout(&run(&[
            "subnet",
            "172.16.10.1",
            "172.16.10.2",
            "255.255.255.0"
        ]))
    );
    let layers = run(&["demo", "layers"]);
    assert!(layers.status.success());
    assert!(stdout(&layers).contains("the server answered: HTTP/1.1 200 OK\n"));
    for args in [&["demo"][..], &["demo", "all"], &[]] {
        let tour = stdout(&run(args));
        assert!(
            tour.contains("== net_basics ip 100.4.5.6 ==\n")
                && tour.contains("== net_basics layers ==")
                && tour.contains("== net_basics resolve localhost =="),
            "{args:?}: {tour}"
        );
    }
    assert_eq!(run(&["demo", "nope"]).status.code(), Some(2));
}

/// Document 002's two addresses: its own machine's is private, Baidu's public.
#[test]
fn kind_tells_private_from_public() {
    let text = stdout(&run(&["kind", "192.168.10.1", "110.242.68.3"]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("192.168.10.1     private (私有地址)"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("110.242.68.3     public (公网地址)"),
        "{text}"
    );
    let err = refused(&["kind", "192.168.1"]);
    assert!(err.contains("dotted decimal has exactly 4"), "{err}");
}

/// `resolve` with no name resolves localhost, from the hosts file where it
/// is there; a number is looked up nowhere; a name that cannot be resolved
/// is an error, exit code 1.
#[test]
fn resolve_says_where_the_answer_came_from() {
    let text = stdout(&run(&["resolve"]));
    assert!(text.starts_with("name           localhost\n"), "{text}");
    assert!(text.contains("\ngetaddrinfo    "), "{text}");
    assert!(
        text.contains("no DNS query, no network") || text.contains("knows localhost itself"),
        "{text}"
    );
    let number = stdout(&run(&["resolve", "192.0.2.7"]));
    assert!(
        number.contains("already an address, getaddrinfo looks nothing up"),
        "{number}"
    );
    // An empty name is refused before any lookup.
    let output = run(&["resolve", ""]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(err, "error: an empty name is not a host name\n");
}
