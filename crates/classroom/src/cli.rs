//! The command-line contract every lesson crate follows.
//!
//! ```text
//! <crate>                      same as `<crate> demo`: the headline demo
//! <crate> demo [STEP]          both roles in one process, narrated
//! <crate> demo --list          the steps, one line each, in lesson order
//! <crate> demo all             every step in order
//! <crate> server [STEP] [--host 127.0.0.1] [--port N]
//! <crate> client [STEP] [--host 127.0.0.1] [--port N] [MESSAGE...]
//! <crate> compare [PAIR]       a broken step beside its fix, both run
//! ```
//!
//! A lesson crate describes its steps as a `clap::ValueEnum` and implements
//! [`Lesson`] for it; its `main` is then one call to [`run`].

use std::fmt::Debug;
use std::io::{self, BufRead, IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, ToSocketAddrs, UdpSocket};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::errors;
use crate::output::heading;

/// Where a server binds or a client connects: `--host` and `--port`.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Host to bind (server) or connect to (client). Binding anything but a
    /// loopback address makes the server reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port. Defaults to the port the document uses for this step; the server
    /// takes 0 to let the OS pick a free one.
    #[arg(long)]
    pub port: Option<u16>,
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint {
            host: "127.0.0.1".into(),
            port: None,
        }
    }
}

impl Endpoint {
    /// The address this endpoint names, with `default_port` when no `--port`
    /// was given. IPv4 is preferred when a name resolves to both families.
    pub fn addr(&self, default_port: u16) -> io::Result<SocketAddr> {
        let port = self.port.unwrap_or(default_port);
        let all: Vec<SocketAddr> = (self.host.as_str(), port).to_socket_addrs()?.collect();
        all.iter()
            .find(|a| a.is_ipv4())
            .or(all.first())
            .copied()
            .ok_or_else(|| io::Error::other(format!("{} resolves to no address", self.host)))
    }
}

/// The warning for binding an address other machines can reach.
pub fn exposure_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback()).then(|| {
        format!("warning: binding {ip} lets other machines on your network connect to this server")
    })
}

/// The loopback address with the OS choosing the port: what demos bind.
pub fn ephemeral() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

/// The first line a TCP server prints: `listening on HOST:PORT`.
pub fn listening_line(addr: SocketAddr) -> String {
    format!("listening on {addr}")
}

/// The first line a UDP server prints: `bound to HOST:PORT`.
pub fn bound_line(addr: SocketAddr) -> String {
    format!("bound to {addr}")
}

/// Print [`listening_line`] for `listener`: a server's first line of output,
/// which scripts, tests and other programs read to find the port. A warning
/// follows (on stderr) when the address is reachable from other machines.
pub fn announce_listening(listener: &TcpListener) -> io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    crate::output::line(&listening_line(addr));
    warn_if_exposed(addr);
    Ok(addr)
}

/// Print [`bound_line`] for a UDP socket, then any exposure warning.
pub fn announce_bound(socket: &UdpSocket) -> io::Result<SocketAddr> {
    let addr = socket.local_addr()?;
    crate::output::line(&bound_line(addr));
    warn_if_exposed(addr);
    Ok(addr)
}

fn warn_if_exposed(addr: SocketAddr) {
    if let Some(warning) = exposure_warning(addr.ip()) {
        eprintln!("{warning}");
    }
}

/// The lines a client sends: its MESSAGE arguments if it was given any,
/// otherwise lines read from stdin (with a `>>> ` prompt when stdin is a
/// terminal, as the documents' `input(">>>")` loops do) until end of input.
/// Stopping at `q` is the caller's business: the documents send the `q` to
/// the peer before they stop.
pub fn input_lines(messages: &[String]) -> Box<dyn Iterator<Item = String> + '_> {
    if !messages.is_empty() {
        return Box::new(messages.iter().cloned());
    }
    let stdin = io::stdin();
    let prompt = stdin.is_terminal();
    Box::new(std::iter::from_fn(move || {
        if prompt {
            let mut out = io::stdout().lock();
            let _ = write!(out, ">>> ").and_then(|()| out.flush());
        }
        let mut line = Vec::new();
        match stdin.lock().read_until(b'\n', &mut line) {
            Ok(0) => None,
            Ok(_) => Some(text_line(&line)),
            Err(e) => {
                eprintln!("stopped reading input: {e}");
                None
            }
        }
    }))
}

