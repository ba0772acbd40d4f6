//! Exercises: each is a broken function from a lesson, in a file of its own
//! under `exercises/`, for the student to fix; its reference solution is the
//! file of the same name under `solutions/`. The checks in `src/checks/` run
//! either one against real sockets on port 0 and say what they saw.
//!
//! `cargo run -q -p exercises -- list | check [ID] | hint ID | watch | verify`.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

pub mod checks;
pub mod net;
mod os;

/// The student's files: the ones to edit.
pub mod yours;

/// The reference solutions, one per exercise, with the same names.
pub mod solutions;

/// Which code a check runs: the student's file or the reference solution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `exercises/NN_name.rs`.
    Yours,
    /// `solutions/NN_name.rs`.
    Solution,
}

/// The function `NAME` of exercise `MODULE`, from the student's file or the
/// solution: `pick!(version, lines::read_lines)`.
#[macro_export]
macro_rules! pick {
    ($version:expr, $module:ident :: $name:ident) => {
        match $version {
            $crate::Version::Yours => $crate::yours::$module::$name,
            $crate::Version::Solution => $crate::solutions::$module::$name,
        }
    };
}

/// One thing a check makes sure of: its name, and the test. The test says
/// what it saw when it fails.
pub struct Case {
    /// What is checked, as the student reads it: "two lines sent back to back".
    pub name: &'static str,
    /// The check itself.
    pub run: fn(Version) -> Result<(), String>,
}

/// One exercise.
pub struct Exercise {
    /// `NN-name`: the lesson's number and a word.
    pub id: &'static str,
    /// One line: what to make work.
    pub title: &'static str,
    /// The lesson section it comes from.
    pub section: &'static str,
    /// What to try, when a check fails.
    pub hint: &'static str,
    /// Checked in order; the first that fails is reported.
    pub cases: &'static [Case],
    /// For an exercise about Linux and macOS behaviour: what Windows does
    /// instead. It is not checked on Windows.
    pub unix_only: Option<&'static str>,
}

impl Exercise {
    /// The student's file, from the workspace root.
    pub fn file(&self) -> String {
        format!(
            "crates/exercises/exercises/{}.rs",
            self.id.replacen('-', "_", 1)
        )
    }

    /// The reference solution's file, from the workspace root.
    pub fn solution_file(&self) -> String {
        format!(
            "crates/exercises/solutions/{}.rs",
            self.id.replacen('-', "_", 1)
        )
    }

    /// The lesson number, `"04"`.
    pub fn lesson(&self) -> &'static str {
        &self.id[..2]
    }

    /// Whether this system has what the exercise is about.
    pub fn applies_here(&self) -> bool {
        self.unix_only.is_none() || cfg!(unix)
    }

    /// Run the cases in order and stop at the first that fails.
    pub fn check(&self, version: Version) -> Report {
        let mut passed = Vec::new();
        for case in self.cases {
            match run_case(case, version) {
                Ok(()) => passed.push(case.name),
                Err(saw) => {
                    return Report {
                        passed,
                        failed: Some(Failure {
                            case: case.name,
                            saw,
                        }),
                    };
                }
            }
        }
        Report {
            passed,
            failed: None,
        }
    }
}

/// What a check found.
pub struct Report {
    /// The cases that passed, in order.
    pub passed: Vec<&'static str>,
    /// The first case that failed, if one did.
    pub failed: Option<Failure>,
}

impl Report {
    /// Whether every case passed.
    pub fn solved(&self) -> bool {
        self.failed.is_none()
    }
}

/// A case that failed, and what it saw.
pub struct Failure {
    /// The case's name.
    pub case: &'static str,
    /// What was observed.
    pub saw: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.case, self.saw)
    }
}

/// The longest one case may take. A case that waits on the student's code
/// says so sooner, in its own words; this catches the rest.
pub const CASE_LIMIT: Duration = Duration::from_secs(3);

/// Run one case on a thread of its own, so that code which never returns
/// (a loop that spins, a read that waits for ever) is reported, not waited for.
fn run_case(case: &Case, version: Version) -> Result<(), String> {
    let run = case.run;
    within(CASE_LIMIT, move || run(version)).unwrap_or_else(|stuck| Err(stuck.to_string()))
}

/// Why [`within`] has no value to give.
#[derive(Debug)]
pub enum Stuck {
    /// The code panicked, with this message.
    Panicked(String),
    /// The code was still running when the time was up.
    Running(Duration),
}

impl fmt::Display for Stuck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stuck::Panicked(message) => write!(f, "the code panicked: {}", message.escape_debug()),
            Stuck::Running(limit) => write!(
                f,
                "the code was still running after {} s: it waits for something that never comes, or loops for ever",
                limit.as_secs_f32()
            ),
        }
    }
}

/// Run `f` on a thread of its own and wait at most `limit` for it. A thread
/// still running then is left behind: the program ends soon after.
pub fn within<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Stuck> {
    start("check", f)?.result(limit)
}

/// The student's code, running on a thread named after it.
pub struct Running<T> {
    name: &'static str,
    done: Arc<AtomicBool>,
    result: mpsc::Receiver<thread::Result<T>>,
}

/// Start `f` on a thread called `name` (what `ps -L` and /proc show).
pub fn start<T: Send + 'static>(
    name: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<Running<T>, Stuck> {
    let (sender, result) = mpsc::channel();
    let done = Arc::new(AtomicBool::new(false));
    let finished = Arc::clone(&done);
    thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            finished.store(true, Ordering::SeqCst);
            let _ = sender.send(outcome);
        })
        .map_err(|e| Stuck::Panicked(format!("no thread for the check: {e}")))?;
    Ok(Running { name, done, result })
}

impl<T> Running<T> {
    /// Wait, at most `limit`, until the code is asleep in a system call
    /// (it has taken what there was and waits for more) or has returned.
    /// Where the system cannot tell, give it a fifth of a second to get there.
    pub fn until_waiting(&self, limit: Duration) {
        if !os::CAN_TELL {
            thread::sleep(limit.min(Duration::from_millis(200))); // allow-sleep: no way to look on this system
            return;
        }
        let start = Instant::now();
        while start.elapsed() < limit && !self.done.load(Ordering::SeqCst) {
            if os::blocked(self.name) == Some(true) {
                return;
            }
            thread::yield_now();
        }
    }

    /// Whether the code has returned.
    pub fn finished(&self) -> bool {
        self.done.load(Ordering::SeqCst)
    }

    /// The code's result, waiting at most `limit` for it.
    pub fn result(self, limit: Duration) -> Result<T, Stuck> {
        match self.result.recv_timeout(limit) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => Err(Stuck::Panicked(
                panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default(),
            )),
            Err(_) => Err(Stuck::Running(limit)),
        }
    }
}

/// Every exercise, in the order of the lessons.
pub fn all() -> &'static [Exercise] {
    checks::ALL
}

/// The exercise called `id`.
pub fn find(id: &str) -> Option<&'static Exercise> {
    all().iter().find(|e| e.id == id)
}
