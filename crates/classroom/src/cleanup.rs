//! Nothing half-written stays behind when a server is stopped.
//!
//! A server writes an upload to a temporary name and renames it when it is
//! complete; a demo serves a scratch folder it made. Stopped with Ctrl-C
//! (SIGINT) or `kill` (SIGTERM), the process would end before any `Drop`
//! runs and leave them behind. [`remove_on_exit`] lists such a path; the
//! first time it is called it installs a handler for both signals (and for
//! Ctrl-C on Windows) that removes every listed path and then ends the
//! process with status 130, as a shell reports for Ctrl-C.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A path listed for removal if the process is stopped; dropping this
/// takes it off the list (the file was finished and renamed, or removed).
#[derive(Debug)]
#[must_use = "the path is taken off the list when this is dropped"]
pub struct RemoveOnExit {
    path: PathBuf,
}

/// List `path` (a file, or a folder removed with everything in it) to be
/// removed if the process is stopped by Ctrl-C or SIGTERM before the
/// returned guard is dropped.
pub fn remove_on_exit(path: &Path) -> RemoveOnExit {
    static HANDLER: Once = Once::new();
    HANDLER.call_once(|| {
        // Another handler installed first (a program embedding the lesson)
        // keeps its own behaviour.
        let _ = ctrlc::set_handler(|| {
            remove_pending();
            std::process::exit(130);
        });
    });
    pending().push(path.to_owned());
    RemoveOnExit {
        path: path.to_owned(),
    }
}

impl Drop for RemoveOnExit {
    fn drop(&mut self) {
        let mut pending = pending();
        if let Some(at) = pending.iter().rposition(|p| *p == self.path) {
            pending.swap_remove(at);
        }
    }
}

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove every listed path (what the signal handler does).
pub fn remove_pending() {
    for path in pending().drain(..) {
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_path_is_removed_and_a_finished_one_is_not() {
        let dir = std::env::temp_dir().join(format!("cleanup-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let (half, done) = (dir.join("half.part"), dir.join("done.txt"));
        fs::write(&half, b"x").unwrap();
        fs::write(&done, b"x").unwrap();
        let half_guard = remove_on_exit(&half);
        drop(remove_on_exit(&done));
        // Other tests in this process list paths too: look only at ours.
        assert!(pending().contains(&half) && !pending().contains(&done));
        drop(half_guard);
        assert!(!pending().contains(&half));
        let _ = fs::remove_dir_all(&dir);
    }
}
