//! Every event-loop server serves 200 clients at once from its one thread,
//! echoes each of them correctly, and leaks no descriptor.
#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::{Server, kinds};

const CLIENTS: usize = 200;

fn message(i: usize, round: usize) -> Vec<u8> {
    format!("client {i:03} says hello, round {round}").into_bytes()
}

/// All clients connect, then all speak before any reads its echo, twice:
/// the loop has 200 connections in flight at once.
fn serve_many(server: &Server) {
    let mut clients: Vec<TcpStream> = (0..CLIENTS).map(|_| server.client()).collect();
    for round in 0..2 {
        for (i, client) in clients.iter_mut().enumerate() {
            client.write_all(&message(i, round)).unwrap();
        }
        for (i, client) in clients.iter_mut().enumerate() {
            let expected = message(i, round);
            let mut back = vec![0; expected.len()];
            client.read_exact(&mut back).unwrap();
            assert_eq!(back, expected, "client {i}, round {round}");
        }
    }
    drop(clients);
    server.wait_left(CLIENTS);
}

#[cfg(target_os = "linux")]
#[test]
fn each_server_echoes_200_concurrent_clients_and_closes_every_descriptor() {
    use common::open_fds;
    use select_multiplex::multiplex::Kind;
    for kind in kinds() {
        let before = open_fds();
        let server = Server::start(kind);
        serve_many(&server);
        // Every client has left: the loop holds only its listener (and, for
        // epoll, the epoll instance).
        let own = 1 + usize::from(kind == Kind::Epoll);
        assert_eq!(open_fds(), before + own, "{kind:?} while serving");
        server.stop();
        assert_eq!(open_fds(), before, "{kind:?} after stopping");
    }
}

#[cfg(not(target_os = "linux"))]
#[test]
fn each_server_echoes_200_concurrent_clients() {
    for kind in kinds() {
        let server = Server::start(kind);
        serve_many(&server);
        server.stop();
    }
}
