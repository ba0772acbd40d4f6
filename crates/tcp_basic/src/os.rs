//! Who may bind a port below 1024 (the `low-port` step): Linux tells, in
//! `/proc`; elsewhere the documented rule is printed.

use std::process::Command;

/// `uid U, with|without CAP_NET_BIND_SERVICE`, and whether U is root's 0.
#[cfg(target_os = "linux")]
pub fn who_binds() -> Option<(String, bool)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let row = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or("")
    };
    let uid = row("Uid:").split_whitespace().nth(1)?; // the effective one
    let caps = u64::from_str_radix(row("CapEff:").trim(), 16).ok()?;
    let with = ["without", "with"][(caps >> 10 & 1) as usize]; // bit 10 is the one
    Some((
        format!("uid {uid}, {with} CAP_NET_BIND_SERVICE"),
        uid == "0",
    ))
}

/// The rule, with the kernel's setting.
#[cfg(target_os = "linux")]
pub fn low_port_rule() -> String {
    let start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    let start = start.as_deref().map_or("?", str::trim);
    format!(
        "Linux: net.ipv4.ip_unprivileged_port_start is {start}: below it, only uid 0 or CAP_NET_BIND_SERVICE"
    )
}

/// `command`, set to run as uid and gid 65534 (`nobody`): no capabilities.
#[cfg(target_os = "linux")]
pub fn as_nobody(command: &mut Command) -> &mut Command {
    std::os::unix::process::CommandExt::uid(command, 65534);
    std::os::unix::process::CommandExt::gid(command, 65534)
}

/// Not read here: `/proc` is Linux's.
#[cfg(not(target_os = "linux"))]
pub fn who_binds() -> Option<(String, bool)> {
    None
}

/// The rule, as documented.
#[cfg(not(target_os = "linux"))]
pub fn low_port_rule() -> String {
    let macos = "macOS (since 10.14): below 1024, anyone on 0.0.0.0, only root on 127.0.0.1";
    let windows = "Windows has no rule for ports below 1024: anyone may bind a free one";
    (if cfg!(windows) { windows } else { macos }).into()
}

/// Only Linux starts the child.
#[cfg(not(target_os = "linux"))]
pub fn as_nobody(command: &mut Command) -> &mut Command {
    command
}
