//! Comparison 2 (lesson 07): one round trip while N idle connections are
//! open, for `select`, `poll` and `epoll`, N from 10 to 10,000.
//!
//! The measurement is lesson 07's `demo scaling`
//! ([`select_multiplex::scaling::medians`]), with more points and more
//! round trips per point.

use std::io;
use std::time::Duration;

use classroom::units;
use select_multiplex::limit::raise_open_files;
use select_multiplex::multiplex::Kind;
use select_multiplex::scaling::{descriptors_for, medians};

use crate::Size;
use crate::machine::Machine;
use crate::plot::{LineChart, Series};
use crate::report::{Plot, Section, Table};
use crate::stats::ratio;

/// The three waits, in the table's column order.
pub const KINDS: [Kind; 3] = [Kind::Select, Kind::Poll, Kind::Epoll];

/// One row: N, and each wait's median round trip (`None`: it cannot
/// watch that many, as `select` past descriptor 1023).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Idle connections open.
    pub idle: usize,
    /// The median round trip per entry of [`KINDS`].
    pub medians: [Option<Duration>; 3],
}

/// Measure every N of `size.idle` the descriptor limit allows; the
/// limits are returned too, for the table to say.
pub fn measure(size: &Size) -> io::Result<(Vec<Point>, String)> {
    let largest = size.idle.iter().copied().max().unwrap_or(0);
    let (soft, limits) = raise_open_files(descriptors_for(largest))?;
    let mut points = Vec::new();
    for &idle in size.idle {
        if soft < descriptors_for(idle) {
            continue; // the hard limit forbids it; the table says which rows ran
        }
        let medians = medians(idle, size.rounds)?; // in the order of KINDS
        points.push(Point { idle, medians });
    }
    Ok((points, limits))
}

/// The comparison as lesson 07 shows it.
pub fn section(points: &[Point], limits: &str, rounds: usize, machine: &Machine) -> Section {
    let mut table = Table::new(["idle connections", "select", "poll", "epoll"]);
    let show = |d: Option<Duration>, first: Option<Duration>| match d {
        Some(d) => format!(
            "{} ({})",
            units::time(d),
            ratio(d.as_secs_f64(), first.map(|f| f.as_secs_f64()))
        ),
        None => "n/a".to_owned(),
    };
    let first = points.first().map(|p| p.medians);
    for point in points {
        let mut cells = vec![units::thousands(point.idle as u64)];
        for (i, median) in point.medians.iter().enumerate() {
            cells.push(show(*median, first.and_then(|f| f[i])));
        }
        table.row(cells);
    }
    let chart = LineChart {
        title: "One round trip beside N idle connections (median)".into(),
        x_label: "idle connections".into(),
        y_label: "microseconds".into(),
        log_x: true,
        log_y: true,
        series: KINDS
            .iter()
            .enumerate()
            .map(|(i, kind)| Series {
                name: kind.call().into(),
                points: points
                    .iter()
                    .filter_map(|p| p.medians[i].map(|d| (p.idle as f64, d.as_secs_f64() * 1e6)))
                    .collect(),
            })
            .collect(),
        note: machine.note(),
    };
    let markdown = format!(
        "Measured on {}, median of {} round trips per cell ({limits}); in brackets, the cost \
against the first row.\n\n{}",
        machine.describe(),
        units::thousands(rounds as u64),
        table.markdown()
    );
    Section {
        name: "scale",
        lesson: "lessons/07-select-multiplex.md",
        markdown,
        plot: Some(Plot {
            file: "bench-scale.svg",
            title: chart.title.clone(),
            svg: chart.to_svg(),
        }),
    }
}
