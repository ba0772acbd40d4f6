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
//! | `ls` | one line per file in the folder: size and name, sorted by name |
//! | `cat NAME` | the contents of one file in the folder (plain names only) |
//! | `help` | the list of commands |
//!
//! Anything else gets an error line back, which is output like any other.
//! [`sample_folder`] makes the folder the `leftover` step serves.

use std::fs;
use std::io;
use std::path::Path;

use classroom::files::{ScratchDir, plain_name};

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
            Ok(name) => cat(&folder.join(name), name)?,
            Err(_) => format!("cat: {name:?}: only plain file names in this folder\n").into_bytes(),
        },
        (Some("help"), None, _) => HELP.as_bytes().to_vec(),
        _ => format!("unknown command {line:?}; {HELP}").into_bytes(),
    };
    Ok(output)
}
// ANCHOR_END: run

/// How many sample files [`sample_folder`] holds: enough that `ls`
/// answers with more than one `recv(1024)` takes.
pub const SAMPLE_FILES: usize = 40;

/// A new private folder (see [`ScratchDir`] for why never a fixed name) of
/// [`SAMPLE_FILES`] small files, removed when dropped. Every such folder
/// holds the same files, so `ls` prints the same bytes on every run.
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
        let meta = entry.metadata()?;
        if meta.is_file() {
            entries.push((entry.file_name().to_string_lossy().into_owned(), meta.len()));
        }
    }
    entries.sort();
    let mut out = String::new();
    for (name, size) in entries {
        out.push_str(&format!("{size:>8}  {name}\n"));
    }
    Ok(out.into_bytes())
}

fn cat(path: &Path, name: &str) -> io::Result<Vec<u8>> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() <= CAT_LIMIT => fs::read(path),
        Ok(meta) if meta.is_file() => {
            Ok(format!("cat: {name}: larger than {CAT_LIMIT} bytes\n").into_bytes())
        }
        _ => Ok(format!("cat: {name}: no such file\n").into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("b.txt"), "bee\n").unwrap();
        fs::write(dir.path().join("a.txt"), "ay\n").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        dir
    }

    #[test]
    fn ls_lists_files_sorted_with_sizes() {
        let dir = folder();
        let out = run("ls", dir.path()).unwrap();
        assert_eq!(out, b"       3  a.txt\n       4  b.txt\n");
    }

    #[test]
    fn cat_reads_a_file_in_the_folder() {
        let dir = folder();
        assert_eq!(run("cat b.txt", dir.path()).unwrap(), b"bee\n");
        assert_eq!(
            run("cat nope", dir.path()).unwrap(),
            b"cat: nope: no such file\n"
        );
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        let dir = folder();
        for name in ["..", "../etc/passwd", "/etc/passwd", "a\\b", ".", "sub/x"] {
            let out = String::from_utf8(run(&format!("cat {name}"), dir.path()).unwrap());
            assert!(out.unwrap().contains("only plain file names"), "{name}");
        }
    }

    #[test]
    fn ls_of_the_samples_is_longer_than_one_recv_and_the_same_every_time() {
        let (a, b) = (sample_folder().unwrap(), sample_folder().unwrap());
        assert_ne!(a.path(), b.path(), "a new folder each time");
        let listing = run("ls", a.path()).unwrap();
        assert!(
            listing.len() > classroom::tcp::RECV_SIZE,
            "{}",
            listing.len()
        );
        assert_eq!(listing, run("ls", b.path()).unwrap());
    }

    #[test]
    fn nothing_else_runs() {
        let dir = folder();
        for line in ["rm -rf /", "ls; cat a.txt", "ls -l", "", "cat a b"] {
            let out = String::from_utf8(run(line, dir.path()).unwrap()).unwrap();
            assert!(out.starts_with("unknown command"), "{line:?}: {out}");
        }
    }
}
