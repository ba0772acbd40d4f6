//! What differs between systems: opening a file without following a link
//! (`x -> /etc/passwd` in the served folder would lead out of it), and
//! asking whether a process still runs.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Open `path` to read; a link as its last part fails (`O_NOFOLLOW`), and
/// a FIFO does not wait for a writer (`O_NONBLOCK`, no effect on a file).
#[cfg(unix)]
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK;
    OpenOptions::new().read(true).custom_flags(flags).open(path)
}

/// Whether process `pid` runs: signal 0 checks, and sends nothing.
#[cfg(unix)]
pub fn is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    #[allow(unsafe_code)]
    // SAFETY: kill(2) reads no memory of ours; signal 0 is not delivered.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Open `path` to read; a link is opened itself (`FILE_FLAG_OPEN_REPARSE_POINT`),
/// and its metadata then says it is not a regular file.
#[cfg(windows)]
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(0x0020_0000)
        .open(path)
}

/// Not asked on Windows: a temporary file of another process counts as
/// left by a stopped server (run one server per folder there).
#[cfg(windows)]
pub fn is_running(_pid: u32) -> bool {
    false
}
