//! `resolve`: from a name to an address (域名解析). Sockets connect to IP
//! addresses; people type names. Before any socket call, the resolver
//! turns the name into addresses: `getaddrinfo` in C, `ToSocketAddrs` in
//! Rust, `socket.getaddrinfo` / `gethostbyname` in Python. It reads the
//! hosts file first, and only for a name not there asks DNS (域名系统), a
//! server on the network. So `localhost` needs no network at all.

use std::io;
use std::net::{IpAddr, ToSocketAddrs};

use classroom::errors::context;
use classroom::narrate;

/// Where this system keeps its hosts file.
pub const HOSTS: &str = if cfg!(windows) {
    r"C:\Windows\System32\drivers\etc\hosts"
} else {
    "/etc/hosts"
};

/// Linux (glibc): the file that says which sources the resolver asks, in order.
pub const NSSWITCH: &str = "/etc/nsswitch.conf";

/// The lines of a hosts file that give an address for `name`, comments
/// (`#` to the end of the line) left out, spaces tidied. Each line is an
/// address, then the names it has; names match whatever their case.
pub fn hosts_lines(hosts: &str, name: &str) -> Vec<String> {
    hosts
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .filter(|line| {
            line.split_whitespace()
                .skip(1)
                .any(|n| n.eq_ignore_ascii_case(name))
        })
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The sources an nsswitch.conf names for host names (`files dns`), if any.
pub fn host_sources(nsswitch: &str) -> Option<String> {
    let line = nsswitch
        .lines()
        .find_map(|l| l.trim().strip_prefix("hosts:"))?;
    Some(line.split_whitespace().collect::<Vec<_>>().join(" "))
}

// ANCHOR: lookup
/// Every address the resolver gives for `name`, as a Rust program asks for
/// them: `ToSocketAddrs` calls `getaddrinfo`, the same call Python's
/// `socket.getaddrinfo(name, 0)` makes. (Port 0: only the address matters.)
pub fn lookup(name: &str) -> io::Result<Vec<IpAddr>> {
    let found = (name, 0).to_socket_addrs();
    let found = found.map_err(|e| context(e, format!("resolving {name:?}")))?;
    let mut addrs: Vec<IpAddr> = found.map(|addr| addr.ip()).collect();
    addrs.dedup();
    Ok(addrs)
}
// ANCHOR_END: lookup

/// The `resolve` tool: what the hosts file says about `name`, what the
/// resolver answers, and where that answer came from.
pub fn explain(name: &str) -> io::Result<()> {
    if name.is_empty() {
        let why = "an empty name is not a host name";
        return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
    }
    println!("name           {name}");
    if let Ok(ip) = name.parse::<IpAddr>() {
        println!("numeric        {ip}: already an address, getaddrinfo looks nothing up");
        return Ok(());
    }
    let lines = hosts_lines(&std::fs::read_to_string(HOSTS).unwrap_or_default(), name);
    for line in &lines {
        println!("hosts file     {HOSTS}: {line}");
    }
    if lines.is_empty() {
        println!("hosts file     {HOSTS}: no line for {name}");
    }
    if let Some(order) = std::fs::read_to_string(NSSWITCH)
        .ok()
        .as_deref()
        .and_then(host_sources)
    {
        // Only the first source: what comes after it differs from machine
        // to machine (mdns, resolve, myhostname), the first rarely.
        let first = order.split_whitespace().next().unwrap_or("");
        let what = if first == "files" {
            " (the hosts file)"
        } else {
            ""
        };
        println!("asked first    {first}{what}  ({NSSWITCH}, Linux)");
    }
    let addrs = lookup(name)?;
    let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
    println!("getaddrinfo    {}", list.join(", "));
    if let Some(v4) = addrs.iter().find(|a| a.is_ipv4()) {
        println!("gethostbyname  {v4}  (Python's socket.gethostbyname: IPv4 only, one answer)");
    }
    match (lines.is_empty(), name.eq_ignore_ascii_case("localhost")) {
        (false, _) => {
            narrate("the hosts file had it, and it is read first: no DNS query, no network")
        }
        (true, true) => {
            narrate("not in the hosts file: the resolver knows localhost itself (RFC 6761)")
        }
        (true, false) => narrate("not in the hosts file: the answer came from DNS (域名系统)"),
    }
    Ok(())
}
