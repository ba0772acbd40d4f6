//! The measurements behind the lessons' tables and plots.
//!
//! `scripts/bench.sh` runs them all; each module is one comparison and
//! returns a [`Section`](report::Section): a markdown table, the SVG plot
//! drawn from the same numbers, and the lesson it belongs to.
//!
//! | comparison | module | lesson |
//! |---|---|---|
//! | server models, one echo workload | [`servers`] | 08 |
//! | one round trip beside N idle connections | [`scale`] | 07 |
//! | a 1 GiB file: framed, plain, document-style Python | [`transfer`] | 05 |
//! | messages per second for `ack`, `ready`, `length` | [`framing`] | 05 |
//! | cold build of the workspace against its bare dependencies | [`build_cost`] | README |
//!
//! Nothing here is a test with a time limit: CI runs each comparison at a
//! tiny size (`tests/`) to check that it measures what it says, and the
//! numbers come only from `scripts/bench.sh` on a quiet machine.
#![warn(missing_docs)]

pub mod build_cost;
pub mod machine;
pub mod plot;
pub mod python;
pub mod report;
pub mod stats;

#[cfg(target_os = "linux")]
pub mod child;
#[cfg(target_os = "linux")]
pub mod framing;
#[cfg(target_os = "linux")]
pub mod scale;
#[cfg(target_os = "linux")]
pub mod servers;
#[cfg(target_os = "linux")]
pub mod transfer;

use std::time::Duration;

/// How long and how big each comparison runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Load per server-model cell, after [`Size::warmup`].
    pub measure: Duration,
    /// Load per cell that is not counted (connections, caches, thread stacks).
    pub warmup: Duration,
    /// Idle-connection counts for the multiplexing curve.
    pub idle: &'static [usize],
    /// Round trips per point of that curve (the median is kept).
    pub rounds: usize,
    /// Bytes in the transferred file.
    pub file: u64,
    /// Runs of each transfer (the fastest is kept).
    pub transfer_runs: usize,
    /// Messages per framing measurement.
    pub messages: u32,
}

impl Size {
    /// `scripts/bench.sh`: the numbers the lessons show (about 3 minutes on
    /// 2 cores, once the bench is built).
    pub const FULL: Size = Size {
        measure: Duration::from_secs(3),
        warmup: Duration::from_millis(500),
        idle: &[10, 30, 100, 300, 1_000, 3_000, 10_000],
        rounds: 2_000,
        file: 1 << 30,
        transfer_runs: 3,
        messages: 20_000,
    };

    /// `scripts/bench.sh --quick`: every table, in about a minute.
    pub const QUICK: Size = Size {
        measure: Duration::from_millis(800),
        warmup: Duration::from_millis(200),
        idle: &[10, 100, 1_000, 10_000],
        rounds: 300,
        file: 256 << 20,
        transfer_runs: 3,
        messages: 5_000,
    };

    /// The tests: each comparison end to end, as small as still means
    /// something. The file is still larger than the 32 MiB that bounds a
    /// transfer's memory, so the tests can check that bound.
    pub const TINY: Size = Size {
        measure: Duration::from_millis(100),
        warmup: Duration::from_millis(20),
        idle: &[10, 100],
        rounds: 20,
        file: 40 << 20,
        transfer_runs: 1,
        messages: 200,
    };
}
