//! A client that leaves early is a normal end, said calmly: the server
//! names it, and serves the next client.

mod common;

use std::io::Read;
use std::time::Duration;

use common::start_server;
use socket2::SockRef;

#[test]
fn a_client_that_resets_after_its_welcome_is_a_calm_ending() {
    let server = start_server("welcome");
    let rude = server.connect();
    (&rude).read_exact(&mut [0u8; 9]).unwrap(); // its welcome
    // SO_LINGER 0: close() sends RST, as a client killed mid-session does.
    SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(rude);
    let seen = server.wait_for("left that connection early");
    let last = seen.last().unwrap();
    assert!(
        last.contains("a normal end for a client that wants no more"),
        "{last}"
    );
    // And the next client is welcomed.
    let next = server.connect();
    (&next).read_exact(&mut [0u8; 9]).unwrap();
}
