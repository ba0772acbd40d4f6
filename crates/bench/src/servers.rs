//! Comparison 1 (lessons 01, 07, 08): the same echo workload against every
//! server model.
//!
//! Each client runs *sessions*: connect, send [`REQUEST`]-byte requests and
//! read each echo back, [`SESSION`] times, close, start again. Sessions
//! make the one-at-a-time models finish: a sequential server or a full
//! pool serves the waiting clients when a session ends, and the waiting
//! shows in the latency percentiles. Every server listens with the same
//! backlog ([`BACKLOG`]) so no model loses connections to a short queue.
//!
//! The load comes from one thread (a tokio current-thread runtime with a
//! task per client), so it takes at most one core whatever the client
//! count, and every server gets the same client.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use classroom::tcp::RECV_SIZE;
use select_multiplex::multiplex::{self, Kind};
use socketserver_like::{DEFAULT_POLL_INTERVAL, Request, TcpServer, server_bind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::child::{Running, announce};
use crate::machine::Machine;
use crate::plot::BarChart;
use crate::report::{Plot, Section, Table};
use crate::stats::{Latencies, per_second, rate, ratio};
use crate::{Size, python};

/// Bytes in every request and every echo.
pub const REQUEST: usize = 64;
/// Requests per connection before the client reconnects.
pub const SESSION: usize = 100;
/// The listen backlog of every server, Python's included: lesson 07's.
pub use select_multiplex::BACKLOG;
/// How many clients load the server, one column each.
pub const CLIENTS: [usize; 3] = [1, 10, 100];
/// Worker threads of the pool model.
pub const POOL_WORKERS: usize = 4;
/// How long one request may take before the run is called broken.
const PATIENCE: Duration = Duration::from_secs(10);

/// A server model in the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Model {
    /// One connection at a time (lesson 01; lesson 08's `TCPServer`).
    Sequential,
    /// A thread per connection (lesson 08's `ThreadingMixIn`).
    Threading,
    /// A fixed pool of worker threads (lesson 08's `Pool`).
    Pool,
    /// One thread, `select()` (lesson 07).
    Select,
    /// One thread, `poll()` (lesson 07).
    Poll,
    /// One thread, `epoll` (lesson 07).
    Epoll,
    /// tokio's echo example: what a Rust service would use.
    Tokio,
    /// Python's `socketserver.ThreadingTCPServer`, as the documents use it.
    Python,
}

impl Model {
    /// Every model, in the order the table lists them.
    pub const ALL: [Model; 8] = [
        Model::Sequential,
        Model::Threading,
        Model::Pool,
        Model::Select,
        Model::Poll,
        Model::Epoll,
        Model::Tokio,
        Model::Python,
    ];

    /// The row label.
    pub fn label(self) -> &'static str {
        match self {
            Model::Sequential => "sequential (01, 08)",
            Model::Threading => "thread per connection (08)",
            Model::Pool => "pool of 4 threads (08)",
            Model::Select => "select (07)",
            Model::Poll => "poll (07)",
            Model::Epoll => "epoll (07)",
            Model::Tokio => "tokio",
            Model::Python => "Python ThreadingTCPServer",
        }
    }

    /// The command that runs this model's server.
    fn command(self, bench: &std::path::Path) -> Command {
        match self {
            Model::Python => python::command(python::THREADING_ECHO, &[&BACKLOG.to_string()]),
            _ => {
                let mut command = Command::new(bench);
                command.arg("serve").arg(format!("{self:?}").to_lowercase());
                command
            }
        }
    }
}

