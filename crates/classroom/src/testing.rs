//! What the lesson crates' tests share: starting a server on a port the OS
//! picks, running a program or a Python script to the end, reading from a
//! peer without hanging, and checking that a demo prints the same thing on
//! every run.
//!
//! Every wait here is bounded, so a stuck program fails its test with what
//! it printed instead of hanging the test run. Every program run here gets
//! `NO_COLOR=1`, so its output is plain text.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::panic;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use regex::Regex;

/// How long a test waits for a line it expects, or for a read, before it
/// calls the program stuck.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// How long a program run to the end may take.
pub const RUN_DEADLINE: Duration = Duration::from_secs(60);

// ------------------------------------------------------------ running to the end

/// Run `bin ARGS` to the end with nothing on its stdin.
pub fn run(bin: &str, args: &[&str]) -> Output {
    run_command(Command::new(bin).args(args), "")
}

/// Run `bin ARGS`, which must exit 0; return its stdout.
pub fn run_ok(bin: &str, args: &[&str]) -> String {
    succeeded(run(bin, args))
}

/// Run `bin ARGS` with its output going to a pipe nobody reads (as in
/// `demo all | head` once `head` has quit), and check it ends quietly: no
/// panic, killed by SIGPIPE or exiting on its own.
#[cfg(unix)]
pub fn assert_quiet_on_closed_pipe(bin: &str, args: &[&str]) {
    use std::os::unix::process::ExitStatusExt;

    let mut child = Command::new(bin)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    // Close the reading end before the program writes: every write fails.
    drop(child.stdout.take());
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child.wait().expect("wait for the program");
    const SIGPIPE: i32 = 13;
    assert!(
        !stderr.contains("panicked") && (status.success() || status.signal() == Some(SIGPIPE)),
        "{bin} {args:?} with a closed stdout: {status}, stderr:\n{stderr}"
    );
}

/// Run `bin ARGS`, which must exit with `code`; return its stderr.
pub fn run_failing(bin: &str, args: &[&str], code: i32) -> String {
    let output = run(bin, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}\nstdout:\n{}\nstderr:\n{stderr}",
        shown(Command::new(bin).args(args)),
        String::from_utf8_lossy(&output.stdout)
    );
    stderr
}

/// Run `command` to the end with `input` on its stdin (then end of input),
/// its stdout and stderr captured. Panics, with what it printed, when it
/// takes longer than [`RUN_DEADLINE`].
pub fn run_command(command: &mut Command, input: &str) -> Output {
    run_within(command, input, RUN_DEADLINE)
}