/// One line of input as text, without its line ending. A line that is not
/// UTF-8 (a terminal set to GBK, say) is not dropped: its bad bytes become
/// U+FFFD, and a warning says so.
fn text_line(line: &[u8]) -> String {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match std::str::from_utf8(line) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            eprintln!(
                "warning: that line is not UTF-8 (is the terminal set to another encoding?); \
                 its undecodable bytes are sent as U+FFFD"
            );
            String::from_utf8_lossy(line).into_owned()
        }
    }
}

/// A lesson's steps, and what each does as a demo, a server and a client.
pub trait Lesson: ValueEnum + Copy + Debug + PartialEq + Send + Sync + 'static {
    /// The crate's name, as typed after `cargo run -p`.
    const NAME: &'static str;
    /// One line: what this lesson shows.
    const ABOUT: &'static str;
    /// A paragraph for `--help`: the lesson file and the documents it follows.
    const LONG_ABOUT: &'static str;
    /// The step `demo` runs when none is named.
    const HEADLINE: Self;
    /// The pseudo-step `all`.
    const ALL: Self;
    /// The broken/fixed pairs `compare` shows, in lesson order.
    const PAIRS: &'static [crate::compare::Pair<Self>] = &[];

    /// Run the step with both roles in this process.
    fn demo(self) -> io::Result<()>;

    /// Run the step's server role. Steps without one say so.
    fn server(self, at: &Endpoint) -> io::Result<()> {
        let _ = at;
        Err(no_role(self, "server"))
    }

    /// Run the step's client role with `messages` (or stdin when empty).
    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        let _ = (at, messages);
        Err(no_role(self, "client"))
    }
}

/// The error for a step that has no server or client role.
pub fn no_role<L: Lesson>(step: L, role: &str) -> io::Error {
    let name = step_name(step);
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "step {name} has no {role} role; run `cargo run -p {} -- demo {name}` instead",
            L::NAME
        ),
    )
}

/// Refuse MESSAGE arguments for a client step that sends none of its own,
/// rather than ignoring them silently.
///
/// ```
/// assert!(classroom::cli::no_messages("http", &[]).is_ok());
/// assert!(classroom::cli::no_messages("http", &["hi".into()]).is_err());
/// ```
pub fn no_messages(step: &str, messages: &[String]) -> io::Result<()> {
    if messages.is_empty() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`client {step}` sends no message of its own; drop the MESSAGE arguments"),
        ))
    }
}

/// The name a step is typed as.
pub fn step_name<L: Lesson>(step: L) -> String {
    step.to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_else(|| format!("{step:?}"))
}

/// The steps in lesson order, without `all`.
pub fn steps<L: Lesson>() -> impl Iterator<Item = L> {
    L::value_variants().iter().copied().filter(|s| *s != L::ALL)
}

/// `demo --list`: one line per step, name and what it shows.
pub fn step_list<L: Lesson>() -> String {
    let width = steps::<L>().map(|s| step_name(s).len()).max().unwrap_or(0);
    steps::<L>()
        .map(|s| {
            let help = s
                .to_possible_value()
                .and_then(|v| v.get_help().map(|h| h.to_string()))
                .unwrap_or_default();
            format!("{:width$}  {help}\n", step_name(s))
        })
        .collect()
}

/// The options a lesson adds to `server` or `client` when it has none: the
/// default for [`run_with`].
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct NoOptions {}

#[derive(Parser, Debug)]
struct Cli<L: Lesson, S: Args + Debug, C: Args + Debug> {
    #[command(subcommand)]
    command: Option<Command<L, S, C>>,
}

#[derive(Subcommand, Debug)]
enum Command<L: Lesson, S: Args + Debug, C: Args + Debug> {
    /// Run one step with the server and the client in this process, narrated.
    Demo {
        /// The step to run (default: the headline step; `all` runs every step).
        step: Option<L>,
        /// List the steps in lesson order.
        #[arg(long, conflicts_with = "step")]
        list: bool,
    },
    /// Show a broken step's code beside its fix, run both, and say what each did.
    Compare {
        /// The pair to compare (default: every pair of this lesson).
        pair: Option<String>,
        /// List the pairs.
        #[arg(long, conflicts_with = "pair")]
        list: bool,
    },
    /// Run a step's server, for following the lesson in two terminals.
    Server {
        /// The step whose server to run (default: the headline step).
        step: Option<L>,
        #[command(flatten)]
        at: Endpoint,
        /// How long one client may hold a connection, in seconds, from
        /// accept to close (default 30; a step where a person types waits
        /// 10 minutes between lines instead).
        #[arg(long, value_name = "SECS", value_parser = parse_patience)]
        patience: Option<std::time::Duration>,
        #[command(flatten)]
        options: S,
    },
    /// Run a step's client against a server started with `server`.
    Client {
        /// The step whose client to run (default: the headline step).
        step: Option<L>,
        #[command(flatten)]
        at: Endpoint,
        #[command(flatten)]
        options: C,
        /// Messages to send; without any, lines are read from stdin until EOF or `q`.
        messages: Vec<String>,
    },
}

