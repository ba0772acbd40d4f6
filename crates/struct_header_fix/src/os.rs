//! What differs between systems: opening a file without following a link.

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

/// Open `path` to read; a link is opened itself, not a regular file.
#[cfg(windows)]
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    let flags = 0x0020_0000; // FILE_FLAG_OPEN_REPARSE_POINT
    OpenOptions::new().read(true).custom_flags(flags).open(path)
}
