//! The two-lane printer.
//!
//! A demo runs a server and a client in one process. Every line says whose it
//! is, `[server] …` or `[client] …`, and every send and receive is numbered per
//! side, so the output reads like two terminals side by side:
//!
//! ```text
//! [client] send #1: 6 bytes "hello!"
//! [server] recv #1: 6 bytes "hello!"
//! ```
//!
//! Colour is used only when standard output is a terminal and `NO_COLOR` is
//! unset or empty (<https://no-color.org>). Each line is written while
//! holding the stdout lock, so lines from the two roles never interleave
//! mid-line. *Which* line comes first is up to
//! the demo: it synchronises its roles so the order is the same every run.

use std::cell::Cell;
use std::ffi::OsString;
use std::fmt::{self, Display};
use std::io::IsTerminal;
use std::sync::OnceLock;

use crate::bytes;

/// Which role a line belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// The side that binds, listens and accepts.
    Server,
    /// The side that connects.
    Client,
}

impl Lane {
    /// The label printed in brackets.
    pub fn label(self) -> &'static str {
        match self {
            Lane::Server => "server",
            Lane::Client => "client",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Lane::Server => CYAN,
            Lane::Client => YELLOW,
        }
    }
}

impl Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Whether to colour output, given the value of `NO_COLOR` and whether
/// standard output is a terminal.
pub fn colour_wanted(no_color: Option<OsString>, stdout_is_terminal: bool) -> bool {
    stdout_is_terminal && no_color.is_none_or(|value| value.is_empty())
}

fn colour() -> bool {
    static COLOUR: OnceLock<bool> = OnceLock::new();
    *COLOUR.get_or_init(|| {
        colour_wanted(
            std::env::var_os("NO_COLOR"),
            std::io::stdout().is_terminal(),
        )
    })
}

/// One labelled line, `[server] text`, coloured or not.
pub fn lane_line(lane: Lane, text: &str, colour: bool) -> String {
    labelled(lane, lane.label(), text, colour)
}

fn labelled(lane: Lane, label: &str, text: &str, colour: bool) -> String {
    if colour {
        format!("{}[{label}]{RESET} {text}", lane.colour())
    } else {
        format!("[{label}] {text}")
    }
}

/// Write one line to stdout. (A closed stdout, the output piped into `head`,
/// ends the program quietly: see [`crate::cli::quiet_on_closed_pipe`].)
pub fn line(text: &str) {
    println!("{text}");
}

/// Print a narration line: what just happened and why, in one sentence.
pub fn narrate(text: impl Display) {
    if colour() {
        line(&format!("{BOLD}* {text}{RESET}"));
    } else {
        line(&format!("* {text}"));
    }
}

/// Print a heading, used between the steps of `demo all`.
pub fn heading(text: impl Display) {
    if colour() {
        line(&format!("{BOLD}== {text} =={RESET}"));
    } else {
        line(&format!("== {text} =="));
    }
}

/// One side of a conversation: prints its lines and numbers its sends and
/// receives. Lesson code meets it inside [`crate::Traced`], which calls
/// [`Side::sent`] and [`Side::received`] once per system call.
#[derive(Debug)]
pub struct Side {
    lane: Lane,
    label: String,
    sends: Cell<u32>,
    recvs: Cell<u32>,
    quiet: Cell<bool>,
}

impl Side {
    /// The server's lane.
    pub fn server() -> Self {
        Side::new(Lane::Server)
    }

    /// The client's lane.
    pub fn client() -> Self {
        Side::new(Lane::Client)
    }

    /// Client number `n` when a demo runs several: `[client 2] …`.
    pub fn nth_client(n: u32) -> Self {
        Side {
            label: format!("client {n}"),
            ..Side::client()
        }
    }

    /// A lane with both counters at zero.
    pub fn new(lane: Lane) -> Self {
        Side {
            lane,
            label: lane.label().to_owned(),
            sends: Cell::new(0),
            recvs: Cell::new(0),
            quiet: Cell::new(false),
        }
    }

