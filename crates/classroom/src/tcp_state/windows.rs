//! TCP states on Windows, from the IP Helper API: `GetExtendedTcpTable`
//! with `TCP_TABLE_BASIC_ALL` returns every IPv4 connection of every
//! process (TIME_WAIT ones included, which belong to no process any more),
//! the table `netstat -an` prints. No administrator rights are needed.
//! (`TCP_TABLE_OWNER_PID_ALL` would add each socket's process, which this
//! lookup does not need; under Wine, finding those processes made each
//! call take seconds.)
//!
//! The one unsafe call fills a byte buffer; the rows are then read out of
//! the bytes with plain, checked slicing, so no pointer is ever cast to a
//! struct. That decoding is compiled on every system, and tested on Linux.

use std::net::SocketAddrV4;

/// The state names, indexed by Windows' `MIB_TCP_STATE` numbers
/// (`tcpmib.h`), written as Linux names them so a lesson reads the same on
/// both systems.
const STATES: [&str; 13] = [
    "?",
    "CLOSE",
    "LISTEN",
    "SYN_SENT",
    "SYN_RECV",
    "ESTABLISHED",
    "FIN_WAIT1",
    "FIN_WAIT2",
    "CLOSE_WAIT",
    "CLOSING",
    "LAST_ACK",
    "TIME_WAIT",
    "DELETE_TCB",
];

/// `MIB_TCPTABLE`: a `u32` count, then the rows.
const HEADER: usize = 4;
/// `MIB_TCPROW`: five `u32`s: state, local address, local port, remote
/// address, remote port. Addresses are in network byte order, and so are
/// ports, in the first two bytes of their `u32`.
const ROW: usize = 20;

/// Find the state of `local <-> remote` in the bytes of a `MIB_TCPTABLE`.
pub(super) fn find_state(
    table: &[u8],
    local: SocketAddrV4,
    remote: SocketAddrV4,
) -> Option<&'static str> {
    let count = u32::from_ne_bytes(table.get(..HEADER)?.try_into().ok()?) as usize;
    let rows = table.get(HEADER..)?.chunks_exact(ROW).take(count);
    rows.into_iter().find_map(|row| {
        let word = |i: usize| &row[i * 4..i * 4 + 4];
        let port = |i: usize| u16::from_be_bytes([row[i * 4], row[i * 4 + 1]]);
        let matches = word(1) == local.ip().octets()
            && port(2) == local.port()
            && word(3) == remote.ip().octets()
            && port(4) == remote.port();
        matches.then(|| {
            let state = u32::from_ne_bytes(word(0).try_into().expect("4 bytes"));
            STATES.get(state as usize).copied().unwrap_or("?")
        })
    })
}

#[cfg(windows)]
pub(super) use system::state_of;

#[cfg(windows)]
mod system {
    use std::io;
    use std::net::SocketAddrV4;

    use windows_sys::Win32::Foundation::{ERROR_INSUFFICIENT_BUFFER, NO_ERROR};
    use windows_sys::Win32::NetworkManagement::IpHelper::{
        GetExtendedTcpTable, MIB_TCP_STATE_DELETE_TCB, MIB_TCP_STATE_ESTAB,
        MIB_TCP_STATE_TIME_WAIT, MIB_TCPROW_LH, TCP_TABLE_BASIC_ALL,
    };
    use windows_sys::Win32::Networking::WinSock::AF_INET;

    use super::{HEADER, ROW, STATES, find_state};

    // The layout and numbers above, checked against the SDK's at compile time.
    const _: () = assert!(size_of::<MIB_TCPROW_LH>() == ROW && HEADER == 4);
    const _: () = assert!(STATES.len() == MIB_TCP_STATE_DELETE_TCB as usize + 1);
    const _: () = assert!(MIB_TCP_STATE_ESTAB == 5 && MIB_TCP_STATE_TIME_WAIT == 11);

    /// How many times to ask again when the table grew between asking its
    /// size and fetching it (connections come and go meanwhile).
    const TRIES: usize = 4;

    /// The state of `local <-> remote`, if Windows lists that connection.
    pub(in super::super) fn state_of(
        local: SocketAddrV4,
        remote: SocketAddrV4,
    ) -> io::Result<Option<&'static str>> {
        let table = tcp_table()?;
        Ok(find_state(&table, local, remote))
    }

    /// The bytes of a `MIB_TCPTABLE` for IPv4 (the count in its header
    /// says how many rows were written; the bytes after them are zeros).
    fn tcp_table() -> io::Result<Vec<u8>> {
        let mut table: Vec<u8> = Vec::new();
        for _ in 0..TRIES {
            let mut size = u32::try_from(table.len()).unwrap_or(u32::MAX);
            let out = if table.is_empty() {
                std::ptr::null_mut()
            } else {
                table.as_mut_ptr().cast()
            };
            #[allow(unsafe_code)]
            // SAFETY: `out` is null with `size` 0 (the call then only writes
            // the size it needs into `size`), or points to `table`, which
            // owns `size` writable bytes. The call writes at most `size`
            // bytes there, and the size into `size`; both outlive the call.
            // The rows are read from the bytes afterwards, so their
            // alignment does not matter.
            let status = unsafe {
                GetExtendedTcpTable(
                    out,
                    &mut size,
                    0, // unsorted
                    u32::from(AF_INET),
                    TCP_TABLE_BASIC_ALL,
                    0,
                )
            };
            match status {
                NO_ERROR => return Ok(table),
                // Connections come and go between two calls (a busy
                // machine opens thousands a second): leave room for more.
                ERROR_INSUFFICIENT_BUFFER => {
                    let needed = size as usize;
                    table.resize(needed + needed / 4 + 64 * ROW, 0);
                }
                other => return Err(io::Error::from_raw_os_error(other as i32)),
            }
        }
        Err(io::Error::other(
            "GetExtendedTcpTable: the table kept growing while it was read",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of two rows, as `GetExtendedTcpTable` lays it out.
    fn table(rows: &[(u32, SocketAddrV4, SocketAddrV4)]) -> Vec<u8> {
        let mut bytes = (rows.len() as u32).to_ne_bytes().to_vec();
        for (state, local, remote) in rows {
            bytes.extend(state.to_ne_bytes());
            for addr in [local, remote] {
                bytes.extend(addr.ip().octets());
                bytes.extend(addr.port().to_be_bytes());
                bytes.extend([0, 0]);
            }
        }
        bytes
    }

    #[test]
    fn finds_a_connection_in_the_ip_helper_table() {
        let server = "127.0.0.1:8898".parse().unwrap();
        let client = "127.0.0.1:51376".parse().unwrap();
        let other = "127.0.0.1:51377".parse().unwrap();
        let bytes = table(&[(5, client, server), (11, server, client)]);
        assert_eq!(find_state(&bytes, server, client), Some("TIME_WAIT"));
        assert_eq!(find_state(&bytes, client, server), Some("ESTABLISHED"));
        assert_eq!(find_state(&bytes, other, server), None);
        // A count larger than the bytes, or a cut-off row, is not read past.
        let mut lying = bytes.clone();
        lying[..4].copy_from_slice(&9u32.to_ne_bytes());
        assert_eq!(find_state(&lying, server, client), Some("TIME_WAIT"));
        assert_eq!(find_state(&bytes[..4 + 20 + 10], server, client), None);
        assert_eq!(find_state(&[1, 0], server, client), None);
    }
}
