//! Files that arrive from the network: where they may go, and how they land
//! on disk.
//!
//! * A name from the network must be a plain file name inside the served
//!   folder ([`check_name`]): no `..`, no `/` or `\`, no NUL, not absolute,
//!   not empty. Document 000's example header even carries a full path
//!   (`/a/b/c/d/e/a.txt`); a server that joined that onto its folder would
//!   write wherever the client likes.
//! * Data is written to a temporary name in the same folder and renamed to
//!   the real name only when it is complete and verified ([`PartFile`]). A
//!   client that stops half-way, or sends the wrong bytes, leaves nothing
//!   behind, and nobody ever sees half a file under the real name.
//! * Data is streamed through a small buffer: memory use does not depend on
//!   the file's size.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use md5::{Digest, Md5};

/// How much is read or written at a time when a file is streamed: few
/// system calls per megabyte, and still a small, fixed amount of memory.
pub const CHUNK: usize = 1024 * 1024;

/// Why a name from the network was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadName {
    /// `""`
    Empty,
    /// `.` or `..`
    Dots,
    /// Contains `/` or `\`.
    Separator,
    /// Contains a NUL byte.
    Nul,
    /// An absolute path, or (on Windows) a drive like `C:`.
    Absolute,
}

impl fmt::Display for BadName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BadName::Empty => "the name is empty",
            BadName::Dots => "`.` and `..` are not file names",
            BadName::Separator => "the name contains a path separator",
            BadName::Nul => "the name contains a NUL byte",
            BadName::Absolute => "the name is an absolute path",
        })
    }
}

// ANCHOR: check_name
/// Accept `name` only if it names a file directly inside the served folder.
pub fn check_name(name: &str) -> Result<&str, BadName> {
    if name.is_empty() {
        return Err(BadName::Empty);
    }
    if name.contains('\0') {
        return Err(BadName::Nul);
    }
    if name.starts_with(['/', '\\']) || Path::new(name).is_absolute() {
        return Err(BadName::Absolute);
    }
    if name.contains(['/', '\\']) {
        return Err(BadName::Separator);
    }
    if name == "." || name == ".." {
        return Err(BadName::Dots);
    }
    // Whatever else this platform treats specially (a Windows drive `C:x`).
    let mut parts = Path::new(name).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => Ok(name),
        _ => Err(BadName::Absolute),
    }
}
// ANCHOR_END: check_name

/// A name as an `io::Error` when it is refused.
pub fn checked_name(name: &str) -> io::Result<&str> {
    check_name(name).map_err(|why| {
        io::Error::new(
            ErrorKind::InvalidInput,
            format!("refused file name {name:?}: {why}"),
        )
    })
}

/// A folder, with the name to print for it (`files`), which in a demo is
/// not the real temporary path.
#[derive(Debug, Clone)]
pub struct Folder {
    path: PathBuf,
    label: String,
}

