//! `server blocking` serves one client at a time: it echoes one client
//! until that client leaves, then accepts the next.
#![cfg(unix)] // for `common`; the blocking server itself runs everywhere

mod common;

use classroom::testing::ServerProcess;
use common::echo;

const BIN: &str = env!("CARGO_BIN_EXE_select_multiplex");

#[test]
fn the_blocking_server_echoes_each_client_in_turn() {
    let server = ServerProcess::start(BIN, &["server", "blocking", "--port", "0"]);
    let mut first = server.connect();
    assert_eq!(echo(&mut first, b"one"), b"one");
    drop(first);
    server.wait_for("waiting for a connection");
    let mut second = server.connect();
    assert_eq!(echo(&mut second, b"two"), b"two");
}
