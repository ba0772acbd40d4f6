//! The lesson-test harness: every command a lesson shows is run, and every
//! output it shows is what the program prints.
//!
//! A lesson is markdown. The harness reads its fenced blocks:
//!
//! * ```` ```console ```` blocks hold commands as a student types them,
//!   `$ cargo run -q -p CRATE -- ARGS`, each followed by its output (stdout
//!   and stderr merged, in the order the program wrote them). A command may
//!   be fed input the way a shell does: `$ printf 'hi\nq\n' | cargo run …`.
//!   Every command must exit 0, or the code given as `console exit=N`.
//! * ```` ```console server ```` followed by ```` ```console client ```` is a
//!   two-terminal step. The server starts in the background on a port the OS
//!   picks (its `--port` is replaced by 0), its first line
//!   `listening on HOST:PORT` (or `bound to HOST:PORT`) tells the harness
//!   where it is, the client commands run against that port, and the
//!   server's output is compared once it matches or a deadline passes. The
//!   real port is written back as the port the lesson shows, so a lesson can
//!   print the document's default port literally.
//! * ```` ```console windows ```` is the same command on Windows, where its
//!   output differs. It must follow a paragraph starting `**Windows:**`. It
//!   runs the crate's Windows binary (`CRATE.exe` in the folder named by
//!   `LESSON_WINDOWS_BIN_DIR`) under Wine (the program named by
//!   `LESSON_WINE`, with the environment's `WINEPREFIX`), and is compared
//!   like any other block. `scripts/wine-demos.sh` builds those binaries and
//!   writes both settings to `target/wine/lesson-env.sh`; where
//!   `LESSON_WINDOWS_BIN_DIR` is not set, the block is skipped and the test
//!   prints why.
//! * ```` ```console not-run ```` is a block deliberately not run. It must
//!   follow a visible line starting `> **Not run by the tests:**` that says
//!   why, and should be rare.
//! * ```` ```rust ```` blocks must come from the crate: their first line is
//!   `// crates/CRATE/src/FILE.rs (anchor: NAME)` and the rest must equal the
//!   lines between the markers `// ANCHOR:` NAME and `// ANCHOR_END:` NAME in that file
//!   (the markers mdBook uses), with common indentation removed.
//! * Every fence must name a language, so nothing is silently skipped.
//!
//! Output is matched with snapbox. The only wildcards a lesson may use are
//! the placeholders `[PORT]`, `[ADDR]`, `[TIME]` and `[COUNT]`, each
//! standing for any text within its line; snapbox's generic `[..]` and `...` are refused, so
//! a lesson cannot hide output it does not show.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use regex::Regex;
use snapbox::{Assert, Data};

/// The placeholders a lesson may use in shown output.
/// `[COUNT]` stands for a number the kernel decides at run time (how many
/// bytes a buffer took, how many calls a loop made): a measurement, like a
/// time.
pub const PLACEHOLDERS: [&str; 4] = ["[PORT]", "[ADDR]", "[TIME]", "[COUNT]"];

use crate::source::{CLOSE, OPEN};

/// The folder holding the lesson crates' Windows binaries (`CRATE.exe`).
pub const WINDOWS_BIN_DIR: &str = "LESSON_WINDOWS_BIN_DIR";
/// The Wine program that runs them (Debian: `/usr/lib/wine/wine64`).
pub const WINE: &str = "LESSON_WINE";

/// How Wine's own start-up failure begins, printed before the program ran
/// (seen now and then here on a prefix Wine had just created, as
/// `wine client error:0: recvmsg: Connection reset by peer`).
const WINE_LOST_ITS_SERVER: &str = "wine client error";

/// How long one command may run before it counts as hung.
const COMMAND_DEADLINE: Duration = Duration::from_secs(60);
/// How long a background server has to print what the lesson shows once its
/// clients are done.
const SERVER_DEADLINE: Duration = Duration::from_secs(15);

/// Runs lessons against the binaries of the crates they use.
#[derive(Debug, Default, Clone)]
pub struct Harness {
    bins: BTreeMap<String, PathBuf>,
    /// Where `console windows` blocks run.
    windows: WindowsRun,
}

/// Where `console windows` blocks run.
#[derive(Debug, Default, Clone)]
enum WindowsRun {
    /// As `LESSON_WINDOWS_BIN_DIR` and `LESSON_WINE` say.
    #[default]
    FromEnv,
    /// Nowhere: they are skipped (the harness's own tests).
    #[cfg_attr(not(all(test, unix)), allow(dead_code))]
    Skip,
    /// With these settings.
    With(Windows),
}

/// How `console windows` blocks are run: each crate's `CRATE.exe` from
/// `bin_dir`, started by `wine`.
#[derive(Debug, Clone)]
struct Windows {
    wine: PathBuf,
    bin_dir: PathBuf,
}

impl Windows {
    /// The settings from the environment: `Ok(None)` when
    /// `LESSON_WINDOWS_BIN_DIR` is not set (the blocks are skipped); an
    /// error when it is set and the rest is missing (they must not be).
    fn from_env() -> Result<Option<Windows>, String> {
        let Some(bin_dir) = std::env::var_os(WINDOWS_BIN_DIR).filter(|d| !d.is_empty()) else {
            return Ok(None);
        };
        let wine = std::env::var_os(WINE)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| {
                format!("{WINDOWS_BIN_DIR} is set but {WINE} (the Wine program) is not")
            })?;
        Ok(Some(Windows {
            wine: wine.into(),
            bin_dir: bin_dir.into(),
        }))
    }
}

/// What a successful check ran.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Commands run and compared.
    pub commands: usize,
    /// Rust blocks checked against their anchors.
    pub snippets: usize,
    /// Commands of `console windows` blocks run under Wine and compared
    /// (not counted in `commands`).
    pub windows_commands: usize,
    /// `console windows` blocks skipped: no Windows binaries configured.
    pub windows_skipped: usize,
}

