//! What differs between systems: asking whether a process still runs.

/// Whether process `pid` runs: signal 0 checks, and sends nothing.
#[cfg(unix)]
pub fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    #[allow(unsafe_code)]
    // SAFETY: kill(2) reads no memory of ours; signal 0 is not delivered.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Not asked on Windows: a temporary file of another process counts as
/// left by a stopped server (run one server per folder there).
#[cfg(windows)]
pub fn is_running(_pid: u32) -> bool {
    false
}
