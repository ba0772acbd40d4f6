//! An event-loop server run in-process on its own thread, for tests that
//! play its clients, and a count of this process's open descriptors.

#![allow(dead_code)] // each test file uses a different part

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};

use select_multiplex::multiplex::{self, Event, Kind, Log};

pub use classroom::testing::PATIENCE;

/// The servers this platform can run.
pub fn kinds() -> Vec<Kind> {
    [Kind::Select, Kind::Poll, Kind::Epoll]
        .into_iter()
        .filter(|kind| kind.available().is_ok())
        .collect()
}

/// A server loop on its own thread; stopped (and joined) by [`Server::stop`].
pub struct Server {
    pub addr: SocketAddr,
    pub events: Receiver<Event>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Server {
    pub fn start(kind: Kind) -> Server {
        let listener = select_multiplex::bind_listener("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, events) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let log = Log {
            lane: None,
            events: Some(tx),
        };
        let thread = thread::spawn(move || multiplex::serve(kind, listener, &flag, &log));
        Server {
            addr,
            events,
            stop,
            thread: Some(thread),
        }
    }

    /// A connected client with a bounded read timeout.
    pub fn client(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// Wait until `count` connections have been dropped by the loop.
    pub fn wait_left(&self, count: usize) {
        let mut left = 0;
        while left < count {
            match self.events.recv_timeout(PATIENCE) {
                Ok(Event::Left(_)) => left += 1,
                Ok(Event::Accepted(_)) => {}
                Err(e) => panic!("only {left} of {count} connections left: {e}"),
            }
        }
    }

    /// Stop the loop and wait for its thread; the loop must end cleanly.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let thread = self.thread.take().unwrap();
        thread
            .join()
            .expect("the loop panicked")
            .expect("the loop failed");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Send `message` and read exactly its echo back.
pub fn echo(stream: &mut TcpStream, message: &[u8]) -> Vec<u8> {
    stream.write_all(message).unwrap();
    let mut back = vec![0; message.len()];
    stream.read_exact(&mut back).unwrap();
    back
}

/// How many descriptors this process has open (Linux: /proc/self/fd).
#[cfg(target_os = "linux")]
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}
