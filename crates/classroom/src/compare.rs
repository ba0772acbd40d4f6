//! `CRATE compare [PAIR]`: a broken program beside its fixed version.
//!
//! For each pair a lesson declares ([`Lesson::PAIRS`]) it prints the two
//! code regions the lesson shows (the same `ANCHOR` markers), as a diff:
//! what the fix changed, line by line. Then it runs both demos, each as this
//! same program in a child process, and prints one table: for each version,
//! the line of its own output that says what happened.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::cli::{Lesson, step_name};
use crate::output::{heading, line};

/// One broken/fixed pair of steps.
#[derive(Debug)]
pub struct Pair<L: 'static> {
    /// What `compare NAME` calls it.
    pub name: &'static str,
    /// The question the two runs answer.
    pub question: &'static str,
    /// The broken version, then the fixed one.
    pub versions: [Version<L>; 2],
}

/// One side of a pair.
#[derive(Debug)]
pub struct Version<L: 'static> {
    /// The step whose demo shows it.
    pub step: L,
    /// The code the lesson shows for it: a file (from the workspace root)
    /// and an anchor in it.
    pub code: (&'static str, &'static str),
    /// Text that marks the line of the demo's output saying what happened.
    pub shows: &'static str,
}

const LABELS: [&str; 2] = ["broken", "fixed"];

/// Run `compare` for the pair called `name`, or every pair.
pub fn compare<L: Lesson>(name: Option<&str>) -> io::Result<()> {
    let pairs: Vec<&Pair<L>> = L::PAIRS
        .iter()
        .filter(|p| name.is_none_or(|n| n == p.name))
        .collect();
    if pairs.is_empty() {
        let known: Vec<&str> = L::PAIRS.iter().map(|p| p.name).collect();
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            match known.is_empty() {
                true => format!("{} has no broken/fixed pair to compare", L::NAME),
                false => format!("no pair called {name:?}; the pairs: {}", known.join(", ")),
            },
        ));
    }
    for (i, pair) in pairs.into_iter().enumerate() {
        if i > 0 {
            line("");
        }
        show_pair(pair)?;
    }
    Ok(())
}

/// `compare --list`: the pairs, one line each.
pub fn pair_list<L: Lesson>() -> String {
    L::PAIRS
        .iter()
        .map(|p| {
            let [broken, fixed] = &p.versions;
            let steps = format!("{} / {}", step_name(broken.step), step_name(fixed.step));
            format!("{:12}  {steps:30}  {}\n", p.name, p.question)
        })
        .collect()
}

fn show_pair<L: Lesson>(pair: &Pair<L>) -> io::Result<()> {
    heading(format!(
        "{} compare {}: {}",
        L::NAME,
        pair.name,
        pair.question
    ));
    let mut regions = Vec::new();
    for (label, version) in LABELS.iter().zip(&pair.versions) {
        let (file, anchor) = version.code;
        line(&format!(
            "{label:6}  demo {:18}  {file} (anchor: {anchor})",
            step_name(version.step)
        ));
        regions.push(region(file, anchor)?);
    }
    line("");
    for changed in diff(&regions[0], &regions[1]) {
        line(changed.trim_end()); // a blank line shows as a bare `+`, `-` or nothing
    }
    line("");
    let exe = std::env::current_exe()?;
    let mut rows = Vec::new();
    for (label, version) in LABELS.iter().zip(&pair.versions) {
        let step = step_name(version.step);
        let output = Command::new(&exe)
            .args(["demo", &step])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()?;
        let text = String::from_utf8_lossy(&output.stdout);
        let said = text
            .lines()
            .find(|l| l.contains(version.shows))
            .map_or_else(
                || format!("(no line with {:?})", version.shows),
                str::to_owned,
            );
        let ended = match output.status.code() {
            Some(0) => "exit 0".to_owned(),
            Some(code) => format!("exit {code}"),
            None => "killed".to_owned(),
        };
        rows.push((label, step, ended, said));
    }
    let step_width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0) + 5;
    line(&format!(
        "{:6}  {:step_width$}  {:6}  what it showed",
        "", "ran", "ended"
    ));
    for (label, step, ended, said) in rows {
        line(&format!(
            "{label:6}  {:step_width$}  {ended:6}  {said}",
            format!("demo {step}")
        ));
    }
    Ok(())
}

/// The lines of `file`'s region `anchor`, read from the workspace.
fn region(file: &str, anchor: &str) -> io::Result<Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let source = std::fs::read_to_string(root.join(file)).map_err(|e| {
        crate::errors::context(
            e,
            format!("reading {file} (compare shows the workspace's source)"),
        )
    })?;
    crate::source::region(&source, anchor).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("{file} has no region {anchor}"),
        )
    })
}

/// A line diff of `a` into `b`: `- ` lines only in `a`, `+ ` only in `b`,
/// `  ` in both (a longest common subsequence, fine for a screenful).
pub fn diff(a: &[String], b: &[String]) -> Vec<String> {
    let (n, m) = (a.len(), b.len());
    let mut common = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(format!("  {}", a[i]));
            (i, j) = (i + 1, j + 1);
        } else if j < m && (i == n || common[i][j + 1] > common[i + 1][j]) {
            out.push(format!("+ {}", b[j]));
            j += 1;
        } else {
            out.push(format!("- {}", a[i]));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn a_diff_keeps_what_both_have_and_marks_the_change() {
        let broken = lines("let s = socket();\ns.bind(addr)?;\ns.listen(5)?;");
        let fixed =
            lines("let s = socket();\ns.set_reuse_address(true)?;\ns.bind(addr)?;\ns.listen(5)?;");
        assert_eq!(
            diff(&broken, &fixed),
            [
                "  let s = socket();",
                "+ s.set_reuse_address(true)?;",
                "  s.bind(addr)?;",
                "  s.listen(5)?;"
            ]
        );
        assert_eq!(diff(&lines("a"), &lines("b")), ["- a", "+ b"]);
    }
}
