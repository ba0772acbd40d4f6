//! The command server's commands: only the fixed list runs, only regular
//! files inside the folder are served (no links out, no dot-names, no
//! folders or FIFOs), and names come back escaped.

use std::fs;

use sticky_packet_demo::commands::{NOT_REGULAR, run, sample_folder};

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
fn dot_names_are_neither_listed_nor_served() {
    let dir = folder();
    fs::write(dir.path().join(".bashrc"), "secret\n").unwrap();
    assert_eq!(
        run("cat .bashrc", dir.path()).unwrap(),
        b"cat: \".bashrc\": only plain file names in this folder\n"
    );
    assert!(
        !String::from_utf8(run("ls", dir.path()).unwrap())
            .unwrap()
            .contains("bashrc")
    );
}

#[test]
fn folders_are_not_served() {
    let dir = folder();
    let out = String::from_utf8(run("cat sub", dir.path()).unwrap()).unwrap();
    assert_eq!(out, format!("cat: sub: {NOT_REGULAR}\n"));
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_folder_is_neither_listed_nor_followed() {
    let (dir, outside) = (folder(), tempfile::tempdir().unwrap());
    let secret = outside.path().join("secret.txt");
    fs::write(&secret, "the secret\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("x")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("h")).unwrap();
    for name in ["x", "h"] {
        let out = String::from_utf8(run(&format!("cat {name}"), dir.path()).unwrap());
        assert_eq!(out.unwrap(), format!("cat: {name}: {NOT_REGULAR}\n"));
    }
    assert_eq!(
        run("ls", dir.path()).unwrap(),
        run("ls", folder().path()).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = folder();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo here");
        return;
    }
    let out = String::from_utf8(run("cat pipe", dir.path()).unwrap()).unwrap();
    assert_eq!(out, format!("cat: pipe: {NOT_REGULAR}\n"));
}

#[test]
fn names_reach_the_client_escaped() {
    let dir = folder();
    let out = run("cat \u{1b}]0;PWNED\u{7}\u{202e}", dir.path()).unwrap();
    // "no such file" (Windows: a name it does not allow at all).
    assert!(
        out.starts_with(b"cat: \\u{1b}]0;PWNED\\u{7}\\u{202e}: "),
        "{out:?}"
    );
    #[cfg(unix)] // Windows allows no control characters in file names
    {
        fs::write(dir.path().join("\u{1b}[2Jc.txt"), "").unwrap();
        let listing = String::from_utf8(run("ls", dir.path()).unwrap()).unwrap();
        assert!(
            listing.starts_with("       0  \\u{1b}[2Jc.txt\n"),
            "{listing}"
        );
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
