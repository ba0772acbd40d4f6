//! Comparison 3 (lesson 05): one big file over loopback, three ways.
//!
//! * **json-header**: lesson 05's step 6 as it is: a length, a JSON header
//!   with the size and md5, the data in 64 KiB pieces hashed on the way, a
//!   `.part` file renamed when the md5 matches, a JSON answer.
//! * **case**: lesson 05's step 7 as it is: a type frame, a 4-byte size,
//!   the data into a `.part` file renamed when the size is right; no hash.
//! * **plain copy**: the same bytes with no header, no hash, no answer:
//!   1 MiB reads and writes through a socket whose buffers are set to the
//!   largest this machine allows (`net.core.rmem_max` / `wmem_max`).
//! * **document-style Python**: document 002's `recv_file` receiving
//!   (1024-byte `recv`, `write` and `flush` each piece).
//!
//! Sender and receiver are separate processes (`bench send`, `bench
//! receive`), so each one's peak memory is its own. The time runs from
//! starting the sender until the receiver has written the whole file and
//! exited.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use socket2::SockRef;
use struct_header_fix::files::md5_of_file;
use struct_header_fix::{case, json_header};

use crate::child::{Running, announce, report_peak_rss, run_to_end};
use crate::machine::Machine;
use crate::plot::BarChart;
use crate::report::{Plot, Section, Table};
use crate::stats::{self, ratio, throughput};
use crate::{Size, python};

/// The rows' labels.
const FRAMED: &str = "05 json-header: JSON header, md5 checked";
const CASE: &str = "05 case: 4-byte size, no hash";
const PLAIN: &str = "plain copy";
const PYTHON: &str = "document 002 recv_file (Python)";
const MD5_ALONE: &str = "md5 of the file alone, no network";
/// The plain copy's read and write size.
const PLAIN_BUF: usize = 1 << 20;
/// The name the plain receivers save under.
const RECEIVED: &str = "received.bin";

/// A way to move the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Way {
    /// Lesson 05's `json-header` upload.
    Framed,
    /// Lesson 05's `case` upload.
    Case,
    /// No framing: bytes until EOF.
    Plain,
    /// Document 002's framing: a 4-byte `struct.pack('i')` length first.
    Length,
}

/// One measured transfer.
#[derive(Debug, Clone)]
pub struct Transfer {
    /// The row label.
    pub label: &'static str,
    /// Bytes moved.
    pub bytes: u64,
    /// Start of the sender to exit of the receiver.
    pub elapsed: Duration,
    /// The sender's and the receiver's peak memory, KiB.
    pub peak_rss_kib: (Option<u64>, Option<u64>),
}

impl Transfer {
    /// Bytes per second.
    pub fn rate(&self) -> f64 {
        stats::per_second(self.bytes, self.elapsed)
    }
}

/// The largest socket buffer this machine allows, from /proc (Linux).
fn buffer_limit(name: &str) -> Option<usize> {
    fs::read_to_string(format!("/proc/sys/net/core/{name}"))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// `bench receive WAY DIR`: accept one connection and receive one file
/// into `dir`, then report peak memory.
pub fn receive(way: Way, dir: &Path, size: u64) -> io::Result<()> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    announce(&listener)?;
    match way {
        // The lesson's servers accept their one connection themselves.
        Way::Framed => json_header::server(&listener, dir)?,
        Way::Case => case::server(&listener, dir)?,
        Way::Plain => {
            let (mut stream, _) = listener.accept()?;
            if let Some(limit) = buffer_limit("rmem_max") {
                SockRef::from(&stream).set_recv_buffer_size(limit)?;
            }
            // No header tells the plain copy when to stop, so the size it
            // was told bounds what a peer can make it write.
            let path = dir.join(RECEIVED);
            let got = copy_plain(&mut (&mut stream).take(size + 1), &mut File::create(&path)?)?;
            if got > size {
                fs::remove_file(&path)?; // no half-kept file
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the sender sent more than the {size} bytes expected"),
                ));
            }
        }
        Way::Length => {
            return Err(io::Error::other(
                "document 002's receiver runs under python3",
            ));
        }
    }
    report_peak_rss()
}

