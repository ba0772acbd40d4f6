//! `net_basics`: lesson 00's command line. Each tool lives in the library;
//! this file only parses the arguments and calls it.

use std::error::Error;
use std::io;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand, ValueEnum};
use classroom::Lesson;
use classroom::cli::step_list;
use net_basics::subnet::{self, Mask};
use net_basics::{ipv4, kind, layers, resolve};

#[derive(Parser, Debug)]
#[command(name = Step::NAME, about = Step::ABOUT, long_about = Step::LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    tool: Option<Tool>,
}

#[derive(Subcommand, Debug)]
enum Tool {
    /// Run a tool on the documents' own example, as every lesson's `demo` does
    Demo {
        /// The tool to run (default: all five, in lesson order)
        step: Option<Step>,
        /// List the steps in lesson order.
        #[arg(long, conflicts_with = "step")]
        list: bool,
    },
    /// An IPv4 address in binary, octet by octet, and as one 32-bit number (docs 000, 004 §2.1.2)
    Ip {
        /// Dotted decimal, e.g. 100.4.5.6
        #[arg(value_parser = ipv4::parse)]
        address: u32,
    },
    /// AND two addresses with a subnet mask: same subnet or not? (doc 004 §2.1.7 子网掩码)
    Subnet {
        /// First address, e.g. 172.16.10.1
        #[arg(value_parser = ipv4::parse)]
        a: u32,
        /// Second address, e.g. 172.16.10.2
        #[arg(value_parser = ipv4::parse)]
        b: u32,
        /// The mask, dotted (255.255.255.0) or as a prefix (/24)
        #[arg(value_parser = subnet::parse_mask)]
        mask: Mask,
    },
    /// Public or private, loopback, link-local…: which kind of address (doc 002's exercise, 公网IP)
    Kind {
        /// Dotted decimal, e.g. 192.168.10.1 110.242.68.3
        #[arg(value_parser = ipv4::parse, required = true)]
        addresses: Vec<u32>,
    },
    /// One real HTTP GET on loopback, walked down the layers (docs 002 §1 OSI 7层模型, 004 §2.4)
    Layers,
    /// A name to its addresses: the hosts file, then DNS (doc 002's exercise, 域名)
    Resolve {
        /// Names to resolve (default: localhost, which needs no network)
        names: Vec<String>,
    },
}

/// The lesson's demos: each tool on the documents' own example.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// `ip 100.4.5.6`: document 000's address in binary
    Ip,
    /// `subnet 172.16.10.1 172.16.10.2 255.255.255.0`: document 004's AND
    Subnet,
    /// `kind 192.168.10.1 110.242.68.3 …`: document 002's addresses, public or private
    Kind,
    /// `layers`: one real HTTP GET on loopback, walked down the layers
    Layers,
    /// `resolve localhost`: a name to an address through the hosts file, no network
    Resolve,
    /// All five, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "net_basics";
    const ABOUT: &'static str = "Lesson 00: network basics as five small tools";
    const LONG_ABOUT: &'static str = "Lesson 00 (lessons/00-net-basics.md): network basics as \
        five small tools, re-creating the worked examples of documents 000, 002 and 004. \
        With no tool named, runs each on the documents' own example (`demo all`).";
    const HEADLINE: Self = Step::All;
    const ALL: Self = Step::All;

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Ip => ipv4::explain(ipv4::DOC_EXAMPLE),
            Step::Subnet => {
                let (a, b, mask) = subnet::DOC_EXAMPLE;
                subnet::explain(a, b, mask);
            }
            Step::Kind => kind::explain(&kind::DOC_EXAMPLES.map(u32::from_be_bytes)),
            Step::Layers => layers::walk()?,
            Step::Resolve => resolve::explain("localhost")?,
            Step::All => net_basics::tour()?,
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    // `net_basics layers | head` must end quietly, not panic on a closed pipe.
    classroom::cli::quiet_on_closed_pipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let result = match cli.tool {
        None => Step::HEADLINE.demo(),
        Some(Tool::Demo { list: true, .. }) => {
            print!("{}", step_list::<Step>());
            Ok(())
        }
        Some(Tool::Demo { step, .. }) => step.unwrap_or(Step::HEADLINE).demo(),
        Some(Tool::Ip { address }) => {
            ipv4::explain(address);
            Ok(())
        }
        Some(Tool::Subnet { a, b, mask }) => {
            subnet::explain(a, b, mask);
            Ok(())
        }
        Some(Tool::Kind { addresses }) => {
            kind::explain(&addresses);
            Ok(())
        }
        Some(Tool::Layers) => layers::walk(),
        Some(Tool::Resolve { names }) => {
            let names = classroom::tcp::messages_or(&names, "localhost");
            names.iter().try_for_each(|name| resolve::explain(name))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", classroom::errors::explain(&e));
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: usage
/// A value our own parser refused gets its one-line reason, not clap's
/// usage block: the reason is the lesson. Other usage errors (and `--help`)
/// are clap's to print. Exit code 2 means "you typed something wrong".
fn usage_error(e: &clap::Error) -> ExitCode {
    if e.kind() == ErrorKind::ValueValidation
        && let Some(reason) = e.source()
    {
        eprintln!("error: {reason}");
        return ExitCode::from(2);
    }
    let _ = e.print();
    ExitCode::from(if e.use_stderr() { 2 } else { 0 })
}
// ANCHOR_END: usage

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn our_parsers_reject_before_any_tool_runs() {
        let err = Cli::try_parse_from(["net_basics", "ip", "1.2.3"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ValueValidation);
        let reason = err.source().map(ToString::to_string).unwrap_or_default();
        assert!(reason.contains("dotted decimal has exactly 4"), "{reason}");
    }
}
