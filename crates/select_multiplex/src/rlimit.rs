//! How many descriptors this process may open: `RLIMIT_NOFILE` (what
//! `ulimit -n` shows). A process may raise its *soft* limit up to its
//! *hard* limit by itself; only an administrator can raise the hard one.

use std::io;

use nix::sys::resource::{RLIM_INFINITY, Resource, getrlimit, setrlimit};

/// The limits after [`raise_open_files`]: what we may open now, and the most
/// we could ever raise it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenFiles {
    /// The soft limit: opening descriptor number `soft` fails with EMFILE.
    pub soft: u64,
    /// The hard limit: the ceiling for the soft one.
    pub hard: u64,
}

impl OpenFiles {
    /// `soft limit 20000, hard limit unlimited`.
    pub fn describe(&self) -> String {
        let show = |n: u64| {
            if n == RLIM_INFINITY {
                "unlimited".to_owned()
            } else {
                n.to_string()
            }
        };
        format!(
            "RLIMIT_NOFILE soft limit {}, hard limit {}",
            show(self.soft),
            show(self.hard)
        )
    }
}

/// Raise the soft limit to `wanted` descriptors, or as close as the hard
/// limit allows. Never lowers it.
pub fn raise_open_files(wanted: u64) -> io::Result<OpenFiles> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft >= wanted {
        return Ok(OpenFiles { soft, hard });
    }
    let raised = wanted.min(hard);
    // macOS refuses values above its own ceiling (OPEN_MAX) even under an
    // unlimited hard limit; then the soft limit stays where it was.
    let soft = match setrlimit(Resource::RLIMIT_NOFILE, raised, hard) {
        Ok(()) => raised,
        Err(_) => soft,
    };
    Ok(OpenFiles { soft, hard })
}
