//! The one check that asks the system about a thread: whether it is asleep
//! in a system call. Linux tells through /proc; elsewhere the check goes on
//! without knowing.

use std::time::{Duration, Instant};

/// Wait until the thread of this process named `name` sleeps (in `accept`,
/// `poll`, …), at most `limit`.
#[cfg(target_os = "linux")]
pub fn wait_asleep(name: &str, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        let asleep = std::fs::read_dir("/proc/self/task")
            .into_iter()
            .flatten()
            .flatten()
            .any(|task| {
                let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
                let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
                // stat is "TID (COMM) STATE …": the state follows the last ')'.
                let state = stat
                    .rsplit_once(')')
                    .map(|(_, rest)| rest.trim_start().starts_with('S'));
                comm.trim_end() == name && state == Some(true)
            });
        if asleep {
            return;
        }
        std::thread::yield_now();
    }
}

/// Elsewhere: no way to look, so no wait.
#[cfg(not(target_os = "linux"))]
pub fn wait_asleep(_name: &str, _limit: Duration) {
    let _ = Instant::now();
}
