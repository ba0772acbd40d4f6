//! `udp_chat`: lesson 03's command line. Each step's logic lives in the
//! library; this file only wires steps to it.

use std::io;
use std::process::ExitCode;

use clap::ValueEnum;
use classroom::cli::input_lines;
use classroom::compare::{Pair, Version};
use classroom::tcp::messages_or;
use classroom::{Endpoint, Lesson};
use udp_chat::lost_reply::ask_each;
use udp_chat::{
    bind_server, boundaries, broadcast, chat, hello, limits, lost_reply, many, same_port,
    serve_datagrams, truncate,
};

/// The steps of lesson 03, in lesson order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Client sendto hello, server recvfrom and replies hi: no listen, no accept (doc 000, port 9000)
    Hello,
    /// A chat in JSON datagrams {"name", "msg"}, replies typed on the server's side (doc 000, port 8000)
    Chat,
    /// One server socket, several clients, each answered at its own address (docs 000, 004; port 8080)
    Many,
    /// Each sendto is one recvfrom: nothing glued, and an empty datagram arrives (doc 000)
    Boundaries,
    /// A datagram bigger than the recvfrom buffer: the rest is lost (doc 000)
    Truncate,
    /// 65507 bytes go over IPv4, 65527 over IPv6, one more fails; 1472 fit a 1500-byte frame (docs 000, 004)
    Limits,
    /// UDP and TCP bound to the same port number at once (doc 003, port 9999)
    SamePort,
    /// Broken on purpose: a client waits for ever for an answer that never comes (doc 002)
    LostReplyBroken,
    /// Fixed: a timeout per try, a few tries, then a clear message (doc 002, port 9000)
    LostReply,
    /// One sendto, every socket on the port: SO_BROADCAST to 127.255.255.255 (Linux; docs 000, 004)
    Broadcast,
    /// One sendto, every socket that joined the group 239.255.0.1 on loopback (docs 000, 004)
    Multicast,
    /// Every step, in lesson order
    All,
}

impl Lesson for Step {
    const NAME: &'static str = "udp_chat";
    const ABOUT: &'static str = "Lesson 03: UDP sockets, from hello to a JSON chat";
    const LONG_ABOUT: &'static str = "Lesson 03 (lessons/03-udp-chat.md): UDP sockets as \
        documents 000, 002, 003 and 004 use them. `demo STEP` runs both roles in one process; \
        `server STEP` and `client STEP` run them in two terminals on the documents' ports.";
    const HEADLINE: Self = Step::Chat;
    const ALL: Self = Step::All;
    const PAIRS: &'static [Pair<Self>] = &[Pair {
        name: "lost-reply",
        question: "what does a client do when no answer comes?",
        versions: [
            Version {
                step: Step::LostReplyBroken,
                code: ("crates/udp_chat/src/lost_reply.rs", "wait_naive"),
                shows: "still blocked",
            },
            Version {
                step: Step::LostReply,
                code: ("crates/udp_chat/src/lost_reply.rs", "answer_within"),
                shows: "gave up",
            },
        ],
    }];

    fn demo(self) -> io::Result<()> {
        match self {
            Step::Hello => hello::demo(),
            Step::Chat => chat::demo(),
            Step::Many => many::demo(),
            Step::Boundaries => boundaries::demo(),
            Step::Truncate => truncate::demo(),
            Step::Limits => limits::demo(),
            Step::SamePort => same_port::demo(),
            Step::LostReplyBroken => lost_reply::demo_broken(),
            Step::LostReply => lost_reply::demo_fixed(),
            Step::Broadcast => broadcast::demo_broadcast(),
            Step::Multicast => broadcast::demo_multicast(),
            Step::All => unreachable!("`all` is expanded by classroom::cli"),
        }
    }

    fn server(self, at: &Endpoint) -> io::Result<()> {
        match self {
            Step::Hello => serve_datagrams(bind_server(at.addr(hello::PORT)?)?, hello::server),
            Step::Chat => {
                // The server's replies are typed on its own terminal.
                let mut replies = input_lines(&[]);
                serve_datagrams(bind_server(at.addr(chat::PORT)?)?, |socket, budget| {
                    chat::server(socket, budget, &mut replies)
                })
            }
            Step::Many => serve_datagrams(bind_server(at.addr(many::PORT)?)?, many::server),
            Step::SamePort => same_port::run_server(at.addr(same_port::PORT)?),
            Step::Boundaries
            | Step::Truncate
            | Step::Limits
            | Step::LostReplyBroken
            | Step::LostReply
            | Step::Broadcast
            | Step::Multicast
            | Step::All => Err(classroom::cli::no_role(self, "server")),
        }
    }

    fn client(self, at: &Endpoint, messages: &[String]) -> io::Result<()> {
        match self {
            // The hello client is the fixed client of `lost-reply`: it
            // gives up after a few tries when nobody answers.
            Step::Hello | Step::LostReply => ask_each(
                at.addr(hello::PORT)?,
                messages_or(messages, hello::GREETING),
            ),
            Step::Chat => chat::client(at.addr(chat::PORT)?, input_lines(messages)),
            Step::Many => ask_each(at.addr(many::PORT)?, input_lines(messages)),
            Step::SamePort => same_port::run_client(at.addr(same_port::PORT)?, messages),
            Step::Boundaries
            | Step::Truncate
            | Step::Limits
            | Step::LostReplyBroken
            | Step::Broadcast
            | Step::Multicast
            | Step::All => Err(classroom::cli::no_role(self, "client")),
        }
    }
}

fn main() -> ExitCode {
    classroom::cli::run::<Step>()
}
