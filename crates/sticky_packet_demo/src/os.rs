//! Opening a file without following a link: the one place where the
//! command server's file access differs between systems.
//!
//! `cat NAME` must serve only regular files inside its folder. Checking the
//! name first and opening it afterwards is not enough: a link put in the
//! folder (`x -> /etc/hostname`) has a plain name, and `open` follows it out
//! of the folder. So the open itself is told not to follow a link, and the
//! caller then checks that what was opened is a regular file (not a folder,
//! a FIFO or a device).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Open `path` for reading; if its last part is a link, open the link
/// itself (Windows) or fail (Unix: `O_NOFOLLOW` gives `ELOOP`), never what
/// it points to.
#[cfg(unix)]
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;

    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
    // writer; a regular file reads the same with or without it.
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

/// Windows: `FILE_FLAG_OPEN_REPARSE_POINT` opens a symbolic link or a
/// junction itself, whose metadata then says it is not a regular file.
#[cfg(windows)]
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;

    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
}
