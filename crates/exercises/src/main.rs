//! `cargo run -q -p exercises -- list | check [ID] | hint ID | watch | verify`

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use clap::{Parser, Subcommand};
use exercises::{Exercise, Version, all, find};

/// Exercises: fix the lessons' broken programs; `check` says when you have.
#[derive(Parser)]
#[command(name = "exercises")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// One line per exercise: its id, done or todo, and its title.
    List,
    /// Check one exercise (the first one not done, without an ID): exit 0
    /// when it is solved, 1 with what failed and a hint when not.
    Check {
        /// The exercise, as `list` shows it: `04-lines`.
        id: Option<String>,
        /// Check the reference solution (`solutions/`) instead of your file.
        #[arg(long)]
        solution: bool,
    },
    /// The hint of one exercise.
    Hint {
        /// The exercise, as `list` shows it.
        id: String,
    },
    /// Check the first exercise not done again each time a file in
    /// `crates/exercises/exercises/` is saved. Ctrl-C stops it.
    Watch {
        /// The folder to watch.
        #[arg(long, hide = true)]
        dir: Option<PathBuf>,
    },
    /// For CI: every exercise fails as shipped, and passes with its solution.
    Verify,
}

/// The longest an exercise's checks may take with the solution.
const TIME_LIMIT: Duration = Duration::from_secs(2);

fn main() -> ExitCode {
    match Cli::parse().command {
        Cmd::List => list(),
        Cmd::Check { id, solution } => {
            let version = if solution {
                Version::Solution
            } else {
                Version::Yours
            };
            match id {
                Some(id) => match known(&id) {
                    Some(exercise) => check(exercise, version),
                    None => ExitCode::from(2),
                },
                None => check_first(version),
            }
        }
        Cmd::Hint { id } => match known(&id) {
            Some(exercise) => {
                println!("{}: {}", exercise.id, exercise.hint);
                ExitCode::SUCCESS
            }
            None => ExitCode::from(2),
        },
        Cmd::Watch { dir } => watch(dir.unwrap_or_else(|| crate_dir().join("exercises"))),
        Cmd::Verify => verify(),
    }
}

/// The exercise called `id`, or a line saying there is none.
fn known(id: &str) -> Option<&'static Exercise> {
    let found = find(id);
    if found.is_none() {
        eprintln!(
            "no exercise is called {:?}: `cargo run -q -p exercises -- list` shows them",
            id.escape_debug().to_string()
        );
    }
    found
}

/// Whether `check ID` passes, run as a process of its own: code that never
/// returns (a broken exercise's spinning loop) ends with that process, and
/// cannot slow the checks of the others.
fn passes(me: &Path, exercise: &Exercise) -> bool {
    Command::new(me)
        .args(["check", exercise.id])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// `run` for every exercise, in order, two at a time (two cores), each on a
/// thread of its own that starts the checks as processes.
fn two_at_a_time<T: Send + 'static>(
    me: &Path,
    run: fn(&Path, &Exercise) -> T,
) -> Vec<thread::Result<T>> {
    let mut results = Vec::new();
    for pair in all().chunks(2) {
        let runs: Vec<_> = pair
            .iter()
            .map(|exercise| {
                let me = me.to_owned();
                thread::spawn(move || run(&me, exercise))
            })
            .collect();
        results.extend(runs.into_iter().map(|run| run.join()));
    }
    results
}

fn this_program() -> Option<PathBuf> {
    std::env::current_exe()
        .map_err(|e| eprintln!("cannot find this program: {e}"))
        .ok()
}

fn list() -> ExitCode {
    let Some(me) = this_program() else {
        return ExitCode::FAILURE;
    };
    let done: Vec<bool> = two_at_a_time(&me, passes)
        .into_iter()
        .map(|passed| passed.unwrap_or(false))
        .collect();
    println!("{:<13} {:<5} title", "id", "state");
    for (exercise, &done) in all().iter().zip(&done) {
        let state = match (exercise.applies_here(), done) {
            (false, _) => "n/a",
            (true, true) => "done",
            (true, false) => "todo",
        };
        println!(
            "{:<13} {state:<5} {} ({})",
            exercise.id, exercise.title, exercise.section
        );
    }
    let here = all().iter().filter(|e| e.applies_here()).count();
    let count = all()
        .iter()
        .zip(&done)
        .filter(|(e, d)| e.applies_here() && **d)
        .count();
    println!("{count} of {here} done.");
    match all().iter().zip(&done).find(|(_, done)| !**done) {
        Some((next, _)) => println!("Next: cargo run -q -p exercises -- check {}", next.id),
        None => println!("All done."),
    }
    ExitCode::SUCCESS
}

