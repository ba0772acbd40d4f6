//! Lesson 00: the network of an address, and port 0.

use std::net::{Ipv4Addr, TcpStream};
use std::time::Duration;

use crate::{Version, pick, within};

fn network(version: Version, ip: [u8; 4], prefix: u8, expected: [u8; 4]) -> Result<(), String> {
    let network_of = pick!(version, network::network_of);
    let (ip, expected) = (Ipv4Addr::from(ip), Ipv4Addr::from(expected));
    let got = network_of(ip, prefix);
    if got == expected {
        return Ok(());
    }
    Err(format!(
        "network_of({ip}, {prefix}) returned {got}, not {expected}: the mask of /{prefix} has ones in the first {prefix} bits"
    ))
}

pub fn slash_24(version: Version) -> Result<(), String> {
    network(version, [192, 168, 1, 77], 24, [192, 168, 1, 0])
}

pub fn slash_12(version: Version) -> Result<(), String> {
    network(version, [172, 16, 200, 9], 12, [172, 16, 0, 0])
}

pub fn ends(version: Version) -> Result<(), String> {
    network(version, [10, 1, 2, 3], 32, [10, 1, 2, 3])?;
    network(version, [10, 1, 2, 3], 0, [0, 0, 0, 0])
}

pub fn port(version: Version) -> Result<(), String> {
    let listen_anywhere = pick!(version, port::listen_anywhere);
    let (listener, port) = listen_anywhere().map_err(|e| format!("listen_anywhere failed: {e}"))?;
    if port == 0 {
        return Err("you returned port 0: in bind, 0 asks the kernel to pick a port; it is not the port picked, and no client can connect to port 0".into());
    }
    let bound = listener.local_addr().map_err(|e| e.to_string())?.port();
    if port != bound {
        return Err(format!(
            "you returned port {port}, but the listener is on port {bound}"
        ));
    }
    let client = TcpStream::connect((Ipv4Addr::LOCALHOST, port))
        .map_err(|e| format!("a client could not connect to port {port}: {e}"))?;
    let accepted = within(Duration::from_secs(1), move || listener.accept())
        .map_err(|_| {
            format!("a client connected to port {port}, but your listener did not get it")
        })?
        .map_err(|e| format!("accept failed: {e}"))?;
    let (_, peer) = accepted;
    if Some(peer) != client.local_addr().ok() {
        return Err(format!("your listener accepted {peer}, not the client"));
    }
    Ok(())
}