/// The stdout of a run that must have exited 0; otherwise a panic showing
/// the exit status and everything it printed.
pub fn succeeded(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{}\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The steps `bin demo --list` names, in its order.
pub fn demo_steps(bin: &str) -> Vec<String> {
    run_ok(bin, &["demo", "--list"])
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn run_within(command: &mut Command, input: &str, deadline: Duration) -> Output {
    let mut child = command
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", shown(command)));
    type_then_close(child.stdin.take(), input);
    let (done, finished) = mpsc::channel();
    let stdout = drain(child.stdout.take(), done.clone());
    let stderr = drain(child.stderr.take(), done);
    let end = Instant::now() + deadline;
    // Both pipes close when the program exits (or is killed).
    let in_time = (0..2).all(|_| {
        finished
            .recv_timeout(end.saturating_duration_since(Instant::now()))
            .is_ok()
    });
    if !in_time {
        let _ = child.kill();
    }
    let status = child.wait().expect("wait for the program");
    let output = Output {
        status,
        stdout: stdout.join().expect("the stdout reader"),
        stderr: stderr.join().expect("the stderr reader"),
    };
    assert!(
        in_time,
        "{} did not finish within {deadline:?}; it printed:\n{}{}",
        shown(command),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Read `pipe` to its end on a thread; say so on `done`.
fn drain(pipe: Option<impl Read + Send + 'static>, done: mpsc::Sender<()>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut data = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut data);
        }
        let _ = done.send(());
        data
    })
}

/// Write `input` to the program's stdin on a thread (a program that exits
/// without reading it all must not block the test), then close it.
fn type_then_close(stdin: Option<ChildStdin>, input: &str) {
    let Some(mut stdin) = stdin else { return };
    if input.is_empty() {
        return; // dropping `stdin` is the end of input
    }
    let input = input.to_owned();
    thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
}

/// `program arg…` for messages, with the program's file name only.
fn shown(command: &Command) -> String {
    let program = Path::new(command.get_program());
    let name = program.file_name().unwrap_or(program.as_os_str());
    std::iter::once(name)
        .chain(command.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}

// ------------------------------------------------------------ servers

/// A program's stdout, a line at a time, read on a thread.
struct Lines {
    lines: Receiver<String>,
}

impl Lines {
    fn new(pipe: impl Read + Send + 'static) -> Lines {
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            let mut pipe = BufReader::new(pipe);
            let mut line = Vec::new();
            while let Ok(1..) = pipe.read_until(b'\n', &mut line) {
                let text = String::from_utf8_lossy(&line);
                let text = text.strip_suffix('\n').unwrap_or(&text);
                let text = text.strip_suffix('\r').unwrap_or(text);
                if tx.send(text.to_owned()).is_err() {
                    break;
                }
                line.clear();
            }
        });
        Lines { lines }
    }

    /// Lines up to and including the first that contains `text`; if none
    /// comes within `patience`, why not and every line read.
    fn until(&self, text: &str, patience: Duration) -> Result<Vec<String>, (String, Vec<String>)> {
        let end = Instant::now() + patience;
        let mut seen = Vec::new();
        loop {
            match self
                .lines
                .recv_timeout(end.saturating_duration_since(Instant::now()))
            {
                Ok(line) => {
                    let found = line.contains(text);
                    seen.push(line);
                    if found {
                        return Ok(seen);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(("it closed its output".into(), seen));
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err((format!("nothing more came within {patience:?}"), seen));
                }
            }
        }
    }

    /// Wait until the output closes, dropping what comes; `false` if it is
    /// still open after `patience`.
    fn until_closed(&self, patience: Duration) -> bool {
        let end = Instant::now() + patience;
        loop {
            match self
                .lines
                .recv_timeout(end.saturating_duration_since(Instant::now()))
            {
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => return true,
                Err(RecvTimeoutError::Timeout) => return false,
            }
        }
    }
}

/// The address in a server's first line, `listening on HOST:PORT` or
/// `bound to HOST:PORT`.
pub fn announced_addr(line: &str) -> Option<SocketAddr> {
    line.strip_prefix("listening on ")
        .or_else(|| line.strip_prefix("bound to "))?
        .trim()
        .parse()
        .ok()
}

/// A server running in the background, started on a port the OS picks;
/// killed (and waited for) when dropped. Its stderr goes to the test's.
pub struct ServerProcess {
    /// Where the server said it listens.
    pub addr: SocketAddr,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Lines,
}

impl ServerProcess {
    /// Start `bin ARGS` (the arguments should ask for port 0) and read its
    /// first line, `listening on HOST:PORT` or `bound to HOST:PORT`.
    pub fn start(bin: &str, args: &[&str]) -> ServerProcess {
        ServerProcess::spawn(Command::new(bin).args(args), "")
    }

    /// Start `command` with `input` on its stdin (then end of input), and
    /// read its first line, as [`ServerProcess::start`] does.
    pub fn spawn(command: &mut Command, input: &str) -> ServerProcess {
        let mut server = ServerProcess::launch(command, announced_addr);
        type_then_close(server.stdin.take(), input);
        server
    }

    /// Start `command` with its stdin left open for
    /// [`ServerProcess::send_input`]; `first_line` finds the address in
    /// its first line.
    fn launch(command: &mut Command, first_line: fn(&str) -> Option<SocketAddr>) -> ServerProcess {
        let mut child = command
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", shown(command)));
        let mut server = ServerProcess {
            addr: SocketAddr::from(([0, 0, 0, 0], 0)),
            stdin: child.stdin.take(),
            lines: Lines::new(child.stdout.take().expect("piped stdout")),
            child,
        };
        // From here a panic drops `server`, which kills the process.
        let first = match server.lines.until("", PATIENCE) {
            Ok(mut lines) => lines.remove(0),
            Err((why, _)) => panic!("{} printed no first line: {why}", shown(command)),
        };
        server.addr = first_line(&first)
            .unwrap_or_else(|| panic!("unexpected first line from {}: {first}", shown(command)));
        server
    }

    /// Wait (at most [`PATIENCE`]) for a line containing `text`; return
    /// every line read until then, that line last. `""` is the next line.
    #[track_caller]
    pub fn wait_for(&self, text: &str) -> Vec<String> {
        match self.lines.until(text, PATIENCE) {
            Ok(seen) => seen,
            Err((why, seen)) => panic!(
                "the server never printed {text:?} ({why}); it printed:\n{}",
                seen.join("\n")
            ),
        }
    }

    /// The next line the server prints (at most [`PATIENCE`] away).
    #[track_caller]
    pub fn next_line(&self) -> String {
        self.wait_for("").pop().expect("a line")
    }

    /// Type `text` on the server's stdin, which [`Python::serve_interactive`]
    /// left open.
    pub fn send_input(&mut self, text: &str) {
        let stdin = self
            .stdin
            .as_mut()
            .expect("a server started with its stdin open");
        stdin
            .write_all(text.as_bytes())
            .expect("type on the server's stdin");
        stdin.flush().expect("flush the server's stdin");
    }

    /// A connection to the server whose reads give up after [`PATIENCE`].
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).expect("connect to the server");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("set a read timeout");
        stream
    }

    /// Wait (at most [`PATIENCE`]) for the server to end by itself, its
    /// stdin closed; lines not read yet are dropped.
    #[track_caller]
    pub fn wait_exit(mut self) -> ExitStatus {
        self.stdin = None;
        assert!(
            self.lines.until_closed(PATIENCE),
            "the server did not exit within {PATIENCE:?}"
        );
        self.child.wait().expect("wait for the server")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .try_wait()
            .expect("ask about the server")
            .is_none()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ------------------------------------------------------------ python

/// Document 000's TCP client, which lessons 01 and 02 both run against
/// their servers: send `b'hello!'`, print what one `recv(1024)` returns,
/// close at once. The port is its first argument.
pub const DOC000_CLIENT: &str = r#"
import socket, sys
sk = socket.socket()
sk.connect(('127.0.0.1', int(sys.argv[1])))
sk.send(b'hello!')
ret = sk.recv(1024)
print(ret)
sk.close()
"#;

/// `python3`, or `None` when it is not installed, with the reason the
/// calling test is skipped printed.
pub fn python3() -> Option<&'static str> {
    static FOUND: OnceLock<bool> = OnceLock::new();
    let found = *FOUND.get_or_init(|| {
        Command::new("python3")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !found {
        eprintln!("skipped: python3 is not installed, so the interop test cannot run");
    }
    found.then_some("python3")
}

/// Run `python3 -c SCRIPT ARGS…`, which must exit 0 (its stderr is shown
/// otherwise); return its stdout.
pub fn run_python(script: &str, args: &[&str]) -> String {
    Python::script(script).args(args).run()
}

/// A Python program given as source, run as `python3 -c SCRIPT ARGS…` with
/// UTF-8 stdout. Check [`python3`] first.
pub struct Python {
    command: Command,
    input: String,
}

impl Python {
    /// `python3 -c script`.
    pub fn script(script: &str) -> Python {
        let mut command = Command::new("python3");
        command
            .args(["-c", script])
            .env("PYTHONIOENCODING", "utf-8");
        Python {
            command,
            input: String::new(),
        }
    }

    /// Arguments after the script (`sys.argv[1:]`).
    pub fn args(mut self, args: impl IntoIterator<Item = impl AsRef<OsStr>>) -> Python {
        self.command.args(args);
        self
    }

    /// Run in `dir`.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Python {
        self.command.current_dir(dir);
        self
    }

    /// What the program reads on its stdin, then end of input.
    pub fn input(mut self, text: &str) -> Python {
        text.clone_into(&mut self.input);
        self
    }

    /// Run to the end, whatever its exit status.
    pub fn output(mut self) -> Output {
        run_command(&mut self.command, &self.input)
    }

    /// Run to the end; it must exit 0. Its stdout.
    pub fn run(self) -> String {
        succeeded(self.output())
    }

    /// Start it as a server whose first line is the port it bound on
    /// 127.0.0.1.
    pub fn serve(mut self) -> ServerProcess {
        let mut server = ServerProcess::launch(&mut self.command, bare_port);
        type_then_close(server.stdin.take(), &self.input);
        server
    }

    /// [`Python::serve`], its stdin left open for
    /// [`ServerProcess::send_input`].
    pub fn serve_interactive(mut self) -> ServerProcess {
        let mut server = ServerProcess::launch(&mut self.command, bare_port);
        server.send_input(&self.input);
        server
    }
}

/// A first line that is only a port, on 127.0.0.1.
fn bare_port(line: &str) -> Option<SocketAddr> {
    let port: u16 = line.trim().parse().ok()?;
    Some(SocketAddr::from(([127, 0, 0, 1], port)))
}

// ------------------------------------------------------------ reading

/// Read exactly `n` bytes; each read gives up after [`PATIENCE`].
pub fn read_n(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("set a read timeout");
    let mut data = vec![0; n];
    stream
        .read_exact(&mut data)
        .unwrap_or_else(|e| panic!("read {n} bytes: {e}"));
    data
}

/// Read until the peer closes; each read gives up after [`PATIENCE`].
pub fn read_to_end(stream: &mut TcpStream) -> Vec<u8> {
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("set a read timeout");
    let mut data = Vec::new();
    if let Err(e) = stream.read_to_end(&mut data) {
        panic!(
            "read to the end: {e}; read so far:\n{}",
            String::from_utf8_lossy(&data)
        );
    }
    data
}

// ------------------------------------------------------------ the same every run

/// What differs between runs of any demo: the ports the OS picks, and
/// durations (`1.5ms`, `300µs`, `2s`). Each is (pattern, replacement).
pub const BASE_RULES: [(&str, &str); 2] = [
    (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
    (r"\d+(\.\d+)?(ns|µs|ms|s)\b", "TIME"),
];

/// `text` with what may differ between runs replaced: [`BASE_RULES`], then
/// `extra` (pattern, replacement) rules in order; a replacement may name
/// the pattern's groups (`$1`).
pub fn normalise(text: &str, extra: &[(&str, &str)]) -> String {
    Rules::new(extra).apply(text)
}

struct Rules<'a>(Vec<(Regex, &'a str)>);

