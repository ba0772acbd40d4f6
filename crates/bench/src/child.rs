//! The programs a comparison measures run as child processes: a server
//! never shares a process (or an allocator, or a tokio runtime) with the
//! client that loads it, and each child's peak memory is its own.
//!
//! A child announces `listening on ADDR` as its first line, may print
//! anything after that, and reports `peak_rss_kib N` before it exits.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, ChildStdout, Command, Stdio};

/// The line a child starts with.
const LISTENING: &str = "listening on ";
/// The line a child ends with.
const PEAK_RSS: &str = "peak_rss_kib ";

/// Say where this child listens, so the parent can connect.
pub fn announce(listener: &TcpListener) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{LISTENING}{}", listener.local_addr()?)?;
    stdout.flush()
}

/// Report this process's peak resident memory, where the OS tells it.
pub fn report_peak_rss() -> io::Result<()> {
    if let Some(kib) = classroom::memory::peak_rss_kib(std::process::id()) {
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{PEAK_RSS}{kib}")?;
        stdout.flush()?;
    }
    Ok(())
}

/// A child that has announced its address. Dropping it kills it.
#[derive(Debug)]
pub struct Running {
    child: Child,
    stdout: BufReader<ChildStdout>,
    addr: SocketAddr,
}

impl Running {
    /// Start `command` and wait for its `listening on` line.
    pub fn start(mut command: Command) -> io::Result<Running> {
        let shown = format!("{command:?}");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("starting {shown}: {e}")))?;
        let Some(stdout) = child.stdout.take() else {
            return Err(io::Error::other("the child's stdout was not piped"));
        };
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let addr = line
            .trim_end()
            .strip_prefix(LISTENING)
            .and_then(|addr| addr.parse().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other(format!(
                "{shown} printed {line:?} instead of `{LISTENING}ADDR`"
            )));
        };
        Ok(Running {
            child,
            stdout,
            addr,
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Wait for it to exit by itself; its peak memory in KiB if it said.
    pub fn finish(mut self) -> io::Result<Option<u64>> {
        let mut peak = None;
        let mut line = String::new();
        while {
            line.clear();
            self.stdout.read_line(&mut line)? > 0
        } {
            if let Some(kib) = line.trim_end().strip_prefix(PEAK_RSS) {
                peak = kib.parse().ok();
            }
        }
        let status = self.child.wait()?;
        if !status.success() {
            return Err(io::Error::other(format!(
                "a child process failed: {status}"
            )));
        }
        Ok(peak)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A server runs until killed; a finished child is already reaped
        // and `kill` just fails.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A child that only runs to its end (a sender): its peak memory in KiB.
pub fn run_to_end(mut command: Command) -> io::Result<Option<u64>> {
    let shown = format!("{command:?}");
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| io::Error::new(e.kind(), format!("starting {shown}: {e}")))?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "{shown} failed: {}",
            output.status
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout
        .lines()
        .find_map(|line| line.strip_prefix(PEAK_RSS))
        .and_then(|kib| kib.parse().ok()))
}
