//! Who runs a request: the serving loop itself (Python's plain
//! `TCPServer`), a new thread per request (`ThreadingMixIn`), or, beyond
//! Python, a fixed pool of worker threads fed through a bounded queue.

use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use crate::handler::RequestError;

/// How a server runs its requests.
///
/// ```
/// use socketserver_like::Concurrency;
///
/// assert_eq!(Concurrency::default(), Concurrency::Sequential);
/// assert_eq!(
///     Concurrency::threading(),
///     Concurrency::Threading { daemon_threads: false, block_on_close: true }
/// );
/// assert_eq!(Concurrency::pool(4, 16), Concurrency::Pool { workers: 4, queue: 16 });
/// ```
// ANCHOR: concurrency
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Concurrency {
    /// One request at a time, inside `serve_forever` (Python's plain
    /// `TCPServer`): the next client waits until this one's handler returns.
    #[default]
    Sequential,
    /// A new thread for every request (Python's `ThreadingMixIn`).
    Threading {
        /// Python: handler threads do not keep the program alive. In Rust
        /// no thread does (the process ends when `main` returns), so here it
        /// only means "do not keep track of them": `server_close` will not
        /// wait for them.
        daemon_threads: bool,
        /// `server_close` waits for every running handler thread to finish
        /// (Python's default, `True`).
        block_on_close: bool,
    },
    /// `workers` threads started once, taking requests from a queue that
    /// holds at most `queue` of them. When the queue is full the serving
    /// loop stops accepting until a worker is free, and new clients wait in
    /// the kernel's listen queue (`request_queue_size`) instead of costing
    /// a thread each.
    Pool {
        /// How many worker threads; at least 1.
        workers: usize,
        /// How many accepted requests may wait for a worker.
        queue: usize,
    },
}
// ANCHOR_END: concurrency

impl Concurrency {
    /// Python's `ThreadingMixIn` with its defaults: a thread per request,
    /// and `server_close` waits for them.
    ///
    /// ```
    /// use socketserver_like::{Concurrency, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .concurrency(Concurrency::threading())
    ///     .bind(("127.0.0.1", 0), |_: &mut socketserver_like::BaseRequest| Ok(()))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub const fn threading() -> Self {
        Concurrency::Threading {
            daemon_threads: false,
            block_on_close: true,
        }
    }

    /// A pool of `workers` threads with room for `queue` waiting requests.
    ///
    /// ```
    /// use socketserver_like::{Concurrency, TcpServer};
    ///
    /// let server = TcpServer::builder()
    ///     .concurrency(Concurrency::pool(4, 16))
    ///     .bind(("127.0.0.1", 0), |_: &mut socketserver_like::BaseRequest| Ok(()))?;
    /// assert_eq!(server.handle().stats().threads_started, 4);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub const fn pool(workers: usize, queue: usize) -> Self {
        Concurrency::Pool { workers, queue }
    }
}

/// Counts the threads a server starts, for [`Stats`](crate::Stats).
#[derive(Debug, Default)]
pub(crate) struct ThreadCount {
    pub(crate) started: AtomicUsize,
    pub(crate) running: AtomicUsize,
}

impl ThreadCount {
    fn start(&self) {
        self.started.fetch_add(1, Ordering::SeqCst);
        self.running.fetch_add(1, Ordering::SeqCst);
    }
    fn end(&self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Marks a thread as ended when dropped, however the thread ends.
struct Running(Arc<ThreadCount>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.end();
    }
}

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of worker threads taking jobs from a bounded queue: the
/// Rust Book's `ThreadPool` (chapter 21), with a `sync_channel` so the
/// queue cannot grow without limit.
///
/// Dropping the pool closes the queue; each worker finishes the jobs
/// still queued, sees the queue closed, and ends; the drop waits for all
/// of them.
///
/// ```
/// use std::sync::mpsc;
/// use socketserver_like::ThreadPool;
///
/// let pool = ThreadPool::new(2, 4)?;
/// let (tx, rx) = mpsc::channel();
/// for n in 0..8 {
///     let tx = tx.clone();
///     pool.execute(move || tx.send(n * n).unwrap())?;
/// }
/// drop(pool); // waits for the workers
/// let mut squares: Vec<i32> = rx.try_iter().collect();
/// squares.sort();
/// assert_eq!(squares, [0, 1, 4, 9, 16, 25, 36, 49]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct ThreadPool {
    workers: Vec<JoinHandle<()>>,
    // An `Option` so `drop` can close the queue before joining.
    sender: Option<SyncSender<Job>>,
}