/// End the program quietly when its output is piped into something that stops
/// reading (`demo all | head`), as `cat` and `ls` do, instead of panicking
/// on the next `println!`. Rust's runtime ignores SIGPIPE so that writes
/// fail with an error; this puts back the default action, which ends the
/// process. On other systems there is no SIGPIPE and nothing to do.
pub fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    #[allow(unsafe_code)]
    // SAFETY: called at the start of main, before any thread exists; setting
    // a signal's disposition to SIG_DFL installs no handler code of ours.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Parse the command line, run what it asks, print any error with its hint,
/// and return the exit code: 0 on success, 1 on a run-time error, 2 on a
/// usage error (clap's convention).
pub fn run<L: Lesson>() -> ExitCode {
    run_with::<L, NoOptions, NoOptions>(
        |step, at, _| step.server(at),
        |step, at, messages, _| step.client(at, messages),
    )
}

/// [`run`] for a lesson whose `server` and `client` take options of their
/// own (`S` and `C`, flattened into those subcommands): `server` and
/// `client` here receive them and replace [`Lesson::server`] and
/// [`Lesson::client`].
pub fn run_with<L, S, C>(
    server: impl FnOnce(L, &Endpoint, S) -> io::Result<()>,
    client: impl FnOnce(L, &Endpoint, &[String], C) -> io::Result<()>,
) -> ExitCode
where
    L: Lesson,
    S: Args + FromArgMatches + Debug,
    C: Args + FromArgMatches + Debug,
{
    quiet_on_closed_pipe();
    let command = Cli::<L, S, C>::command()
        .name(L::NAME)
        .bin_name(L::NAME)
        .about(L::ABOUT)
        .long_about(L::LONG_ABOUT);
    let cli = command
        .try_get_matches()
        .and_then(|m| Cli::<L, S, C>::from_arg_matches(&m));
    let cli = match cli {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match dispatch(cli.command, server, client) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", errors::explain(&e));
            ExitCode::FAILURE
        }
    }
}

fn dispatch<L: Lesson, S: Args + Debug, C: Args + Debug>(
    command: Option<Command<L, S, C>>,
    server: impl FnOnce(L, &Endpoint, S) -> io::Result<()>,
    client: impl FnOnce(L, &Endpoint, &[String], C) -> io::Result<()>,
) -> io::Result<()> {
    match command.unwrap_or(Command::Demo {
        step: None,
        list: false,
    }) {
        Command::Demo { list: true, .. } => {
            let _ = write!(io::stdout().lock(), "{}", step_list::<L>());
            Ok(())
        }
        Command::Demo { step, .. } => match step.unwrap_or(L::HEADLINE) {
            all if all == L::ALL => demo_all::<L>(),
            step => step.demo(),
        },
        Command::Compare { list: true, .. } => {
            let _ = write!(io::stdout().lock(), "{}", crate::compare::pair_list::<L>());
            Ok(())
        }
        Command::Compare { pair, .. } => crate::compare::compare::<L>(pair.as_deref()),
        Command::Server {
            step,
            at,
            patience,
            options,
        } => {
            if let Some(patience) = patience {
                crate::tcp::set_patience(patience);
            }
            server(one_step(step)?, &at, options)
        }
        Command::Client {
            step,
            at,
            options,
            messages,
        } => client(one_step(step)?, &at, &messages, options),
    }
}

fn parse_patience(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(std::time::Duration::from_secs_f64(secs)),
        _ => Err(format!(
            "`{text}` is not a number of seconds from 0.001 to 86400"
        )),
    }
}

fn one_step<L: Lesson>(step: Option<L>) -> io::Result<L> {
    match step.unwrap_or(L::HEADLINE) {
        all if all == L::ALL => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "`all` is for demo only: a server or client runs one step",
        )),
        step => Ok(step),
    }
}

