//! An event-loop server run in-process on its own thread, for tests that
//! play its clients, and a count of this process's open descriptors.

#![allow(dead_code)] // each test file uses a different part

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};

use select_multiplex::multiplex::{self, Kind};

pub use classroom::testing::PATIENCE;

/// The servers this platform can run.
pub fn kinds() -> Vec<Kind> {
    [Kind::Select, Kind::Poll, Kind::Epoll]
        .into_iter()
        .filter(|kind| kind.readiness().is_ok())
        .collect()
}

/// A server loop on its own thread; stopped (and joined) by [`Server::stop`].
pub struct Server {
    pub addr: SocketAddr,
    /// How many connections the loop has closed, after each round.
    closed: Receiver<usize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Server {
    pub fn start(kind: Kind) -> Server {
        let listener = select_multiplex::bind_listener("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, closed) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        // The loop of `multiplex::serve`, telling after each round how many
        // connections it has closed.
        let thread = thread::spawn(move || {
            let mut server = multiplex::Server::new(kind, &listener, classroom::Side::quiet)?;
            while !flag.load(Ordering::Relaxed) {
                match server.round() {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => drop(other?),
                }
                let _ = tx.send(server.closed);
            }
            Ok(())
        });
        Server {
            addr,
            closed,
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

    /// Wait until the loop has closed `count` connections in all.
    pub fn wait_left(&self, count: usize) {
        loop {
            match self.closed.recv_timeout(PATIENCE) {
                Ok(closed) if closed >= count => return,
                Ok(_) => {}
                Err(e) => panic!("fewer than {count} connections were closed: {e}"),
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
