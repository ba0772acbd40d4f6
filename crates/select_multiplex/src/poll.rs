//! `poll` (System V Release 3, 1986; Windows: `WSAPoll`): steps 1 to 3 with
//! an array of `(descriptor, events wanted)` entries, as many as you like;
//! but as with `select`, the whole array goes into the kernel every call.

use std::io;

use crate::multiplex::{Readiness, Watching};
use crate::os::{PollFd, PollFlags, PollTimeout, poll};

/// Waiting with `poll()` (`WSAPoll()` on Windows).
#[derive(Debug)]
pub struct Poll;

impl Readiness for Poll {
    // ANCHOR: poll_round
    fn wait(&mut self, watched: Watching<'_, '_>, timeout_ms: Option<u16>) -> io::Result<Vec<u64>> {
        // 1. Say what to watch: one entry per socket, any number of them.
        //    The array goes into the kernel every call.
        let (mut tokens, mut fds) = (Vec::new(), Vec::new());
        for (token, fd, write) in watched {
            tokens.push(token);
            let events = [PollFlags::POLLIN, PollFlags::POLLOUT][usize::from(write)];
            fds.push(PollFd::new(fd, events));
        }
        // 2. Sleep until one of them is ready, or the timeout passes.
        poll(&mut fds, PollTimeout::from(timeout_ms))?;
        // 3. Every entry comes back with `revents` filled in: scan them all.
        //    (Hang-up and error count as ready: the read will say which.)
        let ready = fds.iter().map(|fd| fd.any().unwrap_or(true));
        let answers = tokens.into_iter().zip(ready);
        Ok(answers.filter_map(|(t, r)| r.then_some(t)).collect())
    }
    // ANCHOR_END: poll_round
}