/// `bench serve MODEL`: run one of our echo servers until killed.
pub fn serve(model: Model) -> io::Result<()> {
    // Lesson 08's TCPServer, with ThreadingMixIn, or with its pool.
    let dispatch: fn(TcpServer) -> io::Result<TcpServer> = match model {
        Model::Sequential => Ok,
        Model::Threading => |server| Ok(server.threading()),
        Model::Pool => |server| server.pool(POOL_WORKERS, BACKLOG as usize),
        Model::Select => return serve_multiplexed(Kind::Select),
        Model::Poll => return serve_multiplexed(Kind::Poll),
        Model::Epoll => return serve_multiplexed(Kind::Epoll),
        Model::Tokio => return serve_tokio(),
        Model::Python => return Err(io::Error::other("the Python server runs under python3")),
    };
    let listener = server_bind(classroom::cli::ephemeral(), BACKLOG)?;
    let server = dispatch(TcpServer::new(listener, echo)?)?;
    announce(server.socket())?;
    server.serve_forever(DEFAULT_POLL_INTERVAL)
}

/// The handler of lesson 08's servers: echo each read until the client closes.
fn echo(request: &mut Request<TcpStream>) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let n = request.request.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        request.request.write_all(&buf[..n])?;
    }
}

/// Lesson 07's event loop, as its `server select|poll|epoll` runs it.
fn serve_multiplexed(kind: Kind) -> io::Result<()> {
    let listener = select_multiplex::bind_listener(classroom::cli::ephemeral())?;
    announce(&listener)?;
    multiplex::serve(kind, listener, &AtomicBool::new(false), true) // quiet
}

/// tokio's echo server, from its README: a task per connection on a
/// runtime with a worker thread per core.
fn serve_tokio() -> io::Result<()> {
    // Lesson 07's listener: the same backlog as every other server here.
    let listener = select_multiplex::bind_listener(classroom::cli::ephemeral())?;
    listener.set_nonblocking(true)?; // tokio's listener requires it
    announce(&listener)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        loop {
            let (mut socket, _) = listener.accept().await?;
            tokio::spawn(async move {
                let mut buf = [0u8; RECV_SIZE];
                loop {
                    let n = match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    if socket.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            });
        }
    })
}

/// What one load run measured.
#[derive(Debug, Clone)]
pub struct Load {
    /// Requests answered inside the measured window.
    pub requests: u64,
    /// The window.
    pub window: Duration,
    /// Each of those requests' round trip.
    pub latencies: Latencies,
    /// CPU time the load thread used, in cores (1.0: one core all along).
    pub client_cores: f64,
    /// CPU time the server process used, in cores, when it was measured.
    pub server_cores: Option<f64>,
}

impl Load {
    /// Requests per second.
    pub fn rate(&self) -> f64 {
        per_second(self.requests, self.window)
    }
}

/// Load the echo server at `addr` with `clients` clients for `warmup`
/// (not counted) and then `window` (counted). Any wrong echo, error or
/// request slower than 10 s fails the run.
pub fn load(
    addr: SocketAddr,
    clients: usize,
    warmup: Duration,
    window: Duration,
) -> io::Result<Load> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Lesson 06 measures its busy loop with the same call.
    let cpu_before = nonblocking::os::cpu_time()?;
    let started = Instant::now();
    let mut load = runtime.block_on(async move {
        let from = Instant::now() + warmup;
        let until = from + window;
        let tasks: Vec<_> = (0..clients)
            .map(|id| tokio::spawn(client(addr, id, from, until)))
            .collect();
        let mut samples = Vec::new();
        for task in tasks {
            samples.extend(task.await.map_err(io::Error::other)??);
        }
        Ok::<_, io::Error>(Load {
            requests: samples.len() as u64,
            window,
            latencies: Latencies::new(samples),
            client_cores: 0.0,
            server_cores: None,
        })
    })?;
    load.client_cores = cores(nonblocking::os::cpu_time()? - cpu_before, started.elapsed());
    Ok(load)
}

/// Load the server `server`, and measure the CPU it used meanwhile.
fn load_server(server: &Running, clients: usize, size: &Size) -> io::Result<Load> {
    let before = process_cpu(server.pid());
    let started = Instant::now();
    let mut load = load(server.addr(), clients, size.warmup, size.measure)?;
    let elapsed = started.elapsed();
    if let (Some(before), Some(after)) = (before, process_cpu(server.pid())) {
        load.server_cores = Some(cores(after.saturating_sub(before), elapsed));
    }
    Ok(load)
}

