//! Turning samples into the few numbers a table shows.

use std::time::Duration;

use classroom::units;

/// Latencies of one measurement, sorted once so percentiles are lookups.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    sorted: Vec<Duration>,
}

impl Latencies {
    /// Collect `samples`, in any order.
    pub fn new(mut samples: Vec<Duration>) -> Latencies {
        samples.sort_unstable();
        Latencies { sorted: samples }
    }

    /// How many samples there are.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The `p`-th percentile (0 to 100) by the nearest-rank method, or
    /// `None` with no samples.
    ///
    /// ```
    /// use std::time::Duration;
    /// use bench::stats::Latencies;
    ///
    /// let ms = |n| Duration::from_millis(n);
    /// let l = Latencies::new((1..=100).rev().map(ms).collect());
    /// assert_eq!(l.percentile(50.0), Some(ms(50)));
    /// assert_eq!(l.percentile(99.0), Some(ms(99)));
    /// assert_eq!(l.percentile(100.0), Some(ms(100)));
    /// assert_eq!(Latencies::default().percentile(50.0), None);
    /// ```
    pub fn percentile(&self, p: f64) -> Option<Duration> {
        let n = self.sorted.len();
        if n == 0 {
            return None;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        Some(self.sorted[rank.clamp(1, n) - 1])
    }
}

/// `182,345/s`.
pub fn per_second(count: u64, elapsed: Duration) -> f64 {
    if elapsed.is_zero() {
        return 0.0;
    }
    count as f64 / elapsed.as_secs_f64()
}

/// A rate for a table: `182,345/s`.
pub fn rate(per_second: f64) -> String {
    format!("{}/s", units::thousands(per_second.round() as u64))
}

/// Bytes per second as `1.23 GB/s` or `456 MB/s` (decimal units, as
/// network speeds are given).
pub fn throughput(bytes_per_second: f64) -> String {
    if bytes_per_second >= 1e9 {
        format!("{:.2} GB/s", bytes_per_second / 1e9)
    } else {
        format!("{:.0} MB/s", bytes_per_second / 1e6)
    }
}

/// `a / b` as `×12.1`, or `n/a` when `b` is missing or zero.
pub fn ratio(a: f64, b: Option<f64>) -> String {
    match b {
        Some(b) if b > 0.0 => format!("×{:.2}", a / b),
        _ => "n/a".to_owned(),
    }
}

/// `1 KiB`, `32 MiB`, `1 GiB`: sizes of files and memory.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_ratios_read_as_in_the_lessons() {
        assert_eq!(
            rate(per_second(3_000, Duration::from_millis(500))),
            "6,000/s"
        );
        assert_eq!(ratio(25.0, Some(2.0)), "×12.50");
        assert_eq!(ratio(1.0, Some(0.0)), "n/a");
        assert_eq!(ratio(1.0, None), "n/a");
        assert_eq!(throughput(1.5e9), "1.50 GB/s");
        assert_eq!(throughput(250e6), "250 MB/s");
        assert_eq!(per_second(5, Duration::ZERO), 0.0);
    }

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(size(1 << 30), "1 GiB");
        assert_eq!(size(256 << 20), "256 MiB");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(12), "12 bytes");
    }

    #[test]
    fn one_sample_is_every_percentile() {
        let l = Latencies::new(vec![Duration::from_micros(7)]);
        assert_eq!(l.len(), 1);
        assert_eq!(l.percentile(0.0), Some(Duration::from_micros(7)));
        assert_eq!(l.percentile(99.0), Some(Duration::from_micros(7)));
    }
}
