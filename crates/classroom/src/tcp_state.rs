//! Read a TCP socket's state (ESTABLISHED, CLOSE_WAIT, TIME_WAIT, …) the way
//! `ss` does, from `/proc/net/tcp`. Linux only: elsewhere the functions say
//! the step needs Linux.
//!
//! Each line of `/proc/net/tcp` is one socket: local and remote address as
//! hex `IP:PORT` (the IP in the kernel's byte order), then the state as a hex
//! number. No root is needed to read it.

use std::io;
use std::net::SocketAddrV4;

/// The state names, indexed by the kernel's numbers (`include/net/tcp_states.h`).
const STATES: [&str; 12] = [
    "?",
    "ESTABLISHED",
    "SYN_SENT",
    "SYN_RECV",
    "FIN_WAIT1",
    "FIN_WAIT2",
    "TIME_WAIT",
    "CLOSE",
    "CLOSE_WAIT",
    "LAST_ACK",
    "LISTEN",
    "CLOSING",
];

/// The state of the IPv4 TCP socket with this local and remote address, if
/// the kernel lists one.
pub fn state_of(local: SocketAddrV4, remote: SocketAddrV4) -> io::Result<Option<&'static str>> {
    if !cfg!(target_os = "linux") {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "reading TCP states needs Linux (/proc/net/tcp); on macOS run `netstat -an -p tcp`, on Windows `netstat -an`",
        ));
    }
    let table = std::fs::read_to_string("/proc/net/tcp")?;
    Ok(find_state(&table, local, remote))
}

/// Find the state in the text of `/proc/net/tcp`.
pub fn find_state(table: &str, local: SocketAddrV4, remote: SocketAddrV4) -> Option<&'static str> {
    let (local, remote) = (proc_addr(local), proc_addr(remote));
    table.lines().skip(1).find_map(|line| {
        let mut fields = line.split_whitespace().skip(1);
        let (l, r, st) = (fields.next()?, fields.next()?, fields.next()?);
        if l == local && r == remote {
            let n = usize::from_str_radix(st, 16).ok()?;
            STATES.get(n).copied()
        } else {
            None
        }
    })
}

/// `127.0.0.1:8080` as the kernel writes it: `0100007F:1F90` (the address
/// as a native-endian u32 on little-endian machines, the port big-endian).
fn proc_addr(addr: SocketAddrV4) -> String {
    let ip = u32::from_ne_bytes(addr.ip().octets());
    format!("{ip:08X}:{:04X}", addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_endian = "little")]
    #[test]
    fn finds_a_socket_in_the_kernels_table() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue\n   0: 0100007F:1F90 0100007F:D431 08 00000000:00000000\n";
        let local = "127.0.0.1:8080".parse().unwrap();
        let remote = "127.0.0.1:54321".parse().unwrap();
        assert_eq!(find_state(table, local, remote), Some("CLOSE_WAIT"));
        assert_eq!(find_state(table, remote, local), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_live_connection_is_established() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (std::net::SocketAddr::V4(l), std::net::SocketAddr::V4(r)) =
            (client.local_addr().unwrap(), client.peer_addr().unwrap())
        else {
            panic!("IPv4 expected");
        };
        assert_eq!(state_of(l, r).unwrap(), Some("ESTABLISHED"));
    }
}
