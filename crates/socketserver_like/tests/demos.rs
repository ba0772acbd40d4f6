//! Every demo prints the same output run after run (ports and times
//! aside): the roles are synchronised with channels and with the protocol
//! itself, never timed.

use classroom::testing::{assert_same_every_run, demo_steps, run_ok};

const BIN: &str = env!("CARGO_BIN_EXE_socketserver_like");
const RUNS: usize = 20;

#[test]
fn every_demo_prints_the_same_every_run() {
    assert_same_every_run(BIN, &["demo", "all"], RUNS, &[]);
}

#[test]
fn the_headline_is_the_documents_upper_exchange() {
    let text = run_ok(BIN, &[]);
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
    assert_eq!(
        demo_steps(BIN),
        [
            "upper",
            "welcome",
            "sequential",
            "threading",
            "pool",
            "starve",
            "udp",
            "shutdown"
        ]
    );
}

#[test]
fn the_sequential_server_makes_client_2_wait_and_threading_does_not() {
    let sequential = run_ok(BIN, &["demo", "sequential"]);
    assert!(
        sequential
            .contains("[client 2] no welcome within 300ms: the server is still busy with client 1"),
        "{sequential}"
    );
    let threading = run_ok(BIN, &["demo", "threading"]);
    assert!(!threading.contains("no welcome"), "{threading}");
    // Client 2 is welcomed before client 1 says anything.
    let welcomed = threading.find("[client 2] recv #1").unwrap();
    let one_speaks = threading.find("[client 1] send #1").unwrap();
    assert!(welcomed < one_speaks, "{threading}");
}

/// The headline's printed sends and receives are its system calls, one for
/// one (the other demos also ring and drain `shutdown()`'s waker socket,
/// which is the library's, not the conversation's).
#[test]
fn the_headline_prints_one_line_per_system_call() {
    classroom::testing::assert_one_line_per_syscall(BIN, &["demo", "upper"]);
}

/// `compare PAIR`: the line the fix removes and the one it adds, and for
/// each side the line of its demo saying what happened. Client 2 is kept
/// waiting by the plain server and welcomed by the threading one; client 5
/// starves behind 4 silent clients in the pool whose workers read for
/// themselves, and client 21 is answered with 20 of them connected to the
/// watched pool.
#[test]
fn compare_shows_each_fix_and_what_each_side_did() {
    let pairs = [
        (
            "sequential",
            "\n-     TcpServer::bind(addr, Welcome)\n",
            "\n+     Ok(Server::new(server_bind(addr, BACKLOG)?, Welcome)?.threading())\n",
            "demo sequential  exit 0  * client 2 waited ",
            "demo threading   exit 0  * client 2 was welcomed after ",
        ),
        (
            "starve",
            "\n-         if let Some(line) = read_line(&mut rfile, MAX_LINE)? {\n",
            "\n+     let watched = Watched::lines(server_bind(addr, BACKLOG)?);\n",
            "[client 5] no answer within 300ms: every worker waits for a silent client",
            "demo pool    exit 0  [client 21] answered after ",
        ),
    ];
    for (pair, removed, added, broken, fixed) in pairs {
        let text = run_ok(BIN, &["compare", pair]);
        assert!(text.contains(removed) && text.contains(added), "{text}");
        let row = |label: &str| {
            let row = text
                .lines()
                .find(|l| l.starts_with(label) && l.contains("exit 0"));
            row.unwrap_or_else(|| panic!("no {label} row that exited 0:\n{text}"))
        };
        assert!(row("broken").contains(broken), "{text}");
        assert!(row("fixed").contains(fixed), "{text}");
    }
}