impl Folder {
    /// A folder shown as the path it was given.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let label = path.display().to_string();
        Folder { path, label }
    }

    /// A folder shown under another name.
    pub fn labelled(path: impl Into<PathBuf>, label: &str) -> Self {
        Folder {
            path: path.into(),
            label: label.to_owned(),
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `files/NAME`, for printing.
    pub fn show(&self, name: &str) -> String {
        let label = self.label.trim_end_matches(['/', '\\']);
        format!("{label}/{name}")
    }

    /// The folder's label, for printing.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Create the folder if it is missing.
    pub fn create(&self) -> io::Result<()> {
        fs::create_dir_all(&self.path)
    }

    /// The files in the folder, sorted by name, with their sizes. Hidden
    /// files (a leading `.`, such as unfinished `.NAME.part` files) are left
    /// out.
    pub fn list(&self) -> io::Result<Vec<(String, u64)>> {
        let mut files = Vec::new();
        for entry in fs::read_dir(&self.path)? {
            let entry = entry?;
            let meta = entry.metadata()?;
            let Ok(name) = entry.file_name().into_string() else {
                continue; // not UTF-8: cannot be named in a JSON header
            };
            if meta.is_file() && !name.starts_with('.') {
                files.push((name, meta.len()));
            }
        }
        files.sort();
        Ok(files)
    }
}

/// The md5 of some bytes as 32 lowercase hex digits, like Python's
/// `hashlib.md5(data).hexdigest()`.
pub fn md5_hex(data: &[u8]) -> String {
    let mut hasher = Md5::new();
    hasher.update(data);
    hex(&hasher.finalize())
}

/// Lowercase hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The md5 of a whole file, read in chunks.
pub fn md5_of_file(path: &Path) -> io::Result<String> {
    let mut hasher = Md5::new();
    hash_file(path, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

/// Feed a file to `hasher`, a chunk at a time.
pub fn hash_file(path: &Path, hasher: &mut Md5) -> io::Result<()> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        match file.read(&mut buf)? {
            0 => return Ok(()),
            n => hasher.update(&buf[..n]),
        }
    }
}

// ANCHOR: part_file
/// A file being received: written under a temporary name in the target
/// folder, renamed to its real name by [`PartFile::commit`]. Dropped
/// without a commit (an error, a client that vanished), it deletes itself;
/// only a resumable download's part keeps the bytes that did arrive.
#[derive(Debug)]
pub struct PartFile {
    file: File,
    temp: PathBuf,
    target: PathBuf,
    /// A download that can be resumed: what arrived stays for the next try.
    resumable: bool,
    committed: bool,
}

impl PartFile {
    /// Start receiving `name` into `folder`. `name` must have passed
    /// [`check_name`].
    pub fn create(folder: &Path, name: &str) -> io::Result<PartFile> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // Unique per process and per call; create_new never reuses a file.
        let temp = folder.join(format!(".{name}.{}-{n}.part", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        Ok(PartFile {
            file,
            temp,
            target: folder.join(name),
            resumable: false,
            committed: false,
        })
    }

    /// All bytes are in and verified: flush them to disk and give the file
    /// its real name in one step (a rename within one folder).
    pub fn commit(mut self) -> io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        // An empty part has nothing to resume from: it would only litter
        // the folder (a download the server refused leaves no trace).
        let worth_resuming = self.resumable && self.file.metadata().is_ok_and(|m| m.len() > 0);
        if !self.committed && !worth_resuming {
            let _ = fs::remove_file(&self.temp);
        }
    }
}
// ANCHOR_END: part_file

impl PartFile {
    /// Continue (or start) a download that can be resumed: the partial file
    /// is `.NAME.part` and stays on disk if the transfer stops with some
    /// bytes in it, so the next attempt can ask for the rest. Returns the
    /// file and its current length.
    pub fn resumable(folder: &Path, name: &str) -> io::Result<(PartFile, u64)> {
        let temp = folder.join(format!(".{name}.part"));
        let file = OpenOptions::new().create(true).append(true).open(&temp)?;
        let have = file.metadata()?.len();
        Ok((
            PartFile {
                file,
                temp,
                target: folder.join(name),
                resumable: true,
                committed: false,
            },
            have,
        ))
    }

    /// The bytes already in the partial file (to hash them before resuming).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Delete the partial file now: what it holds is known to be wrong.
    pub fn discard(mut self) {
        self.resumable = false;
    }
}

impl Write for PartFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_pass() {
        for good in ["a.txt", "正在吃.png", ".hidden", "a..b", "x y"] {
            assert_eq!(check_name(good), Ok(good));
        }
        let bad = [
            ("", BadName::Empty),
            (".", BadName::Dots),
            ("..", BadName::Dots),
            ("../x", BadName::Separator),
            ("a/b", BadName::Separator),
            ("a\\b", BadName::Separator),
            ("/etc/passwd", BadName::Absolute),
            ("\\x", BadName::Absolute),
            ("a\0b", BadName::Nul),
        ];
        for (name, why) in bad {
            assert_eq!(check_name(name), Err(why), "{name:?}");
        }
    }

    #[test]
    fn md5_matches_pythons_hashlib() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"hello"), "5d41402abc4b2a76b9719d911017c592");
    }

    #[test]
    fn a_part_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let mut part = PartFile::create(dir.path(), "a.txt").unwrap();
        part.write_all(b"half").unwrap();
        drop(part);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);

        let mut part = PartFile::create(dir.path(), "a.txt").unwrap();
        part.write_all(b"whole").unwrap();
        part.commit().unwrap();
        assert_eq!(fs::read(dir.path().join("a.txt")).unwrap(), b"whole");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_resumable_part_survives_and_reports_its_length() {
        let dir = tempfile::tempdir().unwrap();
        let (mut part, have) = PartFile::resumable(dir.path(), "b.bin").unwrap();
        assert_eq!(have, 0);
        part.write_all(b"abc").unwrap();
        drop(part);
        let (part, have) = PartFile::resumable(dir.path(), "b.bin").unwrap();
        assert_eq!(have, 3);
        part.discard();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_empty_resumable_part_is_not_kept() {
        // A download refused before any data came leaves no `.NAME.part`.
        let dir = tempfile::tempdir().unwrap();
        let (part, _) = PartFile::resumable(dir.path(), "nope.txt").unwrap();
        drop(part);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
