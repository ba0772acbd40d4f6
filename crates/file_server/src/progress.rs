//! A progress bar for big transfers, on stderr, only when stderr is a
//! terminal: piped output, tests and demos stay the same every run.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Files from this size up get a bar.
pub const BAR_FROM: u64 = 1024 * 1024;

/// A bar for moving `total` bytes, hidden where it would not help. `done`
/// is where a resumed transfer starts.
pub fn bar(total: u64, done: u64) -> ProgressBar {
    if total < BAR_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let template = "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.set_position(done);
    bar
}