impl Summary {
    /// Panic unless at least `commands` commands ran and `snippets` Rust
    /// blocks were checked: a lesson whose blocks stopped being recognised
    /// must not pass by checking nothing.
    #[track_caller]
    pub fn assert_at_least(&self, commands: usize, snippets: usize) {
        assert!(
            self.commands >= commands,
            "only {} commands ran",
            self.commands
        );
        assert!(
            self.snippets >= snippets,
            "only {} Rust blocks checked",
            self.snippets
        );
    }
}

/// Everything that did not match, with the line of the lesson it came from.
#[derive(Debug, Default)]
pub struct Failures {
    lesson: String,
    problems: Vec<(usize, String)>,
}

impl Failures {
    /// The problems found, as (line, description).
    pub fn problems(&self) -> &[(usize, String)] {
        &self.problems
    }

    fn add(&mut self, line: usize, problem: impl Into<String>) {
        self.problems.push((line, problem.into()));
    }
}

impl fmt::Display for Failures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s) in {}:", self.problems.len(), self.lesson)?;
        for (line, problem) in &self.problems {
            writeln!(f, "\n--- {}:{line}\n{problem}", self.lesson)?;
        }
        Ok(())
    }
}

impl Harness {
    /// A harness that knows no binaries yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Run `cargo run -q -p KRATE -- …` lines with the binary at `path`
    /// (in a test, `env!("CARGO_BIN_EXE_<name>")`).
    pub fn bin(mut self, krate: &str, path: impl Into<PathBuf>) -> Self {
        self.bins.insert(krate.to_owned(), path.into());
        self
    }

    /// Run `console windows` blocks with `wine BIN_DIR/CRATE.exe ARGS`
    /// instead of reading `LESSON_WINE` and `LESSON_WINDOWS_BIN_DIR`.
    pub fn windows(mut self, wine: impl Into<PathBuf>, bin_dir: impl Into<PathBuf>) -> Self {
        self.windows = WindowsRun::With(Windows {
            wine: wine.into(),
            bin_dir: bin_dir.into(),
        });
        self
    }

    /// Check a lesson file and panic with every problem found. Rust blocks
    /// are resolved against the workspace root, the lesson folder's parent.
    /// The lesson's `## Exercises` section is left out: `crates/exercises`
    /// checks it, with its own binary ([`exercises_section`]).
    #[track_caller]
    pub fn check_lesson(&self, path: impl AsRef<Path>) -> Summary {
        let lesson = LessonFile::read(path.as_ref());
        let (_, rest) = exercises_section(&lesson.text);
        match self.check_text(&lesson.name, &rest, lesson.root()) {
            Ok(summary) => summary,
            Err(failures) => panic!("{failures}"),
        }
    }

    /// The harness checks itself on a real lesson: with one output line it
    /// shows changed, the lesson must fail, with exactly one problem.
    ///
    /// The change replaces the first `shown` after `after` (text the lesson
    /// must contain; `""` searches from the top) with `instead`. Both the
    /// lesson and the check are given in full, so a test reads as the
    /// sentence "this line, shown wrong, fails".
    #[track_caller]
    pub fn assert_wrong_line_fails(
        &self,
        path: impl AsRef<Path>,
        after: &str,
        shown: &str,
        instead: &str,
    ) {
        let lesson = LessonFile::read(path.as_ref());
        let (_, rest) = exercises_section(&lesson.text);
        let broken = match with_line_changed(&rest, after, shown, instead) {
            Ok(broken) => broken,
            Err(problem) => panic!("{}: {problem}", lesson.name),
        };
        match self.check_text(&lesson.name, &broken, lesson.root()) {
            Ok(_) => panic!(
                "{} still passed with {shown:?} shown as {instead:?}",
                lesson.name
            ),
            Err(failures) => assert_eq!(failures.problems().len(), 1, "{failures}"),
        }
    }

    /// Check lesson text; `root` is where `crates/…` paths are found.
    pub fn check_text(&self, name: &str, text: &str, root: &Path) -> Result<Summary, Failures> {
        let mut failures = Failures {
            lesson: name.to_owned(),
            problems: Vec::new(),
        };
        let mut summary = Summary::default();
        let fences = match parse_fences(text) {
            Ok(fences) => fences,
            Err((line, problem)) => {
                failures.add(line, problem);
                return Err(failures);
            }
        };
        let windows = match &self.windows {
            WindowsRun::FromEnv => Windows::from_env(),
            WindowsRun::Skip => Ok(None),
            WindowsRun::With(windows) => Ok(Some(windows.clone())),
        };
        let mut fences = fences.into_iter().peekable();
        while let Some(fence) = fences.next() {
            let result = match fence.kind() {
                Ok(Kind::Other) => Ok(()),
                Ok(Kind::Rust) => check_snippet(&fence, root).map(|()| summary.snippets += 1),
                Ok(Kind::Console(console)) if console.windows => {
                    let windows = windows.as_ref().map(Option::as_ref);
                    self.run_windows(&fence, &console, windows, &mut summary)
                }
                Ok(Kind::Console(console)) => match console.role {
                    Role::Plain => self.run_plain(&fence, &console, None, &mut summary),
                    Role::NotRun => check_not_run_marker(&fence),
                    Role::Client => {
                        Err("a `console client` block must follow a `console server` block".into())
                    }
                    Role::Server => {
                        let client = fences.next_if(|f| {
                            matches!(
                                f.kind(),
                                Ok(Kind::Console(Console {
                                    role: Role::Client,
                                    ..
                                }))
                            )
                        });
                        match client {
                            Some(client) => self.run_pair(&fence, &console, &client, &mut summary),
                            None => Err("a `console server` block must be followed by a `console client` block".into()),
                        }
                    }
                },
                Err(problem) => Err(problem),
            };
            if let Err(problem) = result {
                failures.add(fence.line, problem);
            }
        }
        if failures.problems.is_empty() && summary.commands == 0 {
            failures.add(1, "the lesson shows no command: nothing was run");
        }
        if summary.windows_skipped > 0 {
            eprintln!(
                "skipped: {} `console windows` block(s) of {name}: {WINDOWS_BIN_DIR} is not set \
                 (scripts/wine-demos.sh builds the Windows binaries; then `. target/wine/lesson-env.sh`)",
                summary.windows_skipped
            );
        }
        if failures.problems.is_empty() {
            Ok(summary)
        } else {
            Err(failures)
        }
    }

