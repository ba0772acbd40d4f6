//! Comparison 4 (lesson 05): what each sticky-packet fix costs per
//! message, on one loopback link.
//!
//! * `ack` (document 004): a JSON header, wait for `ok`, then the data.
//! * `ready` (document 001): `ready|SIZE`, wait for `start`, then the data.
//! * `length` (document 002): a 4-byte length, then the data; no waiting.
//!
//! Every message carries [`PAYLOAD`] bytes. The two handshake fixes wait
//! one round trip per message; the length prefix lets the sender keep
//! writing. Both ends set `TCP_NODELAY`, so that what is timed is the
//! round trip and not Nagle's algorithm (lesson 04). Lesson 05's `demo ack`
//! times the first and the third on one small run (`ack::per_upload`); here
//! they are measured at length, beside `ready`. The receiver uses the
//! lesson's own parsing functions.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use classroom::roles::run_roles;
use struct_header_fix::ack::{OK, read_json_header};
use struct_header_fix::files::FileHeader;
use struct_header_fix::frame::{HEADER_CAP, dumps, recv_exact, recv_framed, send_framed};
use struct_header_fix::ready::parse_ready;

use crate::Size;
use crate::machine::Machine;
use crate::plot::BarChart;
use crate::report::{Plot, Section, Table};
use crate::stats::{per_second, rate, ratio};

/// Data bytes in each message.
pub const PAYLOAD: usize = 64;

/// A fix, as lesson 05 names its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// Wait for `ok` after the header.
    Ack,
    /// `ready|SIZE`, wait for `start`.
    Ready,
    /// A 4-byte length in front.
    Length,
}

impl Fix {
    /// Every fix, in the table's order.
    pub const ALL: [Fix; 3] = [Fix::Ack, Fix::Ready, Fix::Length];

    /// The row label.
    pub fn label(self) -> &'static str {
        match self {
            Fix::Ack => "ack (004): header, wait for ok, data",
            Fix::Ready => "ready (001): ready\\|SIZE, wait for start, data",
            Fix::Length => "length (002): 4-byte length, data",
        }
    }

    /// The sender's half: send `count` messages.
    fn send(self, stream: &mut TcpStream, count: u32) -> io::Result<()> {
        let data = [b'x'; PAYLOAD];
        match self {
            Fix::Ack => {
                let header = dumps(&FileHeader::new("upload", "m.bin", PAYLOAD as u64, None));
                let mut ok = [0u8; 2];
                for _ in 0..count {
                    stream.write_all(&header)?;
                    stream.read_exact(&mut ok)?;
                    expect(&ok, OK)?;
                    stream.write_all(&data)?;
                }
            }
            Fix::Ready => {
                let tag = format!("ready|{PAYLOAD}");
                let mut start = [0u8; 5];
                for _ in 0..count {
                    stream.write_all(tag.as_bytes())?;
                    stream.read_exact(&mut start)?;
                    expect(&start, b"start")?;
                    stream.write_all(&data)?;
                }
            }
            Fix::Length => {
                let mut frame = Vec::new();
                send_framed(&mut frame, &data)?;
                for _ in 0..count {
                    stream.write_all(&frame)?;
                }
            }
        }
        Ok(())
    }

    /// The receiver's half: read messages until the sender closes; how many.
    fn receive(self, stream: &mut TcpStream) -> io::Result<u64> {
        let mut count = 0;
        let mut data = [0u8; PAYLOAD];
        match self {
            Fix::Ack => {
                while read_json_header(stream)?.is_some() {
                    stream.write_all(OK)?;
                    stream.read_exact(&mut data)?;
                    count += 1;
                }
            }
            Fix::Ready => loop {
                let mut tag = [0u8; 1024];
                let n = stream.read(&mut tag)?;
                if n == 0 {
                    break;
                }
                let Some(size) = parse_ready(&tag[..n]).filter(|&size| size == PAYLOAD as u64)
                else {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "not ready|64"));
                };
                stream.write_all(b"start")?;
                if recv_exact(stream, &mut data)? as u64 != size {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "short message",
                    ));
                }
                count += 1;
            },
            Fix::Length => {
                // Through a buffer, as a server reads; the framing is the lesson's.
                let mut reader = io::BufReader::new(stream);
                while let Some(frame) = recv_framed(&mut reader, HEADER_CAP)? {
                    expect(&frame, &data.map(|_| b'x'))?;
                    count += 1;
                }
            }
        }
        Ok(count)
    }
}

