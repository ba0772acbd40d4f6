//! One forged datagram must not set two answering servers (or one server
//! and itself) talking for ever. The datagrams are "forged" the way an
//! attacker's would be: sent from the victim's own address, here through a
//! second handle on the victim's socket.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use classroom::Traced;
use udp_chat::{ANSWERS_PER_SECOND, Budget, chat, hello, many, same_port};

/// A server whose loop has stopped hears nothing for this long.
const QUIET: Duration = Duration::from_secs(1);

/// A server that hears this many datagrams is answering in a loop.
const ENDLESS: usize = 10_000;

/// Answer a loop allows before it stops: each server answers the other
/// at most [`ANSWERS_PER_SECOND`] times, and the forged datagram starts it.
const BOUND: usize = 2 * ANSWERS_PER_SECOND as usize + 1;

type Step = Box<dyn FnMut(&Traced<UdpSocket>, &mut Budget) -> io::Result<()> + Send>;

/// A server step's name, and how to make one.
type Named = (&'static str, fn() -> Step);

/// Every server step of the lesson, by name.
fn steps() -> Vec<Named> {
    vec![
        ("hello", || Box::new(hello::server)),
        ("many", || Box::new(many::server)),
        ("same-port", || Box::new(same_port::udp_server)),
        ("chat", || {
            let mut replies = std::iter::repeat_with(|| "ok".to_owned());
            Box::new(move |socket, budget| chat::server(socket, budget, &mut replies))
        }),
    ]
}

/// A server socket on loopback, and a second handle on it to forge with.
fn bind() -> (UdpSocket, UdpSocket, SocketAddr) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(QUIET)).unwrap();
    let forger = socket.try_clone().unwrap();
    let addr = socket.local_addr().unwrap();
    (socket, forger, addr)
}

/// Run `step` on `socket` until nothing arrives for [`QUIET`] (or
/// [`ENDLESS`] datagrams came); how many datagrams it heard.
fn serve(socket: UdpSocket, mut step: Step) -> JoinHandle<usize> {
    thread::spawn(move || {
        let socket = Traced::quiet(socket);
        let mut budget = Budget::default();
        (0..ENDLESS)
            .take_while(|_| step(&socket, &mut budget).is_ok())
            .count()
    })
}

/// A chat message, so that the chat server answers it too.
const FORGED: &[u8] = br#"{"name": "x", "msg": "hello"}"#;

#[test]
fn a_datagram_forged_from_the_servers_own_address_is_not_answered() {
    let running: Vec<_> = steps()
        .into_iter()
        .map(|(name, step)| {
            let (socket, forger, addr) = bind();
            let server = serve(socket, step());
            forger.send_to(FORGED, addr).unwrap();
            (name, server)
        })
        .collect();
    for (name, server) in running {
        assert_eq!(server.join().unwrap(), 1, "{name} answered itself");
    }
}

#[test]
fn a_datagram_forged_between_two_servers_ends_within_the_budget() {
    // Pairs that answer each other's answers: each would loop for ever.
    let pairs = [(0, 1), (1, 2), (2, 0), (3, 3)];
    let steps = steps();
    let running: Vec<_> = pairs
        .map(|(a, b)| {
            let ((a_name, a_step), (b_name, b_step)) = (&steps[a], &steps[b]);
            let (a, _, a_addr) = bind();
            let (b, from_b, _) = bind();
            let (a, b) = (serve(a, a_step()), serve(b, b_step()));
            // "From" B, to A: A answers B, B answers A, …
            from_b.send_to(FORGED, a_addr).unwrap();
            (format!("{a_name} and {b_name}"), a, b)
        })
        .into();
    for (pair, a, b) in running {
        let heard = a.join().unwrap() + b.join().unwrap();
        assert!(
            (ANSWERS_PER_SECOND as usize..=BOUND).contains(&heard),
            "{pair}: {heard} datagrams (a loop stops after {BOUND})"
        );
    }
}
