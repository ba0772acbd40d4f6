//! A fixed set of worker threads fed through a bounded queue: the Rust
//! Book's `ThreadPool` (chapter 21), with a `sync_channel` so that the queue
//! cannot grow without limit either.

use std::io;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use crate::server::{Running, ServerHandle};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Worker threads taking jobs from one queue. Dropping the pool closes the
/// queue: the workers finish the jobs queued, then end, and are joined.
pub(crate) struct ThreadPool {
    workers: Vec<JoinHandle<()>>,
    // An `Option` so that `drop` can close the queue before joining.
    sender: Option<SyncSender<Job>>,
}

impl ThreadPool {
    /// Start `workers` threads, with room for `queue` jobs waiting.
    pub(crate) fn new(workers: usize, queue: usize, server: &ServerHandle) -> io::Result<Self> {
        if workers == 0 {
            return Err(io::Error::other("a pool needs a worker"));
        }
        let (sender, receiver) = mpsc::sync_channel::<Job>(queue);
        // One receiver, shared: whichever worker is free takes the next job.
        let receiver = Arc::new(Mutex::new(receiver));
        let spawn = |running| {
            let receiver = Arc::clone(&receiver);
            thread::Builder::new().spawn(move || work(&receiver, running))
        };
        // If one fails, the queue closes with `sender`, and the others end.
        let workers = (0..workers).map(|_| spawn(server.thread_started()));
        let workers = workers.collect::<io::Result<_>>()?;
        Ok(ThreadPool {
            workers,
            sender: Some(sender),
        })
    }

    /// Queue `job` for the next free worker. Blocks while the queue is full:
    /// that wait is what keeps a flood of clients from piling up here.
    pub(crate) fn execute(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(sender) = &self.sender {
            // It fails only once every worker has ended; the job is dropped.
            let _ = sender.send(Box::new(job));
        }
    }
}

// ANCHOR: worker
/// A worker's life: take a job, run it, again, until the queue closes.
fn work(receiver: &Mutex<Receiver<Job>>, _running: Running) {
    loop {
        // The lock guard is a temporary of this statement, so the lock is
        // released as soon as `recv` returns, before the job runs: other
        // workers take jobs meanwhile. (`while let Ok(job) =
        // receiver.lock()….recv()` would hold it for the whole loop body.)
        let job = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match job {
            Ok(job) => job(), // a server's job catches its handler's panics
            Err(_) => return, // the queue is closed and empty: time to go
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.sender.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
// ANCHOR_END: worker