/// An error unless `got` is `want`.
fn expect(got: &[u8], want: &[u8]) -> io::Result<()> {
    if got == want {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("expected {want:?}, got {got:?}"),
        ))
    }
}

/// One fix measured: messages, and the time until the receiver had them all.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// The fix.
    pub fix: Fix,
    /// Messages sent and received.
    pub messages: u64,
    /// From the first send until the receiver confirmed the last.
    pub elapsed: Duration,
}

impl Measured {
    /// Messages per second.
    pub fn rate(&self) -> f64 {
        per_second(self.messages, self.elapsed)
    }
}

/// Send `count` messages with `fix`; the receiver answers with how many
/// it got once the sender closes its side, which is when the clock stops.
pub fn measure_one(fix: Fix, count: u32) -> io::Result<Measured> {
    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let (received, elapsed) = run_roles(
        move || {
            let (mut stream, _) = listener.accept()?;
            stream.set_nodelay(true)?;
            let count = fix.receive(&mut stream)?;
            stream.write_all(&count.to_le_bytes())
        },
        move || {
            let mut stream = TcpStream::connect(addr)?;
            stream.set_nodelay(true)?;
            let start = Instant::now();
            fix.send(&mut stream, count)?;
            stream.shutdown(Shutdown::Write)?;
            let mut confirmed = [0u8; 8];
            stream.read_exact(&mut confirmed)?;
            Ok((u64::from_le_bytes(confirmed), start.elapsed()))
        },
    )?;
    if received != u64::from(count) {
        return Err(io::Error::other(format!(
            "{fix:?}: sent {count} messages, the receiver counted {received}"
        )));
    }
    Ok(Measured {
        fix,
        messages: received,
        elapsed,
    })
}

/// Every fix, `size.messages` messages each.
pub fn measure(size: &Size) -> io::Result<Vec<Measured>> {
    Fix::ALL
        .iter()
        .map(|&fix| measure_one(fix, size.messages))
        .collect()
}

/// The comparison as lesson 05 shows it.
pub fn section(measured: &[Measured], machine: &Machine) -> Section {
    let length = measured
        .iter()
        .find(|m| m.fix == Fix::Length)
        .map(Measured::rate);
    let mut table = Table::new(["fix", "messages/s", "per message", "× length"]);
    for m in measured {
        table.row([
            m.fix.label().to_owned(),
            rate(m.rate()),
            classroom::units::time(m.elapsed / m.messages.max(1) as u32),
            ratio(m.rate(), length),
        ]);
    }
    let chart = BarChart {
        title: format!("Messages per second, {PAYLOAD}-byte messages"),
        y_label: "messages per second".into(),
        groups: vec!["loopback".into()],
        bars: measured
            .iter()
            .map(|m| (format!("{:?}", m.fix).to_lowercase(), vec![Some(m.rate())]))
            .collect(),
        log_y: false,
        note: machine.note(),
    };
    let markdown = format!(
        "Measured on {}: {} messages of {PAYLOAD} bytes per fix over one loopback connection, \
`TCP_NODELAY` on both ends, timed until the receiver confirmed the last one.\n\n{}",
        machine.describe(),
        classroom::units::thousands(measured.first().map_or(0, |m| m.messages)),
        table.markdown()
    );
    Section {
        name: "framing",
        lesson: "lessons/05-struct-header-fix.md",
        markdown,
        plot: Some(Plot {
            file: "bench-framing.svg",
            title: chart.title.clone(),
            svg: chart.to_svg(),
        }),
    }
}
