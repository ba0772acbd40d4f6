//! Which machine a number was measured on: every table and plot says so.

use std::fs;

/// The facts that change a benchmark's numbers the most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// Cores this process may run on.
    pub cores: usize,
    /// The CPU's model name, where the OS tells it.
    pub cpu: Option<String>,
    /// The kernel release, where the OS tells it.
    pub kernel: Option<String>,
}

impl Machine {
    /// The machine this process runs on.
    pub fn this() -> Machine {
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu: cpu_model(),
            kernel: fs::read_to_string("/proc/sys/kernel/osrelease")
                .ok()
                .map(|release| release.trim().to_owned()),
        }
    }

    /// `2 cores (AMD EPYC 7B13), Linux 6.1.0`.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} core{}",
            self.cores,
            if self.cores == 1 { "" } else { "s" }
        );
        if let Some(cpu) = &self.cpu {
            text.push_str(&format!(" ({cpu})"));
        }
        if let Some(kernel) = &self.kernel {
            text.push_str(&format!(", Linux {kernel}"));
        }
        text
    }

    /// The footnote under a plot.
    pub fn note(&self) -> String {
        format!("one run on {}; scripts/bench.sh", self.describe())
    }
}

/// `model name : …` from /proc/cpuinfo.
fn cpu_model() -> Option<String> {
    let info = fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map(|(_, name)| name.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_cores_in_words() {
        let one = Machine {
            cores: 1,
            cpu: None,
            kernel: None,
        };
        assert_eq!(one.describe(), "1 core");
        let two = Machine {
            cores: 2,
            cpu: Some("Test CPU".into()),
            kernel: Some("6.1.0".into()),
        };
        assert_eq!(two.describe(), "2 cores (Test CPU), Linux 6.1.0");
        assert!(two.note().contains("scripts/bench.sh"));
    }
}
