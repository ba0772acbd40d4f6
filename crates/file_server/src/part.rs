//! A download's partial file, kept for the next try (断点续传).
//!
//! Lesson 05's `PartFile` deletes itself unless it is committed: an upload
//! cut short leaves nothing behind. A download is different: what arrived
//! before the connection broke is worth keeping, so the next try asks only
//! for the rest. It lives in `.NAME.part` beside where the file will go (a
//! name too long for that gets a hash of it instead).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use struct_header_fix::files::hex_digest;

/// `.NAME.part`: appended to, kept if the transfer stops with some bytes in
/// it, renamed to `NAME` when complete and checked.
#[derive(Debug)]
pub struct Resumable {
    file: File,
    temp: PathBuf,
    target: PathBuf,
    keep: bool,
}

impl Resumable {
    /// Continue (or start) `name` (a checked, plain name) in `folder`: the
    /// partial file and how many bytes it already holds.
    pub fn open(folder: &Path, name: &str) -> io::Result<(Resumable, u64)> {
        let temp = folder.join(part_name(name));
        let file = OpenOptions::new().create(true).append(true).open(&temp)?;
        let have = file.metadata()?.len();
        let target = folder.join(name);
        Ok((
            Resumable {
                file,
                temp,
                target,
                keep: true,
            },
            have,
        ))
    }

    /// Where the partial file is (to hash what it holds before resuming).
    /// Its name: `.NAME.part`.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Complete and checked: flush it to disk and give it its real name.
    pub fn commit(mut self) -> io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.temp, &self.target)?;
        self.keep = true; // nothing left to delete
        Ok(())
    }

    /// Delete the partial file: what it holds is known to be wrong, and
    /// resuming from it would not help.
    pub fn discard(mut self) {
        self.keep = false;
    }
}

/// `.NAME.part`, or `.MD5-OF-NAME.part` when that would pass the 255 bytes
/// a file name may have: the same name on every try.
pub fn part_name(name: &str) -> String {
    match name.len() {
        ..=249 => format!(".{name}.part"),
        _ => format!(".{}.part", hex_digest(&Md5::digest(name))),
    }
}

impl Drop for Resumable {
    fn drop(&mut self) {
        // An empty part has nothing to resume from: it would only litter
        // the folder (a download the server refused leaves no trace).
        let empty = self.file.metadata().is_ok_and(|m| m.len() == 0);
        if (!self.keep || empty) && self.temp.exists() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

impl Write for Resumable {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}