/// `cpu` spread over `elapsed`, in cores.
fn cores(cpu: Duration, elapsed: Duration) -> f64 {
    cpu.as_secs_f64() / elapsed.as_secs_f64().max(1e-9)
}

/// The CPU time process `pid` has used, from `/proc/PID/stat` (fields 14
/// and 15, in clock ticks of 1/100 s: Linux fixes USER_HZ at 100 there).
fn process_cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; it ends at the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    // fields[0] is field 3 (state), so utime (14) and stime (15) are 11 and 12.
    Some(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

/// One client: sessions until `until`; the round trips that started at
/// or after `from` and ended by `until`.
async fn client(
    addr: SocketAddr,
    id: usize,
    from: Instant,
    until: Instant,
) -> io::Result<Vec<Duration>> {
    let mut samples = Vec::new();
    let mut request = [0u8; REQUEST];
    let mut echo = [0u8; REQUEST];
    let mut sent: u64 = 0;
    loop {
        let mut stream = within(tokio::net::TcpStream::connect(addr)).await?;
        stream.set_nodelay(true)?;
        for _ in 0..SESSION {
            let start = Instant::now();
            if start >= until {
                return Ok(samples);
            }
            // Each request differs (client id, sequence number), so an echo
            // meant for another request or client cannot pass for ours.
            request[..8].copy_from_slice(&(id as u64).to_le_bytes());
            request[8..16].copy_from_slice(&sent.to_le_bytes());
            sent += 1;
            within(async {
                stream.write_all(&request).await?;
                stream.read_exact(&mut echo).await
            })
            .await?;
            if echo != request {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("client {id}: the echo of request {sent} differs from it"),
                ));
            }
            let end = Instant::now();
            if start >= from && end <= until {
                samples.push(end - start);
            }
        }
    }
}

/// `future`, failed with a clear error after [`PATIENCE`].
async fn within<T>(future: impl Future<Output = io::Result<T>>) -> io::Result<T> {
    tokio::time::timeout(PATIENCE, future).await.map_err(|_| {
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no echo within {PATIENCE:?}"),
        )
    })?
}

/// One model's row: a [`Load`] per client count.
#[derive(Debug, Clone)]
pub struct Row {
    /// The model.
    pub model: Model,
    /// One per [`CLIENTS`] entry, or why it could not run.
    pub loads: Result<Vec<Load>, String>,
}

/// Run every model in `models` against every client count.
pub fn measure(bench: &std::path::Path, size: &Size, models: &[Model]) -> Vec<Row> {
    models
        .iter()
        .map(|&model| {
            let loads = Running::start(model.command(bench))
                .and_then(|server| {
                    CLIENTS
                        .iter()
                        .map(|&clients| load_server(&server, clients, size))
                        .collect::<io::Result<Vec<_>>>()
                })
                .map_err(|e| e.to_string());
            Row { model, loads }
        })
        .collect()
}

/// `1 client`, `10 clients`.
fn clients(n: usize) -> String {
    format!("{n} client{}", if n == 1 { "" } else { "s" })
}

/// A table with a `server` column, then one column per client count
/// named by `column`, then `extra` columns.
fn per_clients_table(column: impl Fn(usize) -> String, extra: &[String]) -> Table {
    let mut header = vec!["server".to_owned()];
    header.extend(CLIENTS.iter().map(|&n| column(n)));
    header.extend(extra.iter().cloned());
    Table::new(header)
}

/// `p50 / p99 / worst` of one load.
fn latency_cell(load: &Load) -> String {
    let p = |q| {
        load.latencies
            .percentile(q)
            .map_or("n/a".into(), classroom::units::time)
    };
    format!("{} / {} / {}", p(50.0), p(99.0), p(100.0))
}

/// `load thread / server` cores of one load.
fn cpu_cell(load: &Load) -> String {
    let server = load
        .server_cores
        .map_or("n/a".into(), |c| format!("{c:.2}"));
    format!("{:.2} / {server}", load.client_cores)
}

