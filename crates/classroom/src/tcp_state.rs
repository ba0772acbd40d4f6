//! Read a TCP socket's state (ESTABLISHED, CLOSE_WAIT, TIME_WAIT, …) from
//! the operating system's own table of connections, the one `ss` and
//! `netstat` print. No root or administrator rights are needed.
//!
//! * Linux: the text file `/proc/net/tcp` (this module).
//! * Windows: the IP Helper API, `GetExtendedTcpTable` (`tcp_state/windows.rs`).
//! * macOS: not shown; `macos` below says where the table is and why it is
//!   not read.
//!
//! Each line of `/proc/net/tcp` is one socket: local and remote address as
//! hex `IP:PORT` (the IP in the kernel's byte order), then the state as a hex
//! number.

use std::io;
use std::net::SocketAddrV4;

#[cfg(any(windows, test))]
mod windows;

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
/// the system lists one. The names are Linux's on every system.
pub fn state_of(local: SocketAddrV4, remote: SocketAddrV4) -> io::Result<Option<&'static str>> {
    #[cfg(target_os = "linux")]
    {
        let table = std::fs::read_to_string("/proc/net/tcp")?;
        Ok(find_state(&table, local, remote))
    }
    #[cfg(windows)]
    {
        windows::state_of(local, remote)
    }
    #[cfg(target_os = "macos")]
    {
        let _ = (local, remote);
        Err(macos::unsupported())
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    {
        let _ = (local, remote);
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "reading TCP states is done on Linux and Windows only; run `netstat -an`",
        ))
    }
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

/// macOS keeps its connections in the sysctl `net.inet.tcp.pcblist_n`,
/// which `netstat` reads: a stream of `xinpcb_n`, `xsocket_n` and
/// `xtcpcb_n` records. Those layouts are private (declared only in Apple's
/// xnu sources, `bsd/netinet/in_pcb.h` and `tcp_var.h`, not in the macOS
/// SDK), free to change with any release, and no machine of this project
/// could test a decoder for them. So the state is not shown, and the
/// message names the command that shows it.
#[cfg(target_os = "macos")]
mod macos {
    use std::io;

    pub(super) fn unsupported() -> io::Error {
        io::Error::new(
            io::ErrorKind::Unsupported,
            "on macOS run `netstat -an -p tcp` (its table, sysctl net.inet.tcp.pcblist_n, is not a public API)",
        )
    }
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

    #[cfg(any(target_os = "linux", windows))]
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