impl ThreadPool {
    /// Start `workers` threads, with room for `queue` jobs waiting.
    ///
    /// ```
    /// let pool = socketserver_like::ThreadPool::new(4, 16)?;
    /// assert_eq!(pool.size(), 4);
    /// assert!(socketserver_like::ThreadPool::new(0, 16).is_err());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(workers: usize, queue: usize) -> io::Result<ThreadPool> {
        Self::counted(workers, queue, Arc::default())
    }

    pub(crate) fn counted(
        workers: usize,
        queue: usize,
        count: Arc<ThreadCount>,
    ) -> io::Result<ThreadPool> {
        if workers == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a pool needs at least one worker",
            ));
        }
        let (sender, receiver) = mpsc::sync_channel::<Job>(queue);
        // One receiver, shared: whichever worker is free takes the next job.
        let receiver = Arc::new(Mutex::new(receiver));
        let mut pool = ThreadPool {
            workers: Vec::with_capacity(workers),
            sender: Some(sender),
        };
        for id in 0..workers {
            let receiver = Arc::clone(&receiver);
            count.start();
            let running = Running(Arc::clone(&count));
            let worker = thread::Builder::new()
                .name(format!("worker-{id}"))
                .spawn(move || work(&receiver, running));
            match worker {
                Ok(worker) => pool.workers.push(worker),
                // `pool` is dropped on the way out: the workers started so
                // far see the queue close and end.
                Err(error) => return Err(error),
            }
        }
        Ok(pool)
    }

    /// Queue `job` for the next free worker. Blocks while the queue is
    /// full: that wait is what keeps a flood of clients from piling up.
    ///
    /// ```
    /// let pool = socketserver_like::ThreadPool::new(1, 0)?;
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// pool.execute(move || tx.send("done").unwrap())?;
    /// assert_eq!(rx.recv().unwrap(), "done");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) -> io::Result<()> {
        let sender = self.sender.as_ref().expect("the queue closes only in drop");
        sender
            .send(Box::new(job))
            .map_err(|_| io::Error::other("every worker of the pool has stopped"))
    }

    /// How many worker threads the pool has.
    ///
    /// ```
    /// assert_eq!(socketserver_like::ThreadPool::new(3, 0)?.size(), 3);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn size(&self) -> usize {
        self.workers.len()
    }
}

