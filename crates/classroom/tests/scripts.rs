//! The classroom scripts in `scripts/`, run with stand-ins for the programs
//! they drive (tcpdump, tmux, cargo), so these tests need none of them.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a test waits for a line a script should print at once.
const PATIENCE: Duration = Duration::from_secs(15);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A folder of stand-in programs, put first on PATH.
struct FakeBin(PathBuf);

impl FakeBin {
    fn new(name: &str) -> FakeBin {
        let dir = std::env::temp_dir().join(format!("fake-bin-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        FakeBin(dir)
    }

    fn program(&self, name: &str, script: &str) -> &Self {
        let path = self.0.join(name);
        std::fs::write(&path, format!("#!/usr/bin/env bash\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        self
    }

    fn path_var(&self) -> String {
        format!(
            "{}:{}",
            self.0.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.0.join("log")).unwrap_or_default()
    }
}

impl Drop for FakeBin {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn capture_shows_each_segment_while_the_capture_is_still_running() {
    let fake = FakeBin::new("capture");
    // One segment, then the capture goes on (as tcpdump does until Ctrl-C).
    fake.program(
        "tcpdump",
        "echo '00:00:00.000051 IP 127.0.0.1.54716 > 127.0.0.1.8001: Flags [P.], seq 1:13, ack 1, win 512, length 12'\nexec sleep 60",
    );
    let mut child = Command::new("bash")
        .arg(root().join("scripts/capture.sh"))
        .arg("8001")
        .env("PATH", fake.path_var())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The row must come while the capture still runs, not when it ends.
    let mut row = None;
    while let Ok(line) = rx.recv_timeout(PATIENCE) {
        if line.contains("127.0.0.1.54716") {
            row = Some(line);
            break;
        }
    }
    // Stop the script and the stand-in together: `-- -PID` names the
    // process group the script leads (without `--`, `-PID` reads as a signal).
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
    let row = row.expect("no row while the capture was running");
    assert!(row.contains("[P.] PSH,ACK") && row.ends_with("12"), "{row}");
}

#[test]
fn two_terminals_passes_the_port_to_both_programs() {
    let fake = FakeBin::new("two");
    let log = fake.0.join("log");
    fake.program("cargo", "exit 0");
    fake.program(
        "tmux",
        &format!(
            "printf '%s|' \"$@\" >> '{}'; echo >> '{}'",
            log.display(),
            log.display()
        ),
    );
    let status = Command::new("bash")
        .arg(root().join("scripts/two-terminals.sh"))
        .args(["tcp_basic", "chat", "--port", "9090"])
        .env("PATH", fake.path_var())
        .env_remove("TMUX")
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let log = fake.log();
    assert!(
        log.contains("cargo run -q -p tcp_basic -- server chat --port 9090|Enter|"),
        "{log}"
    );
    assert!(
        log.contains("cargo run -q -p tcp_basic -- client chat --port 9090|"),
        "{log}"
    );
}

#[test]
fn the_tour_pauses_before_every_step_and_never_builds_the_bench() {
    let fake = FakeBin::new("tour");
    let log = fake.0.join("log");
    // Every lesson has two steps; each prints three lines.
    fake.program(
        "cargo",
        &format!(
            "echo \"$*\" >> '{}'\ncase \"$*\" in\n  *'demo --list') printf 'one  the first\\ntwo  the second\\n' ;;\n  *demo*) printf 'a\\nb\\nc\\n' ;;\nesac",
            log.display()
        ),
    );
    let mut child = Command::new("bash")
        .arg(root().join("scripts/tour.sh"))
        .arg("07")
        .env("PATH", fake.path_var())
        .env("TOUR_PAUSE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&b"\n".repeat(10)).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8_lossy(&output.stdout);
    let pauses = printed.matches("press Enter for").count();
    assert_eq!(pauses, 4, "lessons 07 and 08, two steps each:\n{printed}");
    let calls = fake.log();
    let build = calls.lines().next().unwrap_or_default();
    assert_eq!(build, "build -q", "{calls}");
    assert!(!calls.contains("bench"), "{calls}");
}

/// A Windows or macOS student finds, in the README, what runs natively, what
/// needs WSL, and what each script needs.
#[test]
fn the_readme_tells_windows_and_macos_students_what_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Windows and macOS"))
        .expect("a \"Windows and macOS\" section");
    for needed in [
        "WSL",
        "tmux",
        "tcpdump",
        "Git Bash",
        "epoll",
        "macOS",
        "wine-demos.sh",
    ] {
        assert!(
            section.contains(needed),
            "the section does not mention {needed}"
        );
    }
}