/// The plain copy: [`PLAIN_BUF`]-byte reads, each written out whole, until
/// `from` ends; how many bytes. (`std::io::copy` would pick its own buffer
/// size, or hand the work to the kernel with `sendfile`/`splice`, which is
/// not what the documents' programs do.)
fn copy_plain(from: &mut impl Read, to: &mut impl Write) -> io::Result<u64> {
    let mut buf = vec![0u8; PLAIN_BUF];
    let mut copied = 0;
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            return Ok(copied);
        }
        to.write_all(&buf[..n])?;
        copied += n as u64;
    }
}

/// `bench send WAY ADDR FILE`: send `file` to `addr`, then report peak
/// memory.
pub fn send(way: Way, addr: SocketAddr, file: &Path) -> io::Result<()> {
    match way {
        Way::Framed => json_header::client(addr, [file.display().to_string()])?,
        Way::Case => {
            let line = format!("file|{}", file.display());
            case::client(addr, [line], false)?;
        }
        Way::Plain | Way::Length => {
            let mut stream = TcpStream::connect(addr)?;
            if let Some(limit) = buffer_limit("wmem_max") {
                SockRef::from(&stream).set_send_buffer_size(limit)?;
            }
            if way == Way::Length {
                let len = fs::metadata(file)?.len();
                let len = i32::try_from(len).map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "struct.pack('i') stops at 2 GiB",
                    )
                })?;
                stream.write_all(&len.to_le_bytes())?;
            }
            copy_plain(&mut File::open(file)?, &mut stream)?;
            stream.shutdown(Shutdown::Write)?;
        }
    }
    report_peak_rss()
}

/// Write `len` bytes that do not compress (xorshift) to `path`.
pub fn make_file(path: &Path, len: u64) -> io::Result<()> {
    let mut file = File::create(path)?;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut buf = vec![0u8; PLAIN_BUF];
    let mut left = len;
    while left > 0 {
        for word in buf.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let take = left.min(PLAIN_BUF as u64) as usize;
        file.write_all(&buf[..take])?;
        left -= take as u64;
    }
    Ok(())
}

/// Whether `a` and `b` hold the same bytes.
fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    let (mut a, mut b) = (File::open(a)?, File::open(b)?);
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    let (mut x, mut y) = (vec![0u8; PLAIN_BUF], vec![0u8; PLAIN_BUF]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(true);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Move `file` once the given way, into a fresh folder under `scratch`,
/// and check that what arrived is the file.
fn run_once(
    bench: &Path,
    label: &'static str,
    receiver: Command,
    send_way: Way,
    file: &Path,
    scratch: &Path,
) -> io::Result<Transfer> {
    let start_receiver = Running::start(receiver)?;
    let start = Instant::now();
    let mut sender = Command::new(bench);
    sender
        .arg("send")
        .arg(format!("{send_way:?}").to_lowercase())
        .arg(start_receiver.addr().to_string())
        .arg(file);
    let sender_rss = run_to_end(sender)?;
    let receiver_rss = start_receiver.finish()?;
    let elapsed = start.elapsed();
    let saved = match send_way {
        Way::Framed | Way::Case => scratch.join(file.file_name().unwrap_or_default()),
        Way::Plain | Way::Length => scratch.join(RECEIVED),
    };
    if !same_contents(file, &saved)? {
        return Err(io::Error::other(format!(
            "{label}: {} differs from the file sent",
            saved.display()
        )));
    }
    fs::remove_file(&saved)?;
    Ok(Transfer {
        label,
        bytes: fs::metadata(file)?.len(),
        elapsed,
        peak_rss_kib: (sender_rss, receiver_rss),
    })
}

/// Where the files go: in memory (`/dev/shm`) where there is one, so that
/// the disk does not set the pace of a network comparison; else `scratch`.
fn file_folder(scratch: &Path) -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.join(format!("socket-lessons-bench-{}", std::process::id()))
    } else {
        scratch.join("transfer")
    }
}

/// The three transfers of a `size.file`-byte file.
pub fn measure(bench: &Path, size: &Size, scratch: &Path) -> io::Result<Vec<Transfer>> {
    let folder = file_folder(scratch);
    let outcome = measure_in(bench, size, &folder);
    fs::remove_dir_all(&folder)?;
    outcome
}

