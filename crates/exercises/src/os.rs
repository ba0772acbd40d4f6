//! The one thing the checks ask the system about a thread: whether it is
//! asleep in a system call (`read`, `accept`, `poll` …), so a check acts
//! only once the student's code waits. Linux tells through /proc.

/// Whether the thread of this process named `name` is asleep: `None` where
/// the system cannot tell (or no such thread is running yet).
#[cfg(target_os = "linux")]
pub fn blocked(name: &str) -> Option<bool> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end() != name {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        // "TID (COMM) STATE …": the state follows the last ')'; S is asleep.
        let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
        return Some(state == 'S');
    }
    None
}

/// Elsewhere: no way to look.
#[cfg(not(target_os = "linux"))]
pub fn blocked(_name: &str) -> Option<bool> {
    None
}

/// Whether [`blocked`] can tell on this system.
pub const CAN_TELL: bool = cfg!(target_os = "linux");
