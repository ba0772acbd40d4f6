//! Worker threads fed through a queue: the Rust Book's `ThreadPool`
//! (chapter 21), with a bounded `sync_channel`.

use std::io;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use crate::server::{Running, ServerHandle};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Worker threads taking jobs from one queue. Dropped, it closes the queue
/// and joins the workers once they have finished the jobs queued.
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
        let (workers, sender) = (workers.collect::<io::Result<_>>()?, Some(sender));
        Ok(ThreadPool { workers, sender })
    }

    /// Queue `job`; while the queue is full, wait: a flood cannot pile up here.
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
        // Released before the job runs, so others take jobs meanwhile. (The
        // guard of `while let Ok(job) = receiver.lock()…` lives for the body.)
        let queue = receiver.lock().unwrap_or_else(PoisonError::into_inner);
        let job = queue.recv();
        drop(queue);
        match job {
            Ok(job) => job(), // a server's job catches its handler's panics
            Err(_) => return, // the queue is closed and empty: time to go
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.sender.take()); // the queue closes: each worker ends after the jobs queued
        self.workers
            .drain(..)
            .for_each(|worker| drop(worker.join()));
    }
}
// ANCHOR_END: worker