// ANCHOR: worker
/// A worker's life: take a job, run it, repeat until the queue closes.
fn work(receiver: &Mutex<Receiver<Job>>, _running: Running) {
    loop {
        // The lock guard is a temporary of this statement, so the lock is
        // released as soon as `recv` returns, before the job runs: other
        // workers can take jobs meanwhile. (`while let Ok(job) =
        // receiver.lock()….recv()` would hold it for the whole loop body.)
        let job = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match job {
            // A panicking job must not shrink the pool: catch it here. (A
            // server's jobs catch their own panics already and report them.)
            Ok(job) => drop(panic::catch_unwind(AssertUnwindSafe(job))),
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

/// Runs one request to the end and reports any failure.
pub(crate) type Process<C, A> = Arc<dyn Fn(C, A) + Send + Sync>;
/// Reports a failure that happened before the request could run.
pub(crate) type Report<A> = Arc<dyn Fn(&A, RequestError) + Send + Sync>;

/// A server's [`Concurrency`], put to work.
pub(crate) struct Dispatch<C, A> {
    process: Process<C, A>,
    report: Report<A>,
    count: Arc<ThreadCount>,
    how: How,
}

enum How {
    Inline,
    Threads {
        /// `None` when nobody will wait for them (daemon threads, or
        /// `block_on_close` off).
        tracked: Option<Mutex<Vec<JoinHandle<()>>>>,
    },
    Pool(ThreadPool),
}

impl<C: Send + 'static, A: Clone + Send + 'static> Dispatch<C, A> {
    pub(crate) fn new(
        concurrency: Concurrency,
        process: Process<C, A>,
        report: Report<A>,
        count: Arc<ThreadCount>,
    ) -> io::Result<Self> {
        let how = match concurrency {
            Concurrency::Sequential => How::Inline,
            Concurrency::Threading {
                daemon_threads,
                block_on_close,
            } => How::Threads {
                tracked: (block_on_close && !daemon_threads).then(Mutex::default),
            },
            Concurrency::Pool { workers, queue } => {
                How::Pool(ThreadPool::counted(workers, queue, Arc::clone(&count))?)
            }
        };
        Ok(Dispatch {
            process,
            report,
            count,
            how,
        })
    }

    // ANCHOR: process_request
    /// Python's `process_request`: run the request here, on a new thread,
    /// or on the pool.
    pub(crate) fn process_request(&self, conn: C, client_address: A) {
        match &self.how {
            How::Inline => (self.process)(conn, client_address),
            How::Threads { tracked } => {
                let process = Arc::clone(&self.process);
                let address = client_address.clone();
                self.count.start();
                let running = Running(Arc::clone(&self.count));
                let spawned = thread::Builder::new()
                    .name("request".into())
                    .spawn(move || {
                        let _running = running;
                        process(conn, address);
                    });
                match (spawned, tracked) {
                    (Ok(thread), Some(threads)) => {
                        let mut threads = threads.lock().unwrap_or_else(PoisonError::into_inner);
                        // Forget threads that have finished, so a server
                        // that runs for months does not keep a handle for
                        // every request it ever served.
                        threads.retain(|thread| !thread.is_finished());
                        threads.push(thread);
                    }
                    (Ok(_), None) => {} // nobody will wait for it
                    // No thread (the system is out of them): the request,
                    // moved into the closure, is dropped, which closes it.
                    (Err(error), _) => (self.report)(&client_address, error.into()),
                }
            }
            How::Pool(pool) => {
                let process = Arc::clone(&self.process);
                let job = move || process(conn, client_address);
                if let Err(error) = pool.execute(job) {
                    eprintln!("a request was dropped: {error}");
                }
            }
        }
    }
    // ANCHOR_END: process_request
}

impl<C, A> Drop for Dispatch<C, A> {
    /// `server_close`'s second half: wait for the handler threads that
    /// [`Concurrency`] says to wait for. (A pool waits for its workers in
    /// its own `drop`.)
    fn drop(&mut self) {
        if let How::Threads {
            tracked: Some(threads),
        } = &mut self.how
        {
            let threads = threads.get_mut().unwrap_or_else(PoisonError::into_inner);
            for thread in threads.drain(..) {
                let _ = thread.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[test]
    fn a_pool_never_runs_more_jobs_at_once_than_it_has_workers() {
        let count = Arc::new(ThreadCount::default());
        let pool = ThreadPool::counted(3, 2, Arc::clone(&count)).unwrap();
        assert_eq!(count.started.load(Ordering::SeqCst), 3);
        let busy = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        for _ in 0..50 {
            let (busy, most) = (Arc::clone(&busy), Arc::clone(&most));
            pool.execute(move || {
                let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                busy.fetch_sub(1, Ordering::SeqCst);
            })
            .unwrap();
        }
        drop(pool);
        assert!(most.load(Ordering::SeqCst) <= 3);
        assert_eq!(count.running.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_panicking_job_does_not_kill_its_worker() {
        let pool = ThreadPool::new(1, 1).unwrap();
        pool.execute(|| panic!("a bad job")).unwrap();
        let (tx, rx) = mpsc::channel();
        pool.execute(move || tx.send(()).unwrap()).unwrap();
        rx.recv().expect("the only worker is still there");
    }

    #[test]
    fn a_full_queue_makes_execute_wait() {
        let pool = ThreadPool::new(1, 1).unwrap();
        let gate = Arc::new(Barrier::new(2));
        let held = Arc::clone(&gate);
        pool.execute(move || {
            held.wait();
        })
        .unwrap(); // taken by the worker, which now waits at the barrier
        pool.execute(|| {}).unwrap(); // fills the queue
        let (tx, rx) = mpsc::channel();
        thread::scope(|s| {
            s.spawn(|| {
                pool.execute(|| {}).unwrap(); // must wait for room
                tx.send(()).unwrap();
            });
            assert!(
                rx.recv_timeout(std::time::Duration::from_millis(100))
                    .is_err(),
                "execute returned while the queue was full"
            );
            gate.wait();
            rx.recv().unwrap();
        });
    }
}
