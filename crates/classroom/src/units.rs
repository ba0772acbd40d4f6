//! Numbers as a person reads them: `10,000` connections, `9.8 µs`.

use std::time::Duration;

/// `1000` → `1,000`.
///
/// ```
/// assert_eq!(classroom::units::thousands(10_000), "10,000");
/// ```
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A short time with three significant digits at most: `9.8 µs`,
/// `1.32 ms`, `2.50 s`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(classroom::units::time(Duration::from_nanos(9_800)), "9.8 µs");
/// assert_eq!(classroom::units::time(Duration::from_micros(1_320)), "1.32 ms");
/// ```
pub fn time(time: Duration) -> String {
    let micros = time.as_secs_f64() * 1e6;
    if micros < 1000.0 {
        format!("{micros:.1} µs")
    } else if micros < 1e6 {
        format!("{:.2} ms", micros / 1000.0)
    } else {
        format!("{:.2} s", micros / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(10), "10");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn times_pick_their_unit() {
        assert_eq!(time(Duration::from_nanos(9_840)), "9.8 µs");
        assert_eq!(time(Duration::from_micros(999)), "999.0 µs");
        assert_eq!(time(Duration::from_micros(1_560)), "1.56 ms");
        assert_eq!(time(Duration::from_millis(2_500)), "2.50 s");
    }
}
