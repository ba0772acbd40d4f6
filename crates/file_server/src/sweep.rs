//! What a server that was killed left behind. Lesson 05's temporary files
//! (`.part-PID-N`, `struct_header_fix::files::PartFile`) remove themselves
//! when an upload fails, and on Ctrl-C or SIGTERM. A server killed outright
//! (`kill -9`, a crash, the power) cannot: the next server to start on the
//! folder sweeps them.

use std::fs;
use std::io;
use std::path::Path;

use struct_header_fix::files::PART_PREFIX;

use crate::os::is_running;

/// Remove the `.part-PID-N` files in `folder` whose process is gone (or
/// is this one: a PID used again); their names.
pub fn sweep_parts(folder: &Path) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for entry in fs::read_dir(folder)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if part_pid(&name).is_some_and(|pid| pid == std::process::id() || !is_running(pid)) {
            fs::remove_file(folder.join(&name))?;
            removed.push(name);
        }
    }
    Ok(removed)
}

/// The PID in a temporary file's name, `.part-PID-N`.
fn part_pid(name: &str) -> Option<u32> {
    let (pid, n) = name.strip_prefix(PART_PREFIX)?.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}