fn demo_all<L: Lesson>() -> io::Result<()> {
    for (i, step) in steps::<L>().enumerate() {
        if i > 0 {
            crate::output::line("");
        }
        heading(format!("{} demo {}", L::NAME, step_name(step)));
        step.demo()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
    enum Step {
        /// the first step
        Hello,
        /// a longer-named step
        ServerFirst,
        /// every step
        All,
    }

    impl Lesson for Step {
        const NAME: &'static str = "example";
        const ABOUT: &'static str = "an example";
        const LONG_ABOUT: &'static str = "an example lesson";
        const HEADLINE: Self = Step::Hello;
        const ALL: Self = Step::All;
        fn demo(self) -> io::Result<()> {
            Ok(())
        }
    }

    fn parse(args: &[&str]) -> Option<Command<Step, NoOptions, NoOptions>> {
        let argv = std::iter::once("example").chain(args.iter().copied());
        Cli::<Step, NoOptions, NoOptions>::try_parse_from(argv)
            .unwrap()
            .command
    }

    /// A lesson's own option, for its server only.
    #[derive(Args, Debug, PartialEq)]
    struct Folder {
        #[arg(long, default_value = "files")]
        dir: String,
    }

    #[test]
    fn a_lessons_own_options_reach_its_server() {
        let argv = [
            "example",
            "server",
            "--dir",
            "up",
            "--port",
            "0",
            "--patience",
            "0.5",
        ];
        let cli = Cli::<Step, Folder, NoOptions>::try_parse_from(argv).unwrap();
        let Some(Command::Server {
            options,
            at,
            patience,
            ..
        }) = cli.command
        else {
            panic!("not a server command");
        };
        assert_eq!((options.dir.as_str(), at.port), ("up", Some(0)));
        assert_eq!(patience, Some(std::time::Duration::from_millis(500)));
        let argv = ["example", "server", "--patience", "-1"];
        assert!(Cli::<Step, Folder, NoOptions>::try_parse_from(argv).is_err());
        let argv = ["example", "client", "--dir", "up"];
        assert!(Cli::<Step, Folder, NoOptions>::try_parse_from(argv).is_err());
    }

    #[test]
    fn no_subcommand_means_the_headline_demo() {
        assert!(parse(&[]).is_none());
    }

    #[test]
    fn client_takes_messages_and_endpoint_options_in_any_order() {
        let Some(Command::Client {
            step, at, messages, ..
        }) = parse(&["client", "hello", "a", "--port", "9", "b"])
        else {
            panic!("not a client command");
        };
        assert_eq!(step, Some(Step::Hello));
        assert_eq!(at.port, Some(9));
        assert_eq!(messages, ["a", "b"]);
    }

    #[test]
    fn list_names_every_step_but_all_in_order() {
        assert_eq!(
            step_list::<Step>(),
            "hello         the first step\nserver-first  a longer-named step\n"
        );
    }

    #[test]
    fn steps_without_a_role_say_which_demo_to_run() {
        let err = Step::ServerFirst.server(&Endpoint::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "step server-first has no server role; run `cargo run -p example -- demo server-first` instead"
        );
        assert!(one_step(Some(Step::All)).is_err());
    }

    #[test]
    fn endpoint_defaults_to_the_documents_port_on_loopback() {
        let at = Endpoint::default();
        assert_eq!(at.addr(8898).unwrap(), "127.0.0.1:8898".parse().unwrap());
        let at = Endpoint {
            port: Some(0),
            ..Endpoint::default()
        };
        assert_eq!(at.addr(8898).unwrap().port(), 0);
    }

    #[test]
    fn messages_given_as_arguments_are_the_input() {
        let lines: Vec<String> = input_lines(&["a".into(), "q".into()]).collect();
        assert_eq!(lines, ["a", "q"]);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_kept_not_dropped() {
        assert_eq!(text_line(b"hi\r\n"), "hi");
        // 你好 in GBK: kept as a line, its bytes replaced.
        assert_eq!(text_line(b"\xc4\xe3\xba\xc3\n"), "\u{fffd}".repeat(3));
        assert_eq!(text_line("你好".as_bytes()), "你好");
    }

    #[test]
    fn binding_beyond_loopback_warns() {
        assert!(exposure_warning("127.0.0.1".parse().unwrap()).is_none());
        assert!(exposure_warning("::1".parse().unwrap()).is_none());
        let warning = exposure_warning("0.0.0.0".parse().unwrap()).unwrap();
        assert!(warning.starts_with("warning: binding 0.0.0.0"));
    }
}