fn measure_in(bench: &Path, size: &Size, folder: &Path) -> io::Result<Vec<Transfer>> {
    let source = folder.join("source");
    let received = folder.join("received");
    fs::create_dir_all(&source)?;
    fs::create_dir_all(&received)?;
    let file: PathBuf = source.join("big.bin");
    make_file(&file, size.file)?;
    let receiver = |way: Way| {
        let mut command = Command::new(bench);
        command
            .arg("receive")
            .arg(format!("{way:?}").to_lowercase())
            .arg(&received)
            .arg(size.file.to_string());
        command
    };
    let python = || python::command(python::RECV_FILE, &[&received.to_string_lossy()]);
    let ways: [(&'static str, &dyn Fn() -> Command, Way); 4] = [
        (FRAMED, &|| receiver(Way::Framed), Way::Framed),
        (CASE, &|| receiver(Way::Case), Way::Case),
        (PLAIN, &|| receiver(Way::Plain), Way::Plain),
        (PYTHON, &python, Way::Length),
    ];
    let mut transfers = Vec::new();
    let python_here = python::available();
    for (label, receiver, way) in ways {
        if label == PYTHON && !python_here {
            continue; // the table shows the ratio to Python as n/a
        }
        let runs = (0..size.transfer_runs)
            .map(|_| run_once(bench, label, receiver(), way, &file, &received))
            .collect::<io::Result<Vec<_>>>()?;
        transfers.extend(fastest(runs));
    }
    // What the framed transfer cannot beat: hashing the same bytes once.
    let start = Instant::now();
    md5_of_file(&file)?;
    transfers.push(Transfer {
        label: MD5_ALONE,
        bytes: size.file,
        elapsed: start.elapsed(),
        peak_rss_kib: (None, None),
    });
    Ok(transfers)
}

/// The fastest of several runs, with the highest peak memory any of them had.
fn fastest(runs: Vec<Transfer>) -> Option<Transfer> {
    let peak = |pick: fn(&Transfer) -> Option<u64>| runs.iter().filter_map(pick).max();
    let peak_rss_kib = (peak(|t| t.peak_rss_kib.0), peak(|t| t.peak_rss_kib.1));
    let best = runs.iter().min_by_key(|t| t.elapsed)?;
    Some(Transfer {
        peak_rss_kib,
        ..best.clone()
    })
}

/// The comparison as lesson 05 shows it.
pub fn section(transfers: &[Transfer], runs: usize, machine: &Machine) -> Section {
    let rate_of = |label| {
        transfers
            .iter()
            .find(|t| t.label == label)
            .map(Transfer::rate)
    };
    let (plain, python) = (rate_of(PLAIN), rate_of(PYTHON));
    let kib = |k: Option<u64>| k.map_or("n/a".into(), |k| stats::size(k * 1024));
    let mut table = Table::new([
        "transfer",
        "time",
        "throughput",
        "× plain copy",
        "× Python",
        "peak memory, sender / receiver",
    ]);
    for t in transfers {
        table.row([
            t.label.to_owned(),
            classroom::units::time(t.elapsed),
            throughput(t.rate()),
            ratio(t.rate(), plain),
            ratio(t.rate(), python),
            format!("{} / {}", kib(t.peak_rss_kib.0), kib(t.peak_rss_kib.1)),
        ]);
    }
    let chart = BarChart {
        title: format!(
            "One {} file over loopback, MB/s",
            stats::size(transfers.first().map_or(0, |t| t.bytes))
        ),
        y_label: "MB per second".into(),
        groups: vec!["throughput".into()],
        bars: transfers
            .iter()
            .map(|t| (t.label.to_owned(), vec![Some(t.rate() / 1e6)]))
            .collect(),
        log_y: false,
        note: machine.note(),
    };
    let markdown = format!(
        "Measured on {}: one {} file, sender and receiver in their own processes, both files \
in memory (`/dev/shm`) so the disk does not set the pace; the time runs until the receiver has \
written the file and exited; the fastest of {} runs.\n\n{}",
        machine.describe(),
        stats::size(transfers.first().map_or(0, |t| t.bytes)),
        runs,
        table.markdown()
    );
    Section {
        name: "transfer",
        lesson: "lessons/05-struct-header-fix.md",
        markdown,
        plot: Some(Plot {
            file: "bench-transfer.svg",
            title: chart.title.clone(),
            svg: chart.to_svg(),
        }),
    }
}
