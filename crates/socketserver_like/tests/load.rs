//! 1,000 concurrent clients against the pool server: every reply correct,
//! never more than the pool's threads, and no thread or file descriptor
//! left behind once they are gone.
//!
//! This file holds a single test on purpose: it counts the threads and
//! open files of the whole test process, and another test running beside
//! it would change those counts.

use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use classroom::testing::PATIENCE as DEADLINE;
use socketserver_like::pool;

/// Clients, opened by this many threads at the same time.
const CONNECTING_THREADS: usize = 4;

/// Open file descriptors of this process (Linux).
fn open_fds() -> Option<usize> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count())
}

/// Wait (bounded) until `count` gives `expected`: a thread that has been
/// joined may still be counted for a moment while the kernel tears it down.
fn settles_to(expected: Option<usize>, count: impl Fn() -> Option<usize>) -> Option<usize> {
    let give_up = Instant::now() + Duration::from_secs(5);
    loop {
        let now = count();
        if now == expected || Instant::now() > give_up {
            return now;
        }
        thread::yield_now();
    }
}

/// One connecting thread's share: open `count` clients (all stay open)
/// and check every reply.
fn clients(addr: SocketAddr, count: usize) -> usize {
    pool::flood(addr, count, || {}).expect("every reply correct")
}

#[test]
fn a_thousand_clients_are_all_answered_by_a_bounded_pool_and_leave_nothing_behind() {
    // Both ends of every connection live in this process.
    pool::make_room_for(pool::FDS_NEEDED).unwrap();
    let (threads_before, fds_before) = (pool::threads_in_process(), open_fds());

    let started = Instant::now();
    let server = pool::server("127.0.0.1:0".parse().unwrap()).unwrap();
    let handle = server.handle();
    let addr = server.server_address().unwrap();
    let per_thread = pool::CLIENTS / CONNECTING_THREADS;
    let answered = server.serve_while(|| {
        Ok(thread::scope(|s| {
            let connecting: Vec<_> = (0..CONNECTING_THREADS)
                .map(|_| s.spawn(move || clients(addr, per_thread)))
                .collect();
            if let Some(before) = threads_before {
                // While the clients are at it: this thread, the connecting
                // ones, serve_forever and the workers, however many clients.
                let ceiling = before + CONNECTING_THREADS + 1 + pool::WORKERS;
                let now = pool::threads_in_process().unwrap();
                assert!(now <= ceiling, "{now} threads, more than {ceiling}");
            }
            connecting
                .into_iter()
                .map(|t| t.join().unwrap())
                .sum::<usize>()
        }))
    });
    assert_eq!(answered.unwrap(), pool::CLIENTS);

    server.server_close();
    let stats = handle.stats();
    assert_eq!(stats.requests, pool::CLIENTS);
    assert_eq!(stats.errors, 0);
    assert_eq!(stats.threads_started, pool::WORKERS, "no thread per client");
    assert_eq!(stats.threads_running, 0);
    drop(handle); // the last owner of the server's waker socket

    assert_eq!(
        settles_to(threads_before, pool::threads_in_process),
        threads_before
    );
    assert_eq!(settles_to(fds_before, open_fds), fds_before);
    let took = started.elapsed();
    assert!(took < DEADLINE, "{took:?}");
    eprintln!("{} clients answered in {took:.1?}", pool::CLIENTS);
}
