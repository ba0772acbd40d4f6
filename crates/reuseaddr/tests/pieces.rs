//! The library's small pieces on their own: each way of binding sets the
//! option it says, a client sends one message per run, and TCP states are
//! looked up for IPv4 only.

use std::io::ErrorKind;
use std::net::SocketAddr;

use reuseaddr::bind::{bind_with_reuse, bind_without_reuse};
use reuseaddr::{Bind, kernel_state, one_message};
use socket2::SockRef;

#[test]
fn each_way_sets_the_option_it_says() {
    let any = classroom::cli::ephemeral();
    let off = bind_without_reuse(any).unwrap();
    let on = bind_with_reuse(any).unwrap();
    assert!(!SockRef::from(&off).reuse_address().unwrap());
    assert!(SockRef::from(&on).reuse_address().unwrap());
    let std = Bind::Std.bind(any).unwrap();
    // std sets it on Unix and deliberately not on Windows.
    assert_eq!(SockRef::from(&std).reuse_address().unwrap(), cfg!(unix));
}

// Windows lets SO_REUSEADDR bind over a live listener: that is why std
// does not set it there (see the `std` step).
#[cfg(target_os = "linux")]
#[test]
fn a_live_listener_blocks_the_port_even_with_the_option() {
    let first = bind_with_reuse(classroom::cli::ephemeral()).unwrap();
    let addr = first.local_addr().unwrap();
    let err = bind_with_reuse(addr).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
}

#[test]
fn a_client_sends_one_message() {
    assert_eq!(one_message(&[]).unwrap(), b"hello!");
    assert_eq!(one_message(&["你好".into()]).unwrap(), "你好".as_bytes());
    let two = one_message(&["a".into(), "b".into()]).unwrap_err();
    assert_eq!(two.kind(), ErrorKind::InvalidInput);
    assert!(one_message(&["".into()]).is_err());
}

#[test]
fn states_are_for_ipv4_only() {
    let v6: SocketAddr = "[::1]:1".parse().unwrap();
    let err = kernel_state(v6, v6).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
}
