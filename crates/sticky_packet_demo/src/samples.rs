//! The folder the `leftover` command server serves: a new, private folder of
//! sample files in the system's temporary folder, made when the server
//! starts and deleted when it is dropped.
//!
//! Why a *new* folder each time, and not one fixed name such as
//! `/tmp/sticky_packet_demo`? On a machine shared by several users, anyone
//! can create that name first, for instance as a link to *your* home folder,
//! and then ask your server to `cat` your files. Creating a folder that did
//! not exist (`mkdir` fails if anything already has the name, a link
//! included), readable by you alone, closes that door.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// How many sample files the folder holds: enough that `ls` answers with
/// more than 1024 bytes.
pub const SAMPLE_FILES: usize = 40;

/// A private folder of [`SAMPLE_FILES`] small files; deleted on drop.
#[derive(Debug)]
pub struct SampleFolder {
    path: PathBuf,
}

impl SampleFolder {
    /// Make the folder and its files. Every folder holds the same files, so
    /// `ls` prints the same bytes on every run.
    pub fn create() -> io::Result<SampleFolder> {
        let folder = SampleFolder {
            path: new_private_folder()?,
        };
        for i in 1..=SAMPLE_FILES {
            let name = format!("lesson-04-sample-{i:02}.txt");
            fs::write(folder.path.join(name), format!("sample file {i:02}\n"))?;
        }
        Ok(folder)
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SampleFolder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// `mkdir` a name nobody has used yet, readable by this user only.
fn new_private_folder() -> io::Result<PathBuf> {
    static MADE: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |t| t.subsec_nanos());
    let builder = private_dir_builder();
    for _ in 0..100 {
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let name = format!("sticky_packet_demo-{}-{nanos}-{n}", std::process::id());
        let path = std::env::temp_dir().join(name);
        match builder.create(&path) {
            Ok(()) => return Ok(path),
            // Someone holds the name already: take another, never theirs.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "could not find a free name for the sample folder",
    ))
}

/// On Unix, folders readable and writable by their owner only (0700).
#[cfg(unix)]
fn private_dir_builder() -> fs::DirBuilder {
    use std::os::unix::fs::DirBuilderExt;
    let mut builder = fs::DirBuilder::new();
    builder.mode(0o700);
    builder
}

/// On Windows the temporary folder is already private to each user.
#[cfg(not(unix))]
fn private_dir_builder() -> fs::DirBuilder {
    fs::DirBuilder::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands;

    #[test]
    fn ls_of_the_samples_is_longer_than_one_recv_and_the_same_every_time() {
        let (a, b) = (
            SampleFolder::create().unwrap(),
            SampleFolder::create().unwrap(),
        );
        assert_ne!(a.path(), b.path(), "a new folder each time");
        let listing = commands::run("ls", a.path()).unwrap();
        assert!(listing.len() > crate::RECV_SIZE, "{}", listing.len());
        assert_eq!(listing, commands::run("ls", b.path()).unwrap());
    }

    #[test]
    fn the_folder_is_gone_once_dropped() {
        let folder = SampleFolder::create().unwrap();
        let path = folder.path().to_owned();
        assert!(path.is_dir());
        drop(folder);
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn only_its_owner_can_read_it() {
        use std::os::unix::fs::PermissionsExt;
        let folder = SampleFolder::create().unwrap();
        let mode = fs::metadata(folder.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
