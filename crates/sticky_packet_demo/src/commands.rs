//! A "remote command" server's commands, done safely.
//!
//! Document 001 runs whatever the client sends through a shell
//! (`subprocess.Popen(cmd, shell=True)`) to get a long output that shows
//! sticky packets. Never do that on a network server: anyone who can connect
//! can run anything. Here the commands are a fixed list, implemented in Rust,
//! working only inside one folder, and no shell or process is ever started.
//!
//! | command | output |
//! |---|---|
//! | `ls` | one line per regular file in the folder: size and name, sorted by name |
//! | `cat NAME` | the contents of one regular file in the folder (plain names only) |
//! | `help` | the list of commands |
//!
//! Anything else gets an error line back, which is output like any other.
//! Names in the output pass through [`escape`], so a file named with
//! terminal escapes cannot take over the screen of a client that prints
//! answers as they are (document 001's does). [`sample_folder`] makes the
//! folder the `leftover` step serves.

use std::fs;
use std::io::{self, ErrorKind, Read};
use std::path::Path;

use classroom::bytes::escape;
use classroom::files::{ScratchDir, open_regular, plain_name};

/// The commands, for `help` and for error messages.
pub const HELP: &str = "commands: ls | cat NAME | help\n";

/// The largest file `cat` will send, so a request cannot make the server
/// read a huge file into memory.
pub const CAT_LIMIT: u64 = 64 * 1024;

// ANCHOR: run
/// Run one command line inside `folder` and return what it prints.
///
/// Errors the client caused (an unknown command, a bad name, a missing
/// file) come back as output text, the way a shell prints its complaints;
/// only a failure of the server's own folder is an `Err`.
pub fn run(line: &str, folder: &Path) -> io::Result<Vec<u8>> {
    let mut words = line.split_whitespace();
    let output = match (words.next(), words.next(), words.next()) {
        (Some("ls"), None, _) => list(folder)?,
        (Some("cat"), Some(name), None) => match plain_name(name) {
            Ok(name) => cat(folder, name)?,
            Err(_) => only_plain_names(name),
        },
        (Some("help"), None, _) => HELP.as_bytes().to_vec(),
        _ => format!("unknown command \"{}\"; {HELP}", escape(line)).into_bytes(),
    };
    Ok(output)
}
// ANCHOR_END: run

fn only_plain_names(name: &str) -> Vec<u8> {
    let name = escape(name);
    format!("cat: \"{name}\": only plain file names in this folder\n").into_bytes()
}

/// How many sample files [`sample_folder`] holds: enough that `ls`
/// answers with more than one `recv(1024)` takes.
pub const SAMPLE_FILES: usize = 40;

/// A new private folder (see [`ScratchDir`] for why never a fixed name) of
/// [`SAMPLE_FILES`] small files, removed when dropped, or when the server
/// is stopped with Ctrl-C or `kill`. Every such folder holds the same
/// files, so `ls` prints the same bytes on every run.
pub fn sample_folder() -> io::Result<ScratchDir> {
    let folder = ScratchDir::new("sticky_packet_demo")?;
    for i in 1..=SAMPLE_FILES {
        let name = format!("lesson-04-sample-{i:02}.txt");
        fs::write(folder.path().join(name), format!("sample file {i:02}\n"))?;
    }
    Ok(folder)
}

fn list(folder: &Path) -> io::Result<Vec<u8>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // The entry's own metadata: a link is listed as a link, not as
        // what it points to, so it is left out like `cat` leaves it out.
        let meta = entry.metadata()?;
        if meta.is_file() && plain_name(&name).is_ok() {
            entries.push((escape(&name), meta.len()));
        }
    }
    entries.sort();
    let mut out = String::new();
    for (name, size) in entries {
        out.push_str(&format!("{size:>8}  {name}\n"));
    }
    Ok(out.into_bytes())
}

// ANCHOR: cat
/// `cat NAME`: the file's bytes if it is a regular file in `folder`, never
/// what a link points to (the open does not follow links), nor a folder, a
/// FIFO or a device; at most [`CAT_LIMIT`] bytes.
fn cat(folder: &Path, name: &str) -> io::Result<Vec<u8>> {
    let refuse = |why: &str| Ok(format!("cat: {}: {why}\n", escape(name)).into_bytes());
    let (file, size) = match open_regular(&folder.join(name)) {
        Ok(Some(opened)) => opened,
        Ok(None) => return refuse(NOT_REGULAR), // a link, a folder, a FIFO…
        Err(e) if e.kind() == ErrorKind::NotFound => return refuse("no such file"),
        Err(e) => return Err(e),
    };
    if size > CAT_LIMIT {
        return refuse(&format!("larger than {CAT_LIMIT} bytes"));
    }
    let mut contents = Vec::new();
    // `take`: a file that grows while it is read stops at the limit.
    file.take(CAT_LIMIT).read_to_end(&mut contents)?;
    Ok(contents)
}
// ANCHOR_END: cat

/// Why `cat` refuses a link, a folder or a device.
pub const NOT_REGULAR: &str = "not a regular file (links, folders and devices are not served)";