    /// Run a plain block's commands, natively or (`windows`) under Wine.
    fn run_plain(
        &self,
        fence: &Fence,
        console: &Console,
        windows: Option<&Windows>,
        summary: &mut Summary,
    ) -> Result<(), String> {
        for step in parse_console(fence)? {
            let invocation = parse_command(&step.command)?;
            let program = match windows {
                Some(windows) => self.windows_program(windows, &invocation)?,
                None => self.program(&invocation)?,
            };
            let mut output = run_to_end(&program, &invocation, &invocation.args)?;
            if program.wine && output.text.starts_with(WINE_LOST_ITS_SERVER) {
                // Wine failed before the program ran: start it once more.
                output = run_to_end(&program, &invocation, &invocation.args)?;
            }
            match windows {
                Some(_) => summary.windows_commands += 1,
                None => summary.commands += 1,
            }
            check_exit(&step, &output, console.exit)?;
            compare(&step, &output.text)?;
        }
        Ok(())
    }

    /// A `console windows` block: shown after a `**Windows:**` paragraph,
    /// run under Wine when the Windows binaries are there, else skipped.
    fn run_windows(
        &self,
        fence: &Fence,
        console: &Console,
        windows: Result<Option<&Windows>, &String>,
        summary: &mut Summary,
    ) -> Result<(), String> {
        if !fence.paragraph.starts_with("**Windows:**") {
            return Err(
                "a `console windows` block must follow a paragraph starting `**Windows:**`".into(),
            );
        }
        if console.role != Role::Plain {
            return Err(
                "a `console windows` block is a plain block: no server, client or not-run".into(),
            );
        }
        match windows.map_err(String::clone)? {
            Some(windows) => self.run_plain(fence, console, Some(windows), summary),
            None => {
                parse_console(fence)?
                    .iter()
                    .try_for_each(|step| parse_command(&step.command).map(drop))?;
                summary.windows_skipped += 1;
                Ok(())
            }
        }
    }

    fn run_pair(
        &self,
        server_fence: &Fence,
        server_console: &Console,
        client_fence: &Fence,
        summary: &mut Summary,
    ) -> Result<(), String> {
        let [server_step] = <[Step; 1]>::try_from(parse_console(server_fence)?)
            .map_err(|_| "a `console server` block holds exactly one command".to_string())?;
        let invocation = parse_command(&server_step.command)?;
        let mut server = Running::start(
            &self.program(&invocation)?,
            &with_port(&invocation.args, 0),
            &invocation.stdin,
        )?;
        let first_line = server.first_line(SERVER_DEADLINE)?;
        let real_port = announced_port(&first_line).ok_or_else(|| {
            format!("the server's first line should be `listening on HOST:PORT` or `bound to HOST:PORT`, got:\n{first_line}")
        })?;
        // The port the lesson shows for the server (its default), if literal.
        let shown_port = server_step
            .expected
            .lines()
            .next()
            .and_then(announced_port)
            .unwrap_or(real_port);
        let port_back = |text: &str| restore_port(text, real_port, shown_port);

        let client_console = match client_fence.kind() {
            Ok(Kind::Console(console)) => console,
            _ => unreachable!("checked by the caller"),
        };
        let mut result = Ok(());
        for step in parse_console(client_fence)? {
            let invocation = parse_command(&step.command)?;
            let program = self.program(&invocation)?;
            let output = run_to_end(
                &program,
                &invocation,
                &with_port(&invocation.args, real_port),
            )?;
            summary.commands += 1;
            let checked = check_exit(&step, &output, client_console.exit)
                .and_then(|()| compare(&step, &port_back(&output.text)));
            if let Err(problem) = checked {
                result = Err(format!("client (lesson line {}): {problem}", step.line));
                break;
            }
        }
        // The server may print its last lines after the client is done: wait
        // until its output matches what the lesson shows, or it has printed
        // as many lines as the lesson shows (more waiting cannot fix a
        // mismatch then), or the deadline passes.
        let shown_lines = server_step.expected.lines().count();
        let server_text = server.until(SERVER_DEADLINE, |text| {
            text.matches('\n').count() >= shown_lines
                || compare(&server_step, &port_back(text)).is_ok()
        });
        summary.commands += 1;
        let _ = server_console;
        result?;
        compare(&server_step, &port_back(&server_text))
            .map_err(|problem| format!("server (lesson line {}): {problem}", server_step.line))
    }

    /// The crate's own binary.
    fn program(&self, invocation: &Invocation) -> Result<Program, String> {
        let path = self.bins.get(&invocation.krate).ok_or_else(|| {
            format!(
                "no binary registered for crate `{}`: add `.bin(\"{0}\", env!(\"CARGO_BIN_EXE_{0}\"))`",
                invocation.krate
            )
        })?;
        Ok(Program {
            path: path.clone(),
            first_args: Vec::new(),
            wine: false,
        })
    }

    /// The crate's Windows binary, `CRATE.exe` named after the registered
    /// one, started by Wine.
    fn windows_program(
        &self,
        windows: &Windows,
        invocation: &Invocation,
    ) -> Result<Program, String> {
        let native = self.program(invocation)?.path;
        let stem = native
            .file_stem()
            .ok_or_else(|| format!("{} has no file name", native.display()))?;
        let mut exe = windows.bin_dir.join(stem);
        exe.set_extension("exe");
        if !exe.is_file() {
            return Err(format!(
                "{WINDOWS_BIN_DIR} is set, but {} is not there: scripts/wine-demos.sh builds it",
                exe.display()
            ));
        }
        Ok(Program {
            path: windows.wine.clone(),
            first_args: vec![exe.into_os_string()],
            wine: true,
        })
    }
}

