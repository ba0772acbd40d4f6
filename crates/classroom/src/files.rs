//! Files and the network, the parts several lessons share: which names a
//! peer may use, and a private scratch folder for a demo.

use std::fmt;
use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::cleanup::{RemoveOnExit, remove_on_exit};

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
    /// Starts with a dot: a hidden file (`.bashrc`) listings leave out.
    Hidden,
}

impl fmt::Display for BadName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BadName::Empty => "the name is empty",
            BadName::Dots => "`.` and `..` are not file names",
            BadName::Separator => "the name contains a path separator",
            BadName::Nul => "the name contains a NUL byte",
            BadName::Absolute => "the name is an absolute path",
            BadName::Hidden => "a name starting with a dot is hidden",
        })
    }
}

// ANCHOR: plain_name
/// Accept `name` only if it names a file directly inside the served folder:
/// not empty, not `.` or `..`, no `/` or `\`, no NUL, not absolute. A
/// server that joined `../../etc/passwd` or `/a/b/c.txt` onto its folder
/// would read or write wherever the client likes. Nor a dot-name: listings
/// hide `.bashrc`, and in a folder served with `--dir .` it is not a
/// client's to read or overwrite.
pub fn plain_name(name: &str) -> Result<&str, BadName> {
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
    if name.starts_with('.') {
        return Err(BadName::Hidden);
    }
    // Whatever else this platform treats specially (a Windows drive `C:x`).
    let mut parts = Path::new(name).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => Ok(name),
        _ => Err(BadName::Absolute),
    }
}
// ANCHOR_END: plain_name

/// [`plain_name`], refusing with an `io::Error` that quotes the name.
pub fn checked_name(name: &str) -> io::Result<&str> {
    plain_name(name).map_err(|why| {
        io::Error::new(
            ErrorKind::InvalidInput,
            format!("refused file name {name:?}: {why}"),
        )
    })
}

/// Open the file at `path` to read it for a peer: `Ok(None)` unless it is
/// a regular file. The open itself does not follow a link (`x ->
/// /etc/passwd` has a plain name, and leads out of the folder), and the
/// check is made on what was opened, so no other file can slip in between;
/// a folder, a FIFO or a device is refused too. A missing file is an
/// error of kind `NotFound`. Returns the open file and its size.
pub fn open_regular(path: &Path) -> io::Result<Option<(fs::File, u64)>> {
    let file = match crate::no_follow::open(path) {
        Ok(file) => file,
        // Unix refuses to open a link with O_NOFOLLOW (ELOOP).
        Err(_) if path.is_symlink() => return Ok(None),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    Ok(meta.is_file().then_some((file, meta.len())))
}

/// A new folder under the system's temporary folder, readable by this user
/// only, removed when dropped, or when the process is stopped by Ctrl-C or
/// SIGTERM.
///
/// Why a *new* name each time, and not a fixed one such as
/// `/tmp/lesson-files`? On a machine shared by several users, anyone can
/// create that name first (as a link to *your* home folder, say) and then
/// ask your server for your files. Creating a folder that did not exist
/// (`mkdir` fails if anything has the name, a link included) closes that
/// door.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
    /// Ctrl-C or SIGTERM removes the folder too.
    _on_exit: RemoveOnExit,
}

impl ScratchDir {
    /// Make the folder; `prefix` starts its name (`sticky_packet_demo`).
    pub fn new(prefix: &str) -> io::Result<ScratchDir> {
        static MADE: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |t| t.subsec_nanos());
        let builder = private_dir_builder();
        for _ in 0..100 {
            let n = MADE.fetch_add(1, Ordering::Relaxed);
            let name = format!("{prefix}-{}-{nanos}-{n}", std::process::id());
            let path = std::env::temp_dir().join(name);
            match builder.create(&path) {
                Ok(()) => {
                    let _on_exit = remove_on_exit(&path);
                    return Ok(ScratchDir { path, _on_exit });
                }
                // Someone holds the name already: take another, never theirs.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            ErrorKind::AlreadyExists,
            "could not find a free name for a scratch folder",
        ))
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A subfolder, created.
    pub fn sub(&self, name: &str) -> io::Result<PathBuf> {
        let path = self.path.join(name);
        fs::create_dir_all(&path)?;
        Ok(path)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
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

    #[test]
    fn only_plain_names_pass() {
        assert_eq!(plain_name("a.txt"), Ok("a.txt"));
        assert_eq!(plain_name(""), Err(BadName::Empty));
        assert_eq!(plain_name(".."), Err(BadName::Dots));
        assert_eq!(plain_name("../x"), Err(BadName::Separator));
        assert_eq!(plain_name("a\\b"), Err(BadName::Separator));
        assert_eq!(plain_name("/etc/passwd"), Err(BadName::Absolute));
        assert_eq!(plain_name("a\0b"), Err(BadName::Nul));
        assert_eq!(plain_name(".bashrc"), Err(BadName::Hidden));
        let err = checked_name("../x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "refused file name \"../x\": the name contains a path separator"
        );
    }

    #[test]
    fn only_regular_files_are_opened_never_through_a_link() {
        let dir = ScratchDir::new("open").unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, b"hello").unwrap();
        let (_, size) = open_regular(&file).unwrap().unwrap();
        assert_eq!(size, 5);
        assert!(open_regular(dir.path()).unwrap().is_none(), "a folder");
        let missing = open_regular(&dir.path().join("nope")).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        #[cfg(unix)]
        {
            let link = dir.path().join("x");
            std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
            assert!(open_regular(&link).unwrap().is_none(), "a link");
        }
    }

    #[test]
    fn a_scratch_folder_is_new_private_and_gone_once_dropped() {
        let (a, b) = (ScratchDir::new("t").unwrap(), ScratchDir::new("t").unwrap());
        assert_ne!(a.path(), b.path());
        let path = a.path().to_owned();
        assert!(a.sub("files").unwrap().is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        drop(a);
        assert!(!path.exists());
    }
}
