//! The library's small pieces on their own: the other work, the demos'
//! turn-taking, error names, and the few system calls std does not have.

use std::io::{self, ErrorKind};
use std::time::Duration;

use classroom::Side;
use nonblocking::{OtherWork, Turns};

#[test]
fn other_work_finds_primes() {
    let mut work = OtherWork::default();
    (0..100).for_each(|_| work.one_piece());
    assert_eq!(work.counts(), (100, 25));
    assert_eq!(work.summary(), "100 pieces of other work (found 25 primes)");
}

#[test]
fn a_demo_hands_over_its_turn_only_on_a_loops_first_try() {
    let (ours, theirs) = Turns::pair();
    let mut work = OtherWork::taking_turns(ours);
    let would_block = io::Error::from(ErrorKind::WouldBlock);
    theirs.pass(); // the turn the first try will wait for
    work.not_yet(&Side::server(), "accept()", 1, &would_block)
        .unwrap();
    assert!(theirs.wait().is_ok(), "the first try passed the turn");
    work.not_yet(&Side::server(), "accept()", 2, &would_block)
        .unwrap();
    assert!(theirs.hold_back(Duration::from_millis(5)).is_ok());
    assert_eq!(work.counts().0, 2);
}

#[test]
fn holding_back_fails_if_the_other_side_speaks_or_leaves() {
    let (a, b) = Turns::pair();
    b.pass();
    assert!(a.hold_back(Duration::from_secs(5)).is_err());
    assert!(a.hold_back(Duration::from_millis(1)).is_ok());
    drop(b);
    assert!(a.hold_back(Duration::from_secs(5)).is_err());
}

#[cfg(target_os = "linux")]
#[test]
fn os_errors_carry_their_errno_name() {
    use nonblocking::{is_in_progress, os::errno_name, os_error};
    let text = os_error(&io::Error::from_raw_os_error(11));
    assert_eq!(
        text,
        "EAGAIN: Resource temporarily unavailable (os error 11)"
    );
    assert_eq!(errno_name(-5), None);
    assert!(is_in_progress(&io::Error::from_raw_os_error(115)));
    assert!(!is_in_progress(&io::Error::from_raw_os_error(111)));
}

/// Windows' own text for the Winsock numbers the lesson shows, even where
/// the system has none (Wine).
#[cfg(windows)]
#[test]
fn winsock_errors_carry_their_name_and_windows_text() {
    use nonblocking::{is_in_progress, os_error};
    let text = os_error(&io::Error::from_raw_os_error(10035));
    let expected = "WSAEWOULDBLOCK: A non-blocking socket operation could not be completed immediately. (os error 10035)";
    assert_eq!(text, expected);
    assert!(is_in_progress(&io::Error::from_raw_os_error(10035)));
    assert!(!is_in_progress(&io::Error::from_raw_os_error(10061)));
}

/// The system calls of `os`: poll and getrusage on Unix, WSAPoll and
/// GetThreadTimes on Windows.
mod os {
    use super::*;
    use nonblocking::os::{cpu_time, writable_now};
    use socket2::{Domain, Socket, Type};

    #[test]
    fn cpu_time_grows_with_work() {
        let before = cpu_time().unwrap();
        let mut x = 0u64;
        let mut spent = Duration::ZERO;
        while spent < Duration::from_millis(20) {
            for i in 0..100_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
            spent = cpu_time().unwrap() - before;
        }
        assert!(spent >= Duration::from_millis(20));
    }

    #[test]
    fn a_socket_is_writable_once_connected() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        socket
            .connect(&listener.local_addr().unwrap().into())
            .unwrap();
        assert_eq!(writable_now(&socket).unwrap(), "POLLOUT");
    }
}
