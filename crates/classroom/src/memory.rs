//! How much memory a process has used at most: the number behind "memory
//! does not grow with the file" (lesson 05 and the bench).

use std::path::Path;

/// The peak resident memory of process `pid` in KiB (`VmHWM` in
/// `/proc/PID/status`), or `None` where there is no such file (not Linux,
/// or the process is gone).
///
/// ```
/// if cfg!(target_os = "linux") {
///     assert!(classroom::memory::peak_rss_kib(std::process::id()).is_some_and(|kib| kib > 0));
/// }
/// ```
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    peak_in(Path::new(&format!("/proc/{pid}/status")))
}

/// `VmHWM:   12345 kB` from a status file.
fn peak_in(status: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_line_is_found_and_read_in_kib() {
        let dir = std::env::temp_dir().join(format!("classroom-memory-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let status = dir.join("status");
        std::fs::write(&status, "Name:\tx\nVmPeak:\t  9 kB\nVmHWM:\t   5120 kB\n").unwrap();
        assert_eq!(peak_in(&status), Some(5120));
        std::fs::write(&status, "Name:\tx\n").unwrap();
        assert_eq!(peak_in(&status), None);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(peak_in(&dir.join("gone")), None);
    }
}
