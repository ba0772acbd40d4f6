//! Document 000's Python client against our servers. Skipped, with the
//! reason printed, when python3 is not installed.

mod common;

use classroom::testing::{DOC000_CLIENT, ServerProcess, python3, run_python};
use common::start_server;

fn run_doc_client(server: &ServerProcess) -> String {
    run_python(DOC000_CLIENT, &[&server.addr.port().to_string()])
}

// The document's client closes the moment it has its answer. Our server
// sends `hi` and its FIN in one segment, so the server is still the one
// that closes first, every time.
#[cfg(target_os = "linux")]
#[test]
fn the_documents_client_leaves_our_broken_server_unable_to_restart() {
    if python3().is_none() {
        return;
    }
    for _ in 0..5 {
        let server = start_server("broken");
        assert_eq!(run_doc_client(&server), "b'hi'\n");
        let seen = server.wait_for("bind failed");
        let text = seen.join("\n");
        assert!(text.contains(" in TIME_WAIT\n"), "{text}");
        assert!(
            text.ends_with("bind failed: Address already in use (os error 98)"),
            "{text}"
        );
        assert!(server.wait_exit().success());
    }
}

#[test]
fn the_documents_client_and_our_fixed_server_restart_and_go_on() {
    if python3().is_none() {
        return;
    }
    let server = start_server("fixed");
    for _ in 0..3 {
        assert_eq!(run_doc_client(&server), "b'hi'\n");
        let seen = server.wait_for("listening again on");
        assert!(
            seen.iter().any(|l| l.ends_with("6 bytes \"hello!\"")),
            "{seen:?}"
        );
        // The document's client closed after its answer: a normal end.
        assert!(!seen.iter().any(|l| l.contains("gave up")), "{seen:?}");
        server.wait_for("waiting for a connection");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_documents_client_closes_first_and_the_server_restarts_without_the_option() {
    if python3().is_none() {
        return;
    }
    let server = start_server("client-closes-first");
    assert_eq!(run_doc_client(&server), "b'hi'\n");
    let seen = server.wait_for("listening again on").join("\n");
    assert!(seen.contains("the kernel has no socket"), "{seen}");
    assert!(seen.contains("(SO_REUSEADDR off)"), "{seen}");
}