/// How to start a crate's program: `path FIRST_ARGS… ARGS…`.
struct Program {
    path: PathBuf,
    /// Under Wine, the `.exe` to run.
    first_args: Vec<std::ffi::OsString>,
    /// Started by Wine: keep Wine's own diagnostics out of the output.
    wine: bool,
}

fn run_to_end(
    program: &Program,
    invocation: &Invocation,
    args: &[String],
) -> Result<Finished, String> {
    let mut running = Running::start(program, args, &invocation.stdin)?;
    let text = running.until(COMMAND_DEADLINE, |_| false);
    let status = running.wait_exit();
    match status {
        Some(status) => Ok(Finished { text, status }),
        None => Err(format!(
            "`{}` did not finish within {COMMAND_DEADLINE:?}; it printed:\n{text}",
            invocation.display()
        )),
    }
}

/// A lesson read from its file.
/// A lesson split in two, each part with the other's lines left blank (so
/// line numbers stay those of the file): its `## Exercises` section (up to
/// the next `## ` heading), and the rest.
pub fn exercises_section(text: &str) -> (String, String) {
    let (mut section, mut rest) = (String::new(), String::new());
    let mut inside = false;
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with("## ") {
            inside = line.trim_end() == "## Exercises";
        }
        let (mine, other) = if inside {
            (&mut section, &mut rest)
        } else {
            (&mut rest, &mut section)
        };
        mine.push_str(line);
        mine.push('\n');
        other.push('\n');
    }
    (section, rest)
}

struct LessonFile {
    /// The file name, for messages.
    name: String,
    text: String,
    path: PathBuf,
}

impl LessonFile {
    #[track_caller]
    fn read(path: &Path) -> LessonFile {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        LessonFile {
            name,
            text,
            path: path.to_owned(),
        }
    }

    /// Where `crates/…` paths are found: the lesson folder's parent.
    fn root(&self) -> &Path {
        self.path
            .parent()
            .and_then(Path::parent)
            .unwrap_or_else(|| Path::new("."))
    }
}