impl<'a> Rules<'a> {
    fn new(extra: &[(&str, &'a str)]) -> Rules<'a> {
        let compile = |&(pattern, with): &(&str, &'a str)| {
            let regex = Regex::new(pattern)
                .unwrap_or_else(|e| panic!("a bad normalising pattern {pattern:?}: {e}"));
            (regex, with)
        };
        Rules(BASE_RULES.iter().chain(extra).map(compile).collect())
    }

    fn apply(&self, text: &str) -> String {
        self.0.iter().fold(text.to_owned(), |text, (regex, with)| {
            regex.replace_all(&text, *with).into_owned()
        })
    }
}

/// Call `f` `runs` times, two calls at a time (many machines have two
/// cores; servers on ports the OS picks never collide); the results, in no
/// particular order. A panic in a call is this function's panic.
pub fn repeat<T: Send>(runs: usize, f: impl Fn() -> T + Sync) -> Vec<T> {
    let f = &f;
    thread::scope(|s| {
        let half = |n| s.spawn(move || (0..n).map(|_| f()).collect::<Vec<T>>());
        let (a, b) = (half(runs / 2), half(runs - runs / 2));
        [a, b]
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| panic::resume_unwind(e)))
            .collect()
    })
}

/// Run `bin ARGS` `runs` times, two at a time: every run must exit 0, write
/// nothing to stderr, and print what the first run printed once both are
/// [`normalise`]d with `rules`. Returns what each run printed, not
/// normalised, for claims that must hold on every run.
pub fn assert_same_every_run(
    bin: &str,
    args: &[&str],
    runs: usize,
    rules: &[(&str, &str)],
) -> Vec<String> {
    let what = shown(Command::new(bin).args(args));
    let printed: Vec<String> = repeat(runs, || {
        let output = run(bin, args);
        assert!(
            output.stderr.is_empty(),
            "`{what}` wrote to stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        succeeded(output)
    });
    let rules = Rules::new(rules);
    let normalised: Vec<String> = printed.iter().map(|text| rules.apply(text)).collect();
    if let Some(first) = normalised.first() {
        for (run, other) in normalised.iter().enumerate().skip(1) {
            if let Some((line, a, b)) = first_difference(first, other) {
                panic!(
                    "`{what}`: run {} differs from run 1 at line {line} (normalised):\n\
                     run 1: {a}\nrun {}: {b}\n\nrun 1 printed:\n{first}\nrun {} printed:\n{other}",
                    run + 1,
                    run + 1,
                    run + 1
                );
            }
        }
    }
    printed
}

/// What `strace -f` saw a demo do, beside what the demo printed.
#[derive(Debug, PartialEq, Eq)]
pub struct Syscalls {
    /// `sendto` calls (std's TCP `write` and UDP `send_to` are `sendto`).
    pub sendto: usize,
    /// `recvfrom` calls, those with `MSG_PEEK` left out: a peek only waits
    /// for bytes, it takes none.
    pub recvfrom: usize,
    /// Printed `send #N:` lines.
    pub printed_sends: usize,
    /// Printed `recv #N:` lines.
    pub printed_recvs: usize,
}

/// Run `bin ARGS` under `strace -f`, counting its `sendto` and `recvfrom`
/// system calls and its printed `send #N` / `recv #N` lines, or `None`
/// (with the reason printed) where strace is not installed or may not
/// trace here.
pub fn syscalls_under_strace(bin: &str, args: &[&str]) -> Option<Syscalls> {
    let dir = std::env::temp_dir().join(format!(
        "strace-{}-{:?}",
        std::process::id(),
        thread::current().id()
    ));
    let log = dir.with_extension("log");
    let output = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=sendto,recvfrom", "-o"])
        .arg(&log)
        .arg(bin)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            eprintln!(
                "skipped: strace could not run {bin}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("skipped: strace is not installed ({e})");
            return None;
        }
    };
    let trace = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    // A call another thread interrupts is split over two lines,
    // `recvfrom(3, <unfinished ...>` and `<... recvfrom resumed>…, MSG_PEEK…`:
    // count each call once, on the line where it completes.
    let calls = |name: &str| {
        let (call, resumed) = (format!("{name}("), format!("<... {name} resumed>"));
        trace
            .lines()
            .filter(|l| (l.contains(&call) && !l.contains("<unfinished")) || l.contains(&resumed))
            .filter(|l| !l.contains("MSG_PEEK"))
            .count()
    };
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    let lines = |re: &str| {
        let re = Regex::new(re).expect("a valid regex");
        printed.lines().filter(|l| re.is_match(l)).count()
    };
    Some(Syscalls {
        sendto: calls("sendto"),
        recvfrom: calls("recvfrom"),
        printed_sends: lines(r"^\[[a-z0-9 ]+\] send #\d+:"),
        printed_recvs: lines(r"^\[[a-z0-9 ]+\] recv #\d+:"),
    })
}

/// Check that every printed `send #N` / `recv #N` of `bin ARGS` is one
/// `sendto` / `recvfrom` system call, and no call goes unprinted.
pub fn assert_one_line_per_syscall(bin: &str, args: &[&str]) {
    let Some(seen) = syscalls_under_strace(bin, args) else {
        return;
    };
    assert!(seen.printed_sends + seen.printed_recvs > 0, "{seen:?}");
    assert_eq!(
        (seen.printed_sends, seen.printed_recvs),
        (seen.sendto, seen.recvfrom),
        "`{bin} {}`: printed sends and receives differ from the system calls strace saw",
        args.join(" ")
    );
}

/// The row of `compare`'s table for `label` (`broken` or `fixed`), which
/// must have ended with exit 0; panics with the whole output otherwise.
pub fn compare_row(text: &str, label: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(label) && l.contains("exit 0"))
        .unwrap_or_else(|| panic!("no {label} row that ended with exit 0:\n{text}"))
        .to_owned()
}

