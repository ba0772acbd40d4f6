//! The command line: `bench run` for people, and the child processes a
//! comparison starts (`serve`, `receive`, `send`).

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bench::machine::Machine;
use bench::report::{Section, update_lesson};
use bench::servers::Model;
use bench::transfer::Way;
use bench::{Size, build_cost, framing, scale, servers, transfer};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "bench",
    about = "Measure what the lessons compare; scripts/bench.sh runs it"
)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Run comparisons, print their tables, and with --write put tables and
    /// plots into the lessons.
    Run {
        /// Which comparisons (all when none is named).
        comparisons: Vec<Comparison>,
        /// Shorter runs and a 256 MiB file: every table in about a minute.
        #[arg(long, conflicts_with = "tiny")]
        quick: bool,
        /// The smallest sizes, for checking that the bench works at all.
        #[arg(long)]
        tiny: bool,
        /// Write the tables into the lessons under this repository root,
        /// and the plots into its lessons/img/.
        #[arg(long, value_name = "ROOT")]
        write: Option<PathBuf>,
    },
    /// Load any echo server with the servers comparison's client, e.g. one
    /// of `cargo run -p select_multiplex -- server epoll`.
    Load {
        /// The echo server's address, HOST:PORT.
        addr: SocketAddr,
        /// How many clients at once.
        #[arg(long, default_value_t = 10)]
        clients: usize,
        /// How many seconds to measure (after a 0.5 s warm-up).
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
    /// A child process: one echo server, until killed.
    #[command(hide = true)]
    Serve { model: Model },
    /// A child process: receive one file of SIZE bytes into DIR.
    #[command(hide = true)]
    Receive { way: Way, dir: PathBuf, size: u64 },
    /// A child process: send FILE to ADDR.
    #[command(hide = true)]
    Send {
        way: Way,
        addr: SocketAddr,
        file: PathBuf,
    },
}

/// The comparisons, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Comparison {
    /// Echo servers: sequential, threads, pool, select, poll, epoll, tokio, Python.
    Servers,
    /// One round trip beside 10 … 10,000 idle connections.
    Scale,
    /// A big file: framed, plain copy, document-style Python.
    Transfer,
    /// Messages per second for ack, ready and length framing.
    Framing,
    /// Cold build of the workspace against its dependencies alone.
    Build,
}

pub fn main() -> ExitCode {
    classroom::cli::quiet_on_closed_pipe();
    let outcome = match Cli::parse().command {
        Commands::Run {
            comparisons,
            quick,
            tiny,
            write,
        } => {
            let size = if tiny {
                Size::TINY
            } else if quick {
                Size::QUICK
            } else {
                Size::FULL
            };
            run(&comparisons, &size, write.as_deref())
        }
        Commands::Load {
            addr,
            clients,
            seconds,
        } => load(addr, clients, seconds),
        Commands::Serve { model } => servers::serve(model),
        Commands::Receive { way, dir, size } => transfer::receive(way, &dir, size),
        Commands::Send { way, addr, file } => transfer::send(way, addr, &file),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Run `comparisons` (all if empty) at `size`; print each section, and
/// write it into the lessons under `root` if given.
fn run(comparisons: &[Comparison], size: &Size, root: Option<&Path>) -> io::Result<()> {
    let all = Comparison::value_variants();
    let chosen = if comparisons.is_empty() {
        all
    } else {
        comparisons
    };
    let machine = Machine::this();
    let bench = std::env::current_exe()?;
    let scratch = std::env::temp_dir().join(format!("socket-lessons-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    println!("# Measured on {}\n", machine.describe());
    let started = Instant::now();
    for comparison in all.iter().filter(|c| chosen.contains(c)) {
        let section = measure(*comparison, size, &machine, &bench, &scratch)?;
        println!("## {}\n\n{}", section.name, section.markdown);
        if let Some(root) = root {
            update_lesson(root, &section)?;
        }
    }
    std::fs::remove_dir_all(&scratch)?;
    println!("(all of it took {:.0} s)", started.elapsed().as_secs_f64());
    Ok(())
}

/// `bench load`: one load run, printed in one line.
fn load(addr: SocketAddr, clients: usize, seconds: f64) -> io::Result<()> {
    let window = Duration::try_from_secs_f64(seconds)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("--seconds: {e}")))?;
    let load = servers::load(addr, clients, Duration::from_millis(500), window)?;
    let p = |q| {
        load.latencies
            .percentile(q)
            .map_or("n/a".into(), classroom::units::time)
    };
    println!(
        "{clients} clients: {} requests, {}, p50 {}, p99 {}, load thread {:.2} cores",
        load.requests,
        bench::stats::rate(load.rate()),
        p(50.0),
        p(99.0),
        load.client_cores
    );
    Ok(())
}

fn measure(
    comparison: Comparison,
    size: &Size,
    machine: &Machine,
    bench: &Path,
    scratch: &Path,
) -> io::Result<Section> {
    Ok(match comparison {
        Comparison::Servers => {
            servers::section(&servers::measure(bench, size, &Model::ALL), machine)
        }
        Comparison::Scale => {
            let (points, limits) = scale::measure(size)?;
            scale::section(&points, &limits, size.rounds, machine)
        }
        Comparison::Transfer => {
            let transfers = transfer::measure(bench, size, scratch)?;
            transfer::section(&transfers, size.transfer_runs, machine)
        }
        Comparison::Framing => framing::section(&framing::measure(size)?, machine),
        Comparison::Build => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
            let runs = if *size == Size::FULL { 2 } else { 1 };
            let (bare, workspace) = build_cost::measure(&root, runs, scratch)?;
            build_cost::section(bare, workspace, runs, machine)
        }
    })
}