/// The server's CPU time per request, from its cores and the request rate.
fn cpu_per_request(load: &Load) -> Option<Duration> {
    let cores = load.server_cores?;
    (load.rate() > 0.0).then(|| Duration::from_secs_f64(cores / load.rate()))
}

/// `time (×ratio)` against `reference`, or `n/a` without a time.
fn time_and_ratio(time: Option<Duration>, reference: Option<Duration>) -> String {
    match time {
        Some(time) => format!(
            "{} ({})",
            classroom::units::time(time),
            ratio(time.as_secs_f64(), reference.map(|r| r.as_secs_f64()))
        ),
        None => "n/a".to_owned(),
    }
}

/// The comparison as lesson 08 shows it.
pub fn section(rows: &[Row], machine: &Machine) -> Section {
    let last = CLIENTS.len() - 1;
    let most = CLIENTS[last];
    // The loads at the most clients, which the ratios compare.
    let busiest = |model: Model| {
        rows.iter()
            .find(|row| row.model == model)
            .and_then(|row| row.loads.as_ref().ok())
            .map(|loads| &loads[last])
    };
    let (python, tokio) = (busiest(Model::Python), busiest(Model::Tokio));
    let p99 = |load: &Load| load.latencies.percentile(99.0);

    let ratios = [format!("× Python at {most}"), format!("× tokio at {most}")];
    let mut throughput = per_clients_table(clients, &ratios);
    let mut latency = per_clients_table(
        |n| format!("{n}: p50 / p99 / worst"),
        &[format!("p99 at {most} (× tokio)")],
    );
    let mut cpu = per_clients_table(
        |n| format!("load / server, {n}"),
        &[format!("server CPU per request at {most} (× Python)")],
    );
    for row in rows {
        let label = row.model.label().to_owned();
        let loads = match &row.loads {
            Ok(loads) => loads,
            Err(why) => {
                throughput.row([label, format!("did not run: {why}")]);
                continue;
            }
        };
        let cells = |cell: fn(&Load) -> String| {
            std::iter::once(label.clone()).chain(loads.iter().map(cell))
        };
        let mine = &loads[last];
        throughput.row(cells(|load| rate(load.rate())).chain([
            ratio(mine.rate(), python.map(Load::rate)),
            ratio(mine.rate(), tokio.map(Load::rate)),
        ]));
        latency.row(cells(latency_cell).chain([time_and_ratio(p99(mine), tokio.and_then(p99))]));
        cpu.row(cells(cpu_cell).chain([time_and_ratio(
            cpu_per_request(mine),
            python.and_then(cpu_per_request),
        )]));
    }

    let chart = BarChart {
        title: format!("Echo requests per second, {REQUEST}-byte requests"),
        y_label: "requests per second".into(),
        groups: CLIENTS.iter().map(|&n| clients(n)).collect(),
        bars: rows
            .iter()
            .map(|row| {
                let values = match &row.loads {
                    Ok(loads) => loads.iter().map(|load| Some(load.rate())).collect(),
                    Err(_) => vec![None; CLIENTS.len()],
                };
                (row.model.label().to_owned(), values)
            })
            .collect(),
        log_y: false,
        note: machine.note(),
    };
    let window = rows
        .iter()
        .find_map(|row| row.loads.as_ref().ok().map(|loads| loads[0].window))
        .unwrap_or_default();
    let markdown = format!(
        "Measured on {machine}: each client sends {REQUEST}-byte requests and waits for each echo, \
{SESSION} to a connection, for {window:?} after a warm-up; one load thread drives every server.\n\n\
{throughput}\nRound trip: median, 99th percentile, and the slowest one:\n\n{latency}\n\
CPU used while loading, in cores (1.00 is one core busy all the time), by the load thread and by \
the server process:\n\n{cpu}",
        machine = machine.describe(),
        throughput = throughput.markdown(),
        latency = latency.markdown(),
        cpu = cpu.markdown(),
    );
    Section {
        name: "servers",
        lesson: "lessons/08-socketserver-like.md",
        markdown,
        plot: Some(Plot {
            file: "bench-servers.svg",
            title: chart.title.clone(),
            svg: chart.to_svg(),
        }),
    }
}