/// Every region marked `// ANCHOR:` NAME in the sources of `crates` (folder names under
/// `crates/`) that no lesson in `lessons` shows as
/// `// crates/CRATE/src/FILE.rs (anchor: NAME)`, as `FILE:NAME`. A region
/// marked for a lesson and shown by none is code a student never reads
/// about: show it, or drop the markers.
pub fn unshown_anchors(root: &Path, crates: &[&str]) -> Vec<String> {
    let lessons: String = std::fs::read_dir(root.join("lessons"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    let mut unshown = Vec::new();
    for krate in crates {
        let mut files = Vec::new();
        rust_files(&root.join("crates").join(krate).join("src"), &mut files);
        files.sort();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap_or_default();
            let shown_as = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            for line in source.lines() {
                let Some(name) = line
                    .trim()
                    .strip_prefix(OPEN)
                    .and_then(|rest| rest.strip_prefix(' '))
                else {
                    continue;
                };
                let name = name.trim();
                if !lessons.contains(&format!("// {shown_as} (anchor: {name})")) {
                    unshown.push(format!("{shown_as}:{name}"));
                }
            }
        }
    }
    unshown
}

/// Panic with a list of [`unshown_anchors`], if there are any. `lesson` is
/// a lesson file's path; its folder's parent is the workspace root.
#[track_caller]
pub fn assert_every_anchor_shown(lesson: impl AsRef<Path>, crates: &[&str]) {
    let root = LessonFile::read(lesson.as_ref()).root().to_owned();
    let unshown = unshown_anchors(&root, crates);
    assert!(
        unshown.is_empty(),
        "ANCHOR regions no lesson shows (show them, or drop the markers):\n{}",
        unshown.join("\n")
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `text` with the first `shown` after `after` replaced by `instead`.
fn with_line_changed(
    text: &str,
    after: &str,
    shown: &str,
    instead: &str,
) -> Result<String, String> {
    if shown == instead {
        return Err(format!("{shown:?} is not changed"));
    }
    let from = match text.find(after) {
        Some(at) => at + after.len(),
        None => return Err(format!("no longer contains {after:?}")),
    };
    let Some(at) = text[from..].find(shown).map(|at| from + at) else {
        return Err(format!("no longer shows {shown:?} after {after:?}"));
    };
    let mut changed = text.to_owned();
    changed.replace_range(at..at + shown.len(), instead);
    Ok(changed)
}

struct Finished {
    text: String,
    status: i32,
}

/// A program running in the background, its merged output arriving on a
/// channel from a reader thread.
struct Running {
    child: Child,
    chunks: Receiver<Vec<u8>>,
    seen: Vec<u8>,
    closed: bool,
}

impl Running {
    fn start(
        program: &Program,
        args: &[String],
        stdin: &Option<String>,
    ) -> Result<Running, String> {
        let spawn = || -> io::Result<(Child, io::PipeReader)> {
            let (reader, writer) = io::pipe()?;
            let mut command = Command::new(&program.path);
            if program.wine {
                command.env("WINEDEBUG", "-all");
            }
            command
                .args(&program.first_args)
                .args(args)
                .env("NO_COLOR", "1")
                .stdin(if stdin.is_some() {
                    Stdio::piped()
                } else {
                    Stdio::null()
                })
                .stdout(writer.try_clone()?)
                .stderr(writer);
            let child = command.spawn()?;
            // `command` holds our copies of the pipe's write end; dropping it
            // lets the reader see end-of-file when the child exits.
            drop(command);
            Ok((child, reader))
        };
        let (mut child, mut reader) =
            spawn().map_err(|e| format!("cannot start {}: {e}", program.path.display()))?;
        if let (Some(text), Some(mut pipe)) = (stdin.clone(), child.stdin.take()) {
            thread::spawn(move || {
                // The program may exit before reading everything (a `q`).
                let _ = pipe.write_all(text.as_bytes());
            });
        }
        let (tx, chunks) = mpsc::channel();
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                if tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Ok(Running {
            child,
            chunks,
            seen: Vec::new(),
            closed: false,
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen).into_owned()
    }

    /// Collect output until `done` says so, the program closes its output,
    /// or the deadline passes.
    fn until(&mut self, deadline: Duration, done: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + deadline;
        while !self.closed && !done(&self.text()) {
            let left = end.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.seen.extend(chunk),
                Err(RecvTimeoutError::Disconnected) => self.closed = true,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        self.text()
    }

    fn first_line(&mut self, deadline: Duration) -> Result<String, String> {
        let text = self.until(deadline, |text| text.contains('\n'));
        match text.split_once('\n') {
            Some((line, _)) => Ok(line.to_owned()),
            None => Err(format!(
                "the server printed no first line; it printed:\n{text}"
            )),
        }
    }

    /// The exit code once output has closed; `None` if it is still running
    /// (it is then killed).
    fn wait_exit(&mut self) -> Option<i32> {
        if !self.closed {
            let _ = self.child.kill();
            let _ = self.child.wait();
            return None;
        }
        self.child.wait().ok().map(|s| s.code().unwrap_or(-1))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fenced block of the lesson.
#[derive(Debug, Clone)]
struct Fence {
    /// 1-based line of the opening fence.
    line: usize,
    info: String,
    body: Vec<String>,
    /// The last non-blank line before the fence.
    preceding: String,
    /// The first line of the paragraph right before the fence.
    paragraph: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Role {
    Plain,
    Server,
    Client,
    NotRun,
}

#[derive(Debug, Clone, PartialEq)]
struct Console {
    role: Role,
    exit: i32,
    /// `console windows`: the Windows binary's output, run under Wine.
    windows: bool,
}

enum Kind {
    Console(Console),
    Rust,
    Other,
}

impl Fence {
    fn kind(&self) -> Result<Kind, String> {
        let mut words = self.info.split_whitespace();
        match words.next() {
            None => Err("a fence without a language: give it one (`console`, `rust`, `text`, …) so nothing is skipped silently".into()),
            Some("console") => {
                let mut console = Console { role: Role::Plain, exit: 0, windows: false };
                for word in words {
                    console.role = match word {
                        "windows" => {
                            console.windows = true;
                            continue;
                        }
                        "server" => Role::Server,
                        "client" => Role::Client,
                        "not-run" => Role::NotRun,
                        _ => match word.strip_prefix("exit=").and_then(|n| n.parse().ok()) {
                            Some(code) => {
                                console.exit = code;
                                continue;
                            }
                            None => return Err(format!("unknown console attribute `{word}`")),
                        },
                    };
                }
                Ok(Kind::Console(console))
            }
            Some("rust") => Ok(Kind::Rust),
            Some(_) => Ok(Kind::Other),
        }
    }
}

fn parse_fences(text: &str) -> Result<Vec<Fence>, (usize, String)> {
    let mut fences = Vec::new();
    let mut preceding = String::new();
    let (mut paragraph, mut in_paragraph) = (String::new(), false);
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let marker_len = trimmed.chars().take_while(|&c| c == '`').count();
        if marker_len < 3 {
            if line.trim().is_empty() {
                in_paragraph = false;
            } else {
                preceding = line.trim().to_owned();
                if !in_paragraph {
                    paragraph = preceding.clone();
                    in_paragraph = true;
                }
            }
            continue;
        }
        in_paragraph = false;
        let marker = &trimmed[..marker_len];
        let mut body = Vec::new();
        let mut closed = false;
        for (_, inner) in lines.by_ref() {
            if inner.trim() == marker {
                closed = true;
                break;
            }
            // Blocks inside list items are indented with the item.
            let strip = inner.len() - inner.trim_start().len();
            body.push(inner[strip.min(indent)..].to_owned());
        }
        if !closed {
            return Err((index + 1, "this fence is never closed".into()));
        }
        fences.push(Fence {
            line: index + 1,
            info: trimmed[marker_len..].trim().to_owned(),
            body,
            preceding: std::mem::take(&mut preceding),
            paragraph: std::mem::take(&mut paragraph),
        });
    }
    Ok(fences)
}

/// One `$ command` and the output shown under it.
#[derive(Debug, Clone)]
struct Step {
    line: usize,
    command: String,
    expected: String,
}

fn parse_console(fence: &Fence) -> Result<Vec<Step>, String> {
    let mut steps: Vec<Step> = Vec::new();
    for (offset, line) in fence.body.iter().enumerate() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                line: fence.line + 1 + offset,
                command: command.to_owned(),
                expected: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.expected.push_str(line);
            step.expected.push('\n');
        } else {
            return Err(format!("output before any `$ ` command: {line:?}"));
        }
    }
    if steps.is_empty() {
        return Err("a console block without a `$ ` command".into());
    }
    Ok(steps)
}

/// `$ [printf 'INPUT' |] cargo run -q -p CRATE [-- ARGS…]`
#[derive(Debug, Clone, PartialEq)]
struct Invocation {
    krate: String,
    args: Vec<String>,
    stdin: Option<String>,
}

impl Invocation {
    fn display(&self) -> String {
        format!("cargo run -q -p {} -- {}", self.krate, self.args.join(" "))
    }
}

fn parse_command(command: &str) -> Result<Invocation, String> {
    let words =
        shlex::split(command).ok_or_else(|| format!("cannot split `{command}` into words"))?;
    let (stdin, words) = match words.as_slice() {
        [printf, input, pipe, rest @ ..] if printf == "printf" && pipe == "|" => {
            (Some(printf_unescape(input)), rest)
        }
        _ => (None, words.as_slice()),
    };
    match words {
        [cargo, run, q, p, krate, rest @ ..]
            if cargo == "cargo" && run == "run" && q == "-q" && p == "-p" =>
        {
            let args = match rest {
                [] => Vec::new(),
                [dashes, args @ ..] if dashes == "--" => args.to_vec(),
                _ => return Err(format!("arguments must follow `--` in `{command}`")),
            };
            Ok(Invocation {
                krate: krate.clone(),
                args,
                stdin,
            })
        }
        _ => Err(format!(
            "the harness runs only `$ cargo run -q -p CRATE -- ARGS` (optionally fed by `printf '…' |`); got `{command}`"
        )),
    }
}

/// The escapes `printf` understands that lessons use: `\n`, `\t`, `\\`.
fn printf_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// The args with `--port` set to `port`, replacing any port the lesson gave.
fn with_port(args: &[String], port: u16) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len() + 2);
    let mut replaced = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--port" {
            iter.next();
            out.extend(["--port".to_owned(), port.to_string()]);
            replaced = true;
        } else if arg.starts_with("--port=") {
            out.push(format!("--port={port}"));
            replaced = true;
        } else {
            out.push(arg.clone());
        }
    }
    if !replaced {
        out.extend(["--port".to_owned(), port.to_string()]);
    }
    out
}

/// The port in `listening on HOST:PORT` or `bound to HOST:PORT`.
fn announced_port(line: &str) -> Option<u16> {
    let addr = line
        .strip_prefix("listening on ")
        .or_else(|| line.strip_prefix("bound to "))?;
    addr.rsplit_once(':')?.1.trim().parse().ok()
}

/// Write the server's real port back as the one the lesson shows.
fn restore_port(text: &str, real: u16, shown: u16) -> String {
    if real == shown {
        return text.to_owned();
    }
    let pattern = Regex::new(&format!(r":{real}\b")).expect("a valid regex");
    pattern.replace_all(text, format!(":{shown}")).into_owned()
}

fn check_exit(step: &Step, output: &Finished, expected: i32) -> Result<(), String> {
    if output.status == expected {
        Ok(())
    } else {
        Err(format!(
            "`{}` exited with {}, the lesson expects {expected}; it printed:\n{}",
            step.command, output.status, output.text
        ))
    }
}

/// Compare what a program printed with what the lesson shows.
fn compare(step: &Step, actual: &str) -> Result<(), String> {
    if step.expected.contains("[..]") || step.expected.lines().any(|l| l.trim() == "...") {
        return Err(format!(
            "`{}`: generic wildcards (`[..]`, `...`) are not allowed in a lesson; use {PLACEHOLDERS:?}",
            step.command
        ));
    }
    let mut expected = step.expected.clone();
    for placeholder in PLACEHOLDERS {
        expected = expected.replace(placeholder, "[..]");
    }
    Assert::new()
        .normalize_paths(false)
        .try_eq(
            Some(&step.command),
            Data::text(actual),
            Data::text(expected),
        )
        .map_err(|e| {
            format!("{e}(in the diff, the lesson's placeholders {PLACEHOLDERS:?} appear as `[..]`)")
        })
}

fn check_not_run_marker(fence: &Fence) -> Result<(), String> {
    if fence.preceding.starts_with("> **Not run by the tests:**") {
        Ok(())
    } else {
        Err("a `console not-run` block must follow a line `> **Not run by the tests:** why`".into())
    }
}

/// Check a Rust block against the anchored region of the file it names.
fn check_snippet(fence: &Fence, root: &Path) -> Result<(), String> {
    let header = Regex::new(r"^// (\S+\.rs) \(anchor: ([\w-]+)\)$").expect("a valid regex");
    let (file, anchor) = fence
        .body
        .first()
        .and_then(|first| header.captures(first))
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .ok_or("a rust block must start with `// crates/CRATE/src/FILE.rs (anchor: NAME)`: lesson code comes from the crate")?;
    let source = std::fs::read_to_string(root.join(&file))
        .map_err(|e| format!("cannot read {file}: {e}"))?;
    let region = anchored(&source, &anchor)
        .ok_or_else(|| format!("{file} has no `{OPEN} {anchor}` … `{CLOSE} {anchor}` region"))?;
    let shown = &fence.body[1..];
    if shown == region.as_slice() {
        Ok(())
    } else {
        let mut message =
            format!("the block differs from {file} (anchor: {anchor}); the source says:\n");
        for line in &region {
            let _ = writeln!(message, "{line}");
        }
        Err(message)
    }
}

fn anchored(source: &str, name: &str) -> Option<Vec<String>> {
    crate::source::region(source, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exercises_section_is_split_off_with_its_line_numbers() {
        let lesson =
            "# L\n## Step 1\n```text\n## not a heading\n```\n## Exercises\nfix it\n## Next\nbye\n";
        let (section, rest) = exercises_section(lesson);
        assert_eq!(section, "\n\n\n\n\n## Exercises\nfix it\n\n\n");
        assert_eq!(
            rest,
            "# L\n## Step 1\n```text\n## not a heading\n```\n\n\n## Next\nbye\n"
        );
    }

    fn step(expected: &str) -> Step {
        Step {
            line: 1,
            command: "cmd".into(),
            expected: expected.into(),
        }
    }

    #[test]
    fn commands_are_parsed_as_a_student_types_them() {
        let inv = parse_command("cargo run -q -p tcp_basic -- client hello 'two words'").unwrap();
        assert_eq!(inv.krate, "tcp_basic");
        assert_eq!(inv.args, ["client", "hello", "two words"]);
        assert_eq!(inv.stdin, None);
        let inv =
            parse_command(r"printf 'hi\nq\n' | cargo run -q -p tcp_basic -- client chat").unwrap();
        assert_eq!(inv.stdin.as_deref(), Some("hi\nq\n"));
        assert!(
            parse_command("cargo run -q -p tcp_basic")
                .unwrap()
                .args
                .is_empty()
        );
    }

    #[test]
    fn other_commands_are_refused_not_skipped() {
        assert!(parse_command("ls -l").is_err());
        assert!(parse_command("cargo run -p tcp_basic -- demo").is_err());
        assert!(parse_command("cargo run -q -p tcp_basic demo").is_err());
    }

    #[test]
    fn the_port_is_replaced_or_added() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            with_port(&args(&["server", "--port", "8898"]), 0),
            args(&["server", "--port", "0"])
        );
        assert_eq!(
            with_port(&args(&["server", "--port=1"]), 7),
            args(&["server", "--port=7"])
        );
        assert_eq!(
            with_port(&args(&["client", "hi"]), 7),
            args(&["client", "hi", "--port", "7"])
        );
    }

    #[test]
    fn the_real_port_is_written_back_as_the_shown_one() {
        assert_eq!(announced_port("listening on 127.0.0.1:8898"), Some(8898));
        assert_eq!(announced_port("bound to [::1]:9000"), Some(9000));
        assert_eq!(announced_port("hello"), None);
        assert_eq!(
            restore_port("to 127.0.0.1:41234 from :412345", 41234, 8898),
            "to 127.0.0.1:8898 from :412345"
        );
    }

    #[test]
    fn placeholders_match_but_generic_wildcards_are_refused() {
        assert!(
            compare(
                &step("listening on 127.0.0.1:[PORT]\n"),
                "listening on 127.0.0.1:4000\n"
            )
            .is_ok()
        );
        assert!(compare(&step("took [TIME]\n"), "took 1.2ms\n").is_ok());
        assert!(compare(&step("a [..]\n"), "a b\n").is_err());
        assert!(compare(&step("...\n"), "a\n").is_err());
        assert!(compare(&step("hello\n"), "hullo\n").is_err());
    }

    #[test]
    fn every_fence_needs_a_language() {
        let fences = parse_fences("text\n```\n$ ls\n```\n").unwrap();
        assert!(fences[0].kind().is_err());
        assert!(parse_fences("```console\n$ x\n").is_err());
    }

    #[test]
    fn console_attributes_are_read() {
        let fences =
            parse_fences("```console server\n$ a\n```\n```console exit=2\n$ b\n```\n").unwrap();
        let Ok(Kind::Console(server)) = fences[0].kind() else {
            panic!()
        };
        assert_eq!(server.role, Role::Server);
        let Ok(Kind::Console(plain)) = fences[1].kind() else {
            panic!()
        };
        assert_eq!((plain.role, plain.exit), (Role::Plain, 2));
    }

    #[test]
    fn not_run_blocks_must_be_marked_visibly() {
        let harness = Harness::new();
        let hidden = "```console not-run\n$ cargo run -q -p x\n```\n";
        assert!(harness.check_text("l.md", hidden, Path::new(".")).is_err());
    }

    #[test]
    fn an_anchor_no_lesson_shows_is_named() {
        let root = std::env::temp_dir().join(format!("unshown-{}", std::process::id()));
        let src = root.join("crates/x/src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::create_dir_all(root.join("lessons")).unwrap();
        let code = format!("{OPEN} one\nlet a = 1;\n{CLOSE} one\n{OPEN} two\n{CLOSE} two\n");
        std::fs::write(src.join("a.rs"), code).unwrap();
        let lesson = "```rust\n// crates/x/src/a.rs (anchor: one)\nlet a = 1;\n```\n";
        std::fs::write(root.join("lessons/l.md"), lesson).unwrap();
        let unshown = unshown_anchors(&root, &["x"]);
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(unshown, ["crates/x/src/a.rs:two"]);
    }

    #[test]
    fn anchors_are_extracted_without_markers_or_indentation() {
        let source = format!(
            "fn a() {{\n    {OPEN} body\n    let x = 1;\n    {OPEN} inner\n    x\n    {CLOSE} inner\n    {CLOSE} body\n}}\n"
        );
        assert_eq!(anchored(&source, "body").unwrap(), ["let x = 1;", "x"]);
        assert_eq!(anchored(&source, "inner").unwrap(), ["x"]);
        assert!(anchored(&source, "missing").is_none());
    }

    #[test]
    fn rust_blocks_must_match_their_anchor() {
        let dir = std::env::temp_dir().join(format!("lesson-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(
            dir.join("src/a.rs"),
            format!("{OPEN} one\nlet x = 1;\n{CLOSE} one\n"),
        )
        .unwrap();
        let block = |body: &str| Fence {
            line: 1,
            info: "rust".into(),
            body: body.lines().map(str::to_owned).collect(),
            preceding: String::new(),
            paragraph: String::new(),
        };
        assert!(check_snippet(&block("// src/a.rs (anchor: one)\nlet x = 1;"), &dir).is_ok());
        assert!(check_snippet(&block("// src/a.rs (anchor: one)\nlet x = 2;"), &dir).is_err());
        assert!(check_snippet(&block("// src/a.rs (anchor: two)\nlet x = 1;"), &dir).is_err());
        assert!(check_snippet(&block("let x = 1;"), &dir).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn one_shown_line_is_changed_where_asked() {
        let text = "a\nx\nmark\nx\n";
        assert_eq!(
            with_line_changed(text, "", "x\n", "y\n").unwrap(),
            "a\ny\nmark\nx\n"
        );
        assert_eq!(
            with_line_changed(text, "mark", "x\n", "y\n").unwrap(),
            "a\nx\nmark\ny\n"
        );
        assert!(with_line_changed(text, "nope", "x\n", "y\n").is_err());
        assert!(with_line_changed(text, "mark", "a\n", "y\n").is_err());
        assert!(with_line_changed(text, "", "x\n", "x\n").is_err());
    }

    #[test]
    fn a_summary_below_the_minimum_fails() {
        let summary = Summary {
            commands: 3,
            snippets: 2,
            ..Summary::default()
        };
        summary.assert_at_least(3, 2);
        assert!(std::panic::catch_unwind(|| summary.assert_at_least(4, 0)).is_err());
        assert!(std::panic::catch_unwind(|| summary.assert_at_least(0, 3)).is_err());
    }

    // A `console windows` block runs `WINE DIR/CRATE.exe ARGS` and is
    // compared like any block; without Windows binaries it is skipped;
    // everywhere it must follow a `**Windows:**` paragraph. A shell stands
    // in for Wine, and a script for the `.exe`.
    #[cfg(unix)]
    #[test]
    fn windows_blocks_run_under_wine_or_are_skipped() {
        let dir = std::env::temp_dir().join(format!("lesson-windows-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("echo.exe"),
            "echo \"windows says $* ($WINEDEBUG)\"\n",
        )
        .unwrap();
        let lesson = "```console\n$ cargo run -q -p echo -- hi\nhi\n```\n\n\
                      **Windows:** the same command,\nunder Wine:\n\n\
                      ```console windows\n$ cargo run -q -p echo -- hi\nwindows says hi (-all)\n```\n";
        let native = Harness::new().bin("echo", "/bin/echo");
        let wine = native.clone().windows("/bin/sh", &dir);
        let ran = wine.check_text("l.md", lesson, Path::new(".")).unwrap();
        assert_eq!(
            (ran.commands, ran.windows_commands, ran.windows_skipped),
            (1, 1, 0)
        );

        let wrong = lesson.replace("windows says hi", "windows says ho");
        let failures = wine.check_text("l.md", &wrong, Path::new(".")).unwrap_err();
        assert_eq!(failures.problems().len(), 1, "{failures}");

        let skipping = Harness {
            windows: WindowsRun::Skip,
            ..native.clone()
        };
        let skipped = skipping.check_text("l.md", &wrong, Path::new(".")).unwrap();
        assert_eq!(
            (
                skipped.commands,
                skipped.windows_commands,
                skipped.windows_skipped
            ),
            (1, 0, 1)
        );

        let unlabelled = lesson.replace("**Windows:** the same", "The same");
        assert!(
            skipping
                .check_text("l.md", &unlabelled, Path::new("."))
                .is_err()
        );
        assert!(
            wine.check_text("l.md", &unlabelled, Path::new("."))
                .is_err()
        );

        // Wine failing before the program ran is tried once more, and only
        // once.
        let lost = "echo 'wine client error:0: recvmsg: Connection reset by peer'; exit 1";
        let once = format!(
            "if [ ! -e \"$0.ran\" ]; then touch \"$0.ran\"; {lost}; fi\necho \"windows says $*\"\n"
        );
        std::fs::write(dir.join("once.exe"), once).unwrap();
        std::fs::write(dir.join("always.exe"), lost).unwrap();
        let retried = |krate: &str| {
            let text = format!(
                "```console\n$ cargo run -q -p echo -- hi\nhi\n```\n\n**Windows:** again\n\n\
                 ```console windows\n$ cargo run -q -p {krate} -- hi\nwindows says hi\n```\n"
            );
            let harness = wine.clone().bin(krate, format!("/nowhere/{krate}"));
            harness.check_text("l.md", &text, Path::new("."))
        };
        assert!(retried("once").is_ok());
        assert!(dir.join("once.exe.ran").exists());
        assert!(retried("always").is_err());

        let no_exe = native.windows("/bin/sh", dir.join("missing"));
        let failures = no_exe
            .check_text("l.md", lesson, Path::new("."))
            .unwrap_err();
        assert!(
            failures.to_string().contains("echo.exe is not there"),
            "{failures}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    // The self-check against a lesson file: a changed line fails it; a
    // change the harness cannot see (outside any block) makes the self-check
    // itself fail.
    #[cfg(unix)]
    #[test]
    fn a_wrong_line_is_caught_and_a_blind_harness_is_reported() {
        let dir = std::env::temp_dir().join(format!("lesson-self-check-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lessons")).unwrap();
        let lesson = dir.join("lessons/l.md");
        std::fs::write(
            &lesson,
            "Say hello.\n\n```console\n$ cargo run -q -p echo -- hello world\nhello world\n```\n",
        )
        .unwrap();
        let harness = Harness::new().bin("echo", "/bin/echo");
        harness.assert_wrong_line_fails(&lesson, "", "hello world\n```", "hello there\n```");
        harness.assert_wrong_line_fails(&lesson, "-- hello", "world\n", "there\n");
        let blind = std::panic::catch_unwind(|| {
            harness.assert_wrong_line_fails(&lesson, "", "Say hello.", "Say hi.");
        });
        let message = blind.unwrap_err().downcast::<String>().unwrap();
        assert!(message.contains("still passed"), "{message}");
        let _ = std::fs::remove_dir_all(dir);
    }

    // The harness run end to end against a real program: a shown output that
    // differs from what the program prints is a failure.
    #[cfg(unix)]
    #[test]
    fn a_changed_output_fails_the_lesson() {
        let harness = Harness::new().bin("echo", "/bin/echo");
        let good = "```console\n$ cargo run -q -p echo -- hello world\nhello world\n```\n";
        let summary = harness.check_text("good.md", good, Path::new(".")).unwrap();
        assert_eq!(summary.commands, 1);
        let broken = good.replace("hello world\n```", "hello there\n```");
        let failures = harness
            .check_text("broken.md", &broken, Path::new("."))
            .unwrap_err();
        assert_eq!(failures.problems().len(), 1, "{failures}");
        let unknown = good.replace("-p echo", "-p nope");
        assert!(
            harness
                .check_text("unknown.md", &unknown, Path::new("."))
                .is_err()
        );
        let exit = good.replace("```console", "```console exit=2");
        assert!(
            harness
                .check_text("exit.md", &exit, Path::new("."))
                .is_err()
        );
    }
}