fn check(exercise: &Exercise, version: Version) -> ExitCode {
    println!("{}: {}", exercise.id, exercise.title);
    if let Some(why) = exercise.unix_only.filter(|_| !exercise.applies_here()) {
        println!("Not checked on this system: {why}.");
        return ExitCode::SUCCESS;
    }
    let report = exercise.check(version);
    for case in &report.passed {
        println!("  ✓ {case}");
    }
    let file = match version {
        Version::Yours => exercise.file(),
        Version::Solution => exercise.solution_file(),
    };
    match &report.failed {
        None => {
            println!("Solved: {file} passes every check.");
            ExitCode::SUCCESS
        }
        Some(failure) => {
            println!("  ✗ {}", failure.case);
            println!("    {}", failure.saw);
            println!("Hint: {}", exercise.hint);
            println!("Edit {file} ({}), then check again.", exercise.section);
            ExitCode::FAILURE
        }
    }
}

/// Check the first exercise not yet solved, in lesson order.
fn check_first(version: Version) -> ExitCode {
    let Some(me) = this_program() else {
        return ExitCode::FAILURE;
    };
    let first = match version {
        Version::Yours => all().iter().find(|exercise| !passes(&me, exercise)),
        Version::Solution => None,
    };
    match first {
        Some(exercise) => check(exercise, version),
        None => {
            println!("All {} exercises are solved.", all().len());
            ExitCode::SUCCESS
        }
    }
}

/// This crate's folder, where `exercises/` is.
fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file's name and time of last change, in `dir`.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| {
            let changed = entry.metadata().and_then(|m| m.modified()).ok();
            (entry.path(), changed)
        })
        .collect();
    files.sort();
    files
}

fn watch(dir: PathBuf) -> ExitCode {
    // `cargo run` sets CARGO; the check is built again each time, so it runs
    // the file as just saved.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let workspace = crate_dir().join("../..");
    loop {
        let before = snapshot(&dir);
        let status = Command::new(&cargo)
            .args(["run", "-q", "-p", "exercises", "--", "check"])
            .current_dir(&workspace)
            .status();
        match status {
            Ok(status) if status.success() => return ExitCode::SUCCESS,
            Ok(_) => {}
            Err(e) => {
                eprintln!("could not run {}: {e}", cargo.to_string_lossy());
                return ExitCode::FAILURE;
            }
        }
        println!(
            "\nWatching {} (save a file there to check again; Ctrl-C stops).",
            dir.display()
        );
        // A look every 300 ms: a save shows as a new time of last change.
        while snapshot(&dir) == before {
            thread::sleep(Duration::from_millis(300)); // allow-sleep: polling a folder, not ordering events
        }
        println!();
    }
}

fn verify() -> ExitCode {
    let Some(me) = this_program() else {
        return ExitCode::FAILURE;
    };
    // Each check in a process of its own, two at a time (2 cores): code that
    // never returns cannot hold the next check, and each exit code is checked.
    let mut wrong = 0;
    for line in two_at_a_time(&me, verify_one) {
        match line.unwrap_or_else(|_| Err("the check panicked".into())) {
            Ok(line) => println!("{line}"),
            Err(line) => {
                println!("{line}");
                wrong += 1;
            }
        }
    }
    if wrong == 0 {
        println!(
            "{} exercises: each fails as shipped and passes with its solution.",
            all().len()
        );
        ExitCode::SUCCESS
    } else {
        println!("{wrong} of {} exercises are wrong.", all().len());
        ExitCode::FAILURE
    }
}

/// One exercise: its shipped file must fail with a hint, its solution pass in time.
fn verify_one(me: &Path, exercise: &Exercise) -> Result<String, String> {
    if !exercise.applies_here() {
        return Ok(format!("{:<13} not checked on this system", exercise.id));
    }
    let shipped = Command::new(me)
        .args(["check", exercise.id])
        .output()
        .map_err(|e| format!("{}: cannot run: {e}", exercise.id))?;
    let text = String::from_utf8_lossy(&shipped.stdout);
    if shipped.status.code() != Some(1) || !text.contains("Hint: ") {
        return Err(format!(
            "{:<13} WRONG: as shipped it should fail with a hint; it exited {:?} and printed:\n{text}",
            exercise.id,
            shipped.status.code()
        ));
    }
    let start = Instant::now();
    let solved = Command::new(me)
        .args(["check", exercise.id, "--solution"])
        .output()
        .map_err(|e| format!("{}: cannot run: {e}", exercise.id))?;
    let took = start.elapsed();
    if !solved.status.success() {
        return Err(format!(
            "{:<13} WRONG: its solution should pass; it printed:\n{}",
            exercise.id,
            String::from_utf8_lossy(&solved.stdout)
        ));
    }
    if took > TIME_LIMIT {
        return Err(format!(
            "{:<13} WRONG: its solution's checks took {:.2} s, more than {} s",
            exercise.id,
            took.as_secs_f64(),
            TIME_LIMIT.as_secs()
        ));
    }
    Ok(format!(
        "{:<13} fails as shipped, passes with its solution in {:.2} s",
        exercise.id,
        took.as_secs_f64()
    ))
}