    /// A side that counts but prints nothing: for a load test or a
    /// benchmark driving the lesson's own code with thousands of clients.
    pub fn quiet() -> Self {
        let side = Side::server();
        side.quiet.set(true);
        side
    }

    /// Which lane this side prints in.
    pub fn lane(&self) -> Lane {
        self.lane
    }

    /// Stop (`false`) or resume (`true`) printing; the counts go on, so a
    /// `recv #N` after a quiet stretch still says which system call it is.
    pub fn set_printing(&self, printing: bool) {
        self.quiet.set(!printing);
    }

    /// How many sends and receives this side has made, printed or not.
    pub fn counts(&self) -> (u32, u32) {
        (self.sends.get(), self.recvs.get())
    }

    /// Print a free-form line in this lane.
    pub fn say(&self, text: impl Display) {
        if self.quiet.get() {
            return;
        }
        line(&labelled(
            self.lane,
            &self.label,
            &text.to_string(),
            colour(),
        ));
    }

    /// Print `send #N: COUNT bytes BYTES` for bytes offered to one send call.
    pub fn sent(&self, data: &[u8]) {
        self.sends.set(self.sends.get() + 1);
        if self.quiet.get() {
            return;
        }
        self.say(format!("send #{}: {}", self.sends.get(), describe(data)));
    }

    /// After a send call: if the kernel took fewer bytes than were offered,
    /// say how many it took.
    pub fn took(&self, taken: usize, offered: usize) {
        if taken < offered {
            self.say(format!(
                "  the kernel took {taken} of those {offered} bytes"
            ));
        }
    }

    /// Print `recv #N: COUNT bytes BYTES` for bytes one receive call
    /// returned, or the end-of-stream line when it returned none.
    pub fn received(&self, data: &[u8]) {
        self.recvs.set(self.recvs.get() + 1);
        if self.quiet.get() {
            return;
        }
        self.say(format!("recv #{}: {}", self.recvs.get(), describe(data)));
    }

    /// Print a TCP read that returned 0 bytes: the peer closed its side.
    pub fn eof(&self) {
        self.recvs.set(self.recvs.get() + 1);
        self.say(format!(
            "recv #{}: 0 bytes (EOF: the peer closed its side)",
            self.recvs.get()
        ));
    }
}

/// `6 bytes "hello!"`: a count and the bytes, the way every send and receive
/// is shown.
pub fn describe(data: &[u8]) -> String {
    let unit = if data.len() == 1 { "byte" } else { "bytes" };
    format!("{} {unit} {}", data.len(), bytes::show(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_labelled_by_lane() {
        assert_eq!(lane_line(Lane::Server, "hi", false), "[server] hi");
        assert_eq!(lane_line(Lane::Client, "hi", false), "[client] hi");
    }

    #[test]
    fn several_clients_are_numbered() {
        assert_eq!(Side::nth_client(2).label, "client 2");
        assert_eq!(Side::nth_client(2).lane(), Lane::Client);
    }

    #[test]
    fn colour_wraps_only_the_label() {
        let line = lane_line(Lane::Server, "hi", true);
        assert_eq!(line, "\x1b[36m[server]\x1b[0m hi");
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour_wanted(None, true));
        assert!(!colour_wanted(None, false));
        assert!(!colour_wanted(Some("1".into()), true));
        // NO_COLOR set but empty counts as unset.
        assert!(colour_wanted(Some("".into()), true));
    }

    #[test]
    fn sends_and_receives_count_bytes() {
        assert_eq!(describe(b"hello!"), "6 bytes \"hello!\"");
        assert_eq!(describe(b"x"), "1 byte \"x\"");
        assert_eq!(describe("翔".as_bytes()), "3 bytes \"翔\"");
    }

    #[test]
    fn a_quiet_side_counts_without_printing() {
        let side = Side::quiet();
        side.sent(b"a");
        side.received(b"b");
        assert_eq!(side.counts(), (1, 1));
    }

    #[test]
    fn each_side_numbers_its_own_sends_and_receives() {
        let side = Side::client();
        side.sent(b"a");
        side.sent(b"b");
        side.received(b"c");
        side.eof();
        assert_eq!(side.counts(), (2, 2));
    }
}
