//! What the steps share about files: the JSON header in front of one
//! (documents 000 and 004), streaming its bytes through a buffer of at most
//! [`CHUNK`] bytes, and a temporary file renamed to the real name only when
//! all bytes are in and checked ([`PartFile`]).

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use classroom::Traced;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::frame::{cut_short, invalid};

/// How much a streamed file moves per read or write: few system calls, and
/// a small, fixed amount of memory.
pub const CHUNK: usize = 1024 * 1024;

/// A file's reads are printed one by one up to this size; a bigger file's
/// are summed up in one line, so a 1 GiB upload prints no thousands.
pub const PRINTED_UP_TO: u64 = 64 * 1024;

// ANCHOR: file_header
/// The JSON header in front of a file. Document 004 sends
/// `{"opt": "upload", "filename": "a.txt", "filesize": 5}`; document 000's
/// example spells the keys `file_name` and `file_size` and adds an `md5`. We
/// send document 004's keys plus document 000's `md5` (which a server
/// written like document 004 ignores), and accept both spellings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHeader {
    /// `upload` (document 000 has no `opt`: a header alone is an upload).
    #[serde(default = "upload")]
    pub opt: String,
    /// A plain file name (document 000: `file_name`).
    #[serde(alias = "file_name")]
    pub filename: String,
    /// How many bytes follow: a JSON number, no 2 GiB limit (`file_size`).
    #[serde(alias = "file_size")]
    pub filesize: u64,
    /// The data's md5, 32 hex digits; document 004 sends none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}
// ANCHOR_END: file_header

fn upload() -> String {
    "upload".into()
}

impl FileHeader {
    /// The header announcing `filesize` bytes of `filename`.
    pub fn new(opt: &str, filename: &str, filesize: u64, md5: Option<String>) -> Self {
        FileHeader {
            opt: opt.to_owned(),
            filename: filename.to_owned(),
            filesize,
            md5,
        }
    }
}

/// The last part of a path, as the documents' `os.path.basename`.
pub fn file_name(path: &Path) -> io::Result<String> {
    let name = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
    let why = || format!("{} does not end in a UTF-8 file name", path.display());
    name.ok_or_else(|| io::Error::new(ErrorKind::InvalidInput, why()))
}

/// A digest as Python's `hexdigest()` writes it: lowercase hex digits.
pub fn hex_digest(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The md5 of a whole file, read a chunk at a time.
pub fn md5_of_file(path: &Path) -> io::Result<String> {
    let mut md5 = Md5::new();
    let len = fs::metadata(path)?.len();
    copy_exact(&mut File::open(path)?, &mut io::sink(), len, |piece| {
        md5.update(piece)
    })?;
    Ok(hex_digest(&md5.finalize()))
}

/// Copy exactly `len` bytes from `from` to `to`; `each` sees every piece
/// (to hash it). An end of input before `len` bytes is an error.
pub fn copy_exact(
    from: &mut impl Read,
    to: &mut (impl Write + ?Sized),
    len: u64,
    mut each: impl FnMut(&[u8]),
) -> io::Result<()> {
    // FIX: a buffer no bigger than the data: a 5-byte upload must not
    // allocate and zero a whole CHUNK.
    let mut buf = vec![0u8; len.min(CHUNK as u64) as usize];
    let mut left = len;
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = match from.read(&mut buf[..want]) {
            Ok(0) => return Err(cut_short(len - left, len, "data")),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        each(&buf[..n]);
        to.write_all(&buf[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// Receive exactly `len` bytes of a file from `conn` into `to`; `each` sees
/// every piece. A small file's reads are printed like any others; a big
/// file's are made on the socket itself and summed up in one line.
pub fn recv_file<S: Read>(
    conn: &mut Traced<S>,
    to: &mut impl Write,
    len: u64,
    each: impl FnMut(&[u8]),
) -> io::Result<()> {
    if len <= PRINTED_UP_TO {
        return copy_exact(conn, to, len, each); // Python: content = conn.recv(1024)
    }
    copy_exact(conn.get_mut(), to, len, each)?;
    let why = format!("reads not printed above {PRINTED_UP_TO} bytes");
    conn.say(format!("received {len} bytes of file data ({why})"));
    Ok(())
}

// ANCHOR: save_file
/// Receive `len` bytes into `folder/name`: into a temporary file, renamed
/// only once they are all in and, when the header gave an md5, match it.
pub fn save_file<S: Read>(
    conn: &mut Traced<S>,
    folder: &Path,
    name: &str,
    len: u64,
    md5: Option<&str>,
) -> io::Result<()> {
    let mut part = PartFile::create(folder, name)?;
    let mut hasher = md5.map(|_| Md5::new()); // hash only what can be checked
    recv_file(conn, &mut part, len, |piece| {
        hasher.iter_mut().for_each(|h| h.update(piece))
    })?;
    if let (Some(want), Some(hasher)) = (md5, hasher) {
        let got = hex_digest(&hasher.finalize());
        if !want.eq_ignore_ascii_case(&got) {
            // Returning drops `part`, which deletes the temporary file.
            let why = format!("md5 mismatch: the header says {want}, the data hashes to {got}");
            return Err(invalid(why));
        }
    }
    part.commit()
}
// ANCHOR_END: save_file

/// Send the first `len` bytes of the file at `path`, a chunk at a time.
pub fn send_file(stream: &mut (impl Write + ?Sized), path: &Path, len: u64) -> io::Result<()> {
    // Python: with open(file_path, "rb") as f: while filesize: sk.send(f.read(1024))
    let sent = copy_exact(&mut File::open(path)?, stream, len, |_| {});
    sent.map_err(|e| match e.kind() {
        ErrorKind::UnexpectedEof => io::Error::other(format!("{} got shorter", path.display())),
        _ => e,
    })
}

// ANCHOR: part_file
/// A file being received: written under a temporary name in the target
/// folder, renamed to its real name by [`PartFile::commit`]. Dropped
/// without a commit (an error, a client that vanished, a wrong md5), it
/// deletes itself: nobody ever sees half a file under the real name.
#[derive(Debug)]
pub struct PartFile {
    file: File,
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl PartFile {
    /// Start receiving `name` (a checked, plain name) into `folder`.
    pub fn create(folder: &Path, name: &str) -> io::Result<PartFile> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // Unique per process and call; `create_new` never opens what is
        // there already (another upload's file, a planted link).
        let temp = folder.join(format!(".{name}.{}-{n}.part", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        let (target, committed) = (folder.join(name), false);
        Ok(PartFile {
            file,
            temp,
            target,
            committed,
        })
    }

    /// All bytes are in and checked: flush them to disk and give the file
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
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}
// ANCHOR_END: part_file

impl Write for PartFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Some text of exactly `len` bytes, numbered lines, the same every run:
/// the demos' files.
pub fn sample_text(len: usize) -> Vec<u8> {
    let lines = (1..).map(|n| format!("line {n:03}: sticky packets need a frame\n"));
    lines.flat_map(String::into_bytes).take(len).collect()
}
