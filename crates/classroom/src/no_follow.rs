//! Opening a file without following a link: the one place where serving a
//! file differs between systems (see `files::open_regular`).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Open `path` to read; a link as its last part fails (`O_NOFOLLOW` gives
/// `ELOOP`), and a FIFO does not wait for a writer (`O_NONBLOCK`, which
/// changes nothing for a regular file).
#[cfg(unix)]
pub fn open(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK;
    OpenOptions::new().read(true).custom_flags(flags).open(path)
}

/// Open `path` to read; a link or junction is opened itself
/// (`FILE_FLAG_OPEN_REPARSE_POINT`), and its metadata says it is not a
/// regular file.
#[cfg(windows)]
pub fn open(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
}

/// Elsewhere, an ordinary open; `open_regular` still refuses what is not a
/// regular file.
#[cfg(not(any(unix, windows)))]
pub fn open(path: &Path) -> io::Result<File> {
    File::open(path)
}
