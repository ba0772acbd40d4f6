//! What the steps share about files: the JSON header in front of one
//! (documents 000 and 004), the names and files a server accepts, streaming
//! a file through a buffer of at most [`CHUNK`] bytes, and a temporary file
//! renamed to the real name only when all bytes are in ([`PartFile`]).

use std::fs::{self, File};
use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use classroom::Traced;
use classroom::bytes::escape;
use classroom::cleanup::{RemoveOnExit, remove_on_exit};
use classroom::files::{checked_name, open_regular};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::frame::{cut_short, invalid, parse};

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
    /// An upload's header from a frame: a JSON object, `opt` upload, a
    /// name the server accepts ([`checked_name`]).
    pub fn upload(raw: &[u8]) -> io::Result<FileHeader> {
        let header: FileHeader = parse(raw, "header")?; // Python: dic = json.loads(str_dic)
        if header.opt != "upload" {
            return Err(invalid(format!("unknown opt {:?} (upload)", header.opt)));
        }
        checked_name(&header.filename)?;
        Ok(header)
    }

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

// ANCHOR: open_served
/// Open `name` in `folder` to send it, and its size. The name passes
/// classroom's [`checked_name`] (no `..`, no `/`, no dot-name), and only a
/// regular file is served: never through a symbolic link (`x -> /etc/passwd`
/// leads out of the folder), never a FIFO or a device.
pub fn open_served(folder: &Path, name: &str) -> io::Result<(File, u64)> {
    let path = folder.join(checked_name(name)?);
    let refused = |what: &str| invalid(format!("no file {name:?} to download ({what})"));
    match open_regular(&path) {
        Ok(Some(opened)) => Ok(opened),
        Ok(None) if path.is_symlink() => Err(refused("a symbolic link")),
        Ok(None) => Err(refused("only regular files are served")),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(refused("there is none")),
        Err(e) => Err(e),
    }
}
// ANCHOR_END: open_served

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
    md5_of(&mut File::open(path)?, fs::metadata(path)?.len())
}

/// The md5 of the next `len` bytes of `file`.
pub fn md5_of(file: &mut impl Read, len: u64) -> io::Result<String> {
    let mut md5 = Md5::new();
    copy_exact(file, &mut io::sink(), len, |piece| md5.update(piece))?;
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
/// file's are summed up in one line.
pub fn recv_file(
    conn: &mut Traced<TcpStream>,
    to: &mut impl Write,
    len: u64,
    each: impl FnMut(&[u8]),
) -> io::Result<()> {
    if len <= PRINTED_UP_TO {
        return copy_exact(conn, to, len, each); // Python: content = conn.recv(1024)
    }
    // Unprinted, but still through `conn`, so still within its deadline.
    conn.side().set_printing(false);
    let copied = copy_exact(conn, to, len, each);
    conn.side().set_printing(true);
    copied?;
    let why = format!("reads not printed above {PRINTED_UP_TO} bytes");
    conn.say(format!("received {len} bytes of file data ({why})"));
    Ok(())
}

// ANCHOR: save_file
/// Receive `len` bytes into `folder/name`: into a temporary file, renamed
/// only once they are all in and, when the header gave an md5, match it.
pub fn save_file(
    conn: &mut Traced<TcpStream>,
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
            let want = escape(want); // a peer's words
            let why = format!("md5 mismatch: the header says {want}, the data hashes to {got}");
            return Err(invalid(why));
        }
    }
    part.commit()
}
// ANCHOR_END: save_file

/// Send the next `len` bytes of `file`, a chunk at a time.
pub fn send_file(stream: &mut (impl Write + ?Sized), file: &mut File, len: u64) -> io::Result<()> {
    // Python: with open(file_path, "rb") as f: while filesize: sk.send(f.read(1024))
    let sent = copy_exact(file, stream, len, |_| {});
    sent.map_err(|e| match e.kind() {
        ErrorKind::UnexpectedEof => io::Error::other("the file got shorter while it was sent"),
        _ => e,
    })
}

/// How a temporary file's name starts: `.part-PID-N`.
pub const PART_PREFIX: &str = ".part-";

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
    /// Ctrl-C or SIGTERM, which no `Drop` survives, removes it too.
    _on_exit: RemoveOnExit,
}

impl PartFile {
    /// Start receiving `name` (a checked, plain name) into `folder`.
    pub fn create(folder: &Path, name: &str) -> io::Result<PartFile> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // Unique per process and call, and short: a 255-byte name fits too.
        let temp = folder.join(format!("{PART_PREFIX}{}-{n}", std::process::id()));
        let _on_exit = remove_on_exit(&temp);
        let file = File::create_new(&temp)?; // never what is there (a planted link)
        Ok(PartFile {
            file,
            temp,
            target: folder.join(name),
            committed: false,
            _on_exit,
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