/// The first line (1-based) where `a` and `b` differ, and the two lines
/// there (`<end>` past the last line).
fn first_difference<'t>(a: &'t str, b: &'t str) -> Option<(usize, &'t str, &'t str)> {
    let (mut a_lines, mut b_lines) = (a.split('\n'), b.split('\n'));
    for line in 1.. {
        match (a_lines.next(), b_lines.next()) {
            (None, None) => return None,
            (x, y) if x == y => {}
            (x, y) => return Some((line, x.unwrap_or("<end>"), y.unwrap_or("<end>"))),
        }
    }
    unreachable!("the lines ran out")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn ports_and_durations_are_normalised_and_counts_are_not() {
        let text = "listening on 127.0.0.1:41234\ntook 1.5ms, then 300µs, then 2s\n6 bytes in 3 segments\n";
        assert_eq!(
            normalise(text, &[]),
            "listening on 127.0.0.1:PORT\ntook TIME, then TIME, then TIME\n6 bytes in 3 segments\n"
        );
    }

    #[test]
    fn extra_rules_come_after_the_base_ones_and_may_name_groups() {
        let rules = [
            (r"127\.0\.0\.1:PORT", "ADDR"),
            (r"(\d+) segments", "N segments (was $1)"),
        ];
        assert_eq!(
            normalise("to 127.0.0.1:80 in 3 segments", &rules),
            "to ADDR in N segments (was 3)"
        );
    }

    #[test]
    #[should_panic(expected = "a bad normalising pattern")]
    fn a_bad_rule_is_named() {
        normalise("x", &[("(", "")]);
    }

    #[test]
    fn repeat_calls_as_often_as_asked() {
        for runs in [0, 1, 2, 5] {
            let calls = AtomicUsize::new(0);
            let results = repeat(runs, || calls.fetch_add(1, Ordering::Relaxed));
            assert_eq!(calls.load(Ordering::Relaxed), runs);
            let mut results = results;
            results.sort_unstable();
            assert_eq!(results, (0..runs).collect::<Vec<_>>());
        }
    }

    #[test]
    #[should_panic(expected = "call 3 failed")]
    fn a_panic_in_a_repeated_call_is_not_lost() {
        let calls = AtomicUsize::new(0);
        repeat(4, || {
            let call = calls.fetch_add(1, Ordering::Relaxed) + 1;
            assert_ne!(call, 3, "call 3 failed");
        });
    }

    #[test]
    fn the_first_differing_line_is_found() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        assert_eq!(first_difference("a\nb\n", "a\nc\n"), Some((2, "b", "c")));
        assert_eq!(first_difference("a\n", "a\nb"), Some((2, "", "b")));
        assert_eq!(first_difference("a", "a\nb"), Some((2, "<end>", "b")));
    }

    #[test]
    fn a_servers_first_line_gives_its_address() {
        let addr = |s: &str| s.parse::<SocketAddr>().ok();
        assert_eq!(
            announced_addr("listening on 127.0.0.1:8898"),
            addr("127.0.0.1:8898")
        );
        assert_eq!(announced_addr("bound to [::1]:9000"), addr("[::1]:9000"));
        assert_eq!(announced_addr("listening on nowhere"), None);
        assert_eq!(announced_addr("hello 127.0.0.1:1"), None);
        assert_eq!(bare_port("41234\n"), addr("127.0.0.1:41234"));
        assert_eq!(bare_port("b'hi'"), None);
    }

    #[test]
    fn lines_are_waited_for_and_a_missing_one_says_what_came() {
        let lines = Lines::new(io::Cursor::new(b"one\r\ntwo\nthree\n\xff\n".to_vec()));
        assert_eq!(lines.until("tw", PATIENCE).unwrap(), ["one", "two"]);
        let (why, seen) = lines.until("never", PATIENCE).unwrap_err();
        assert_eq!(why, "it closed its output");
        assert_eq!(seen, ["three", "\u{fffd}"]);
    }

    #[test]
    fn a_wait_for_a_line_gives_up_in_time() {
        // A pipe kept open but never written to.
        let (reader, writer) = io::pipe().unwrap();
        let lines = Lines::new(reader);
        let started = Instant::now();
        let (why, seen) = lines.until("x", Duration::from_millis(50)).unwrap_err();
        assert!(why.starts_with("nothing more came within"), "{why}");
        assert!(seen.is_empty());
        assert!(started.elapsed() < PATIENCE);
        assert!(!lines.until_closed(Duration::from_millis(10)));
        drop(writer);
        assert!(lines.until_closed(PATIENCE));
    }

    #[cfg(unix)]
    #[test]
    fn a_server_process_is_found_at_its_announced_address() {
        let script = "echo 'listening on 127.0.0.1:4321'; read x; echo \"got $x\"";
        let typed = ServerProcess::spawn(Command::new("sh").args(["-c", script]), "hi\n");
        assert_eq!(typed.addr, "127.0.0.1:4321".parse().unwrap());
        assert_eq!(typed.next_line(), "got hi");
        assert!(typed.wait_exit().success());
        // With its stdin open it waits for what a test types.
        let mut open =
            ServerProcess::launch(Command::new("sh").args(["-c", script]), announced_addr);
        assert!(open.is_running());
        open.send_input("there\n");
        assert_eq!(open.next_line(), "got there");
        assert!(open.wait_exit().success());
    }

    #[cfg(unix)]
    #[test]
    #[should_panic(expected = "unexpected first line from sh -c echo hello: hello")]
    fn a_server_with_another_first_line_is_refused() {
        ServerProcess::start("sh", &["-c", "echo hello"]);
    }

    #[cfg(unix)]
    #[test]
    #[should_panic(expected = "the server never printed \"bye\" (it closed its output)")]
    fn a_line_a_server_never_prints_fails_the_wait() {
        let server = ServerProcess::start("sh", &["-c", "echo 'bound to 127.0.0.1:1'; echo hi"]);
        server.wait_for("bye");
    }

    #[cfg(unix)]
    #[test]
    fn a_run_gets_its_input_and_its_output_is_captured() {
        let output = run_command(
            Command::new("sh").args(["-c", "cat; echo oops >&2"]),
            "in\n",
        );
        assert_eq!(succeeded(output), "in\n");
        let failed = run("sh", &["-c", "echo out; echo err >&2; exit 3"]);
        let message = panic::catch_unwind(|| succeeded(failed))
            .unwrap_err()
            .downcast::<String>()
            .unwrap();
        assert!(message.contains("exit status: 3"), "{message}");
        assert!(message.contains("stdout:\nout\n"), "{message}");
        assert!(message.contains("stderr:\nerr\n"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_run_gives_its_stderr_and_another_exit_code_fails() {
        let script = ["-c", "echo out; echo err >&2; exit 3"];
        assert_eq!(run_failing("sh", &script, 3), "err\n");
        let message = panic::catch_unwind(|| run_failing("sh", &script, 1))
            .unwrap_err()
            .downcast::<String>()
            .unwrap();
        assert!(message.contains("left: Some(3)"), "{message}");
        assert!(message.contains("stdout:\nout\n"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    #[should_panic(expected = "sh -c echo started; exec tail -f /dev/null did not finish")]
    fn a_run_that_never_ends_is_stopped() {
        run_within(
            Command::new("sh").args(["-c", "echo started; exec tail -f /dev/null"]),
            "",
            Duration::from_millis(200),
        );
    }

    #[cfg(unix)]
    #[test]
    fn demos_that_differ_between_runs_are_caught() {
        let same = assert_same_every_run("sh", &["-c", "echo 127.0.0.1:$$"], 4, &[]);
        assert_eq!(same.len(), 4);
        let differs = panic::catch_unwind(|| {
            assert_same_every_run("sh", &["-c", "echo pid $$"], 4, &[]);
        });
        let message = differs.unwrap_err().downcast::<String>().unwrap();
        assert!(
            message.contains("differs from run 1 at line 1"),
            "{message}"
        );
        let noisy = panic::catch_unwind(|| {
            assert_same_every_run("sh", &["-c", "echo warn >&2"], 2, &[]);
        });
        let message = noisy.unwrap_err().downcast::<String>().unwrap();
        assert!(message.contains("wrote to stderr"), "{message}");
    }
}
