//! The checks, a module per lesson, and the list of every exercise.

use crate::{Case, Exercise};

mod l00;
mod l01;
mod l02;
mod l03;
mod l04;
mod l05;
mod l06;
mod l07;
mod l08;

/// Every exercise, in lesson order.
pub static ALL: &[Exercise] = &[
    Exercise {
        id: "00-network",
        title: "The network an address is on",
        section: "lesson 00, §3 Subnet masks",
        hint: "A /24 mask is 255.255.255.0: 24 ones, then zeros. Shift u32::MAX left by the host bits (32 - prefix), not right; a shift by 32 overflows, so use checked_shl and make /0 the mask 0.",
        cases: &[
            Case {
                name: "192.168.1.77/24 is on 192.168.1.0",
                run: l00::slash_24,
            },
            Case {
                name: "172.16.200.9/12 is on 172.16.0.0",
                run: l00::slash_12,
            },
            Case {
                name: "/32 keeps the whole address, /0 none of it",
                run: l00::ends,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "00-port",
        title: "Port 0: let the kernel pick, then ask which",
        section: "lesson 00, §4 Ports",
        hint: "After bind, the socket knows its port: listener.local_addr()?.port() (getsockname in C and Python).",
        cases: &[Case {
            name: "a client can connect to the port you return",
            run: l00::port,
        }],
        unix_only: None,
    },
    Exercise {
        id: "01-echo",
        title: "Echo until the client closes",
        section: "lesson 01, Step 4 — chat",
        hint: "After the peer closes, read() returns Ok(0) at once, every time. When n == 0, return Ok(total).",
        cases: &[Case {
            name: "echo returns once the client has closed",
            run: l01::echo,
        }],
        unix_only: None,
    },
    Exercise {
        id: "01-ask",
        title: "Half-close: say you are done, then read the answer",
        section: "lesson 01, Step 8 — half-close",
        hint: "conn.shutdown(Shutdown::Write) after sending: the server's read returns 0, and your socket can still read the answer.",
        cases: &[Case {
            name: "the server gets the end of your question, and you its answer",
            run: l01::ask,
        }],
        unix_only: None,
    },
    Exercise {
        id: "02-reuse",
        title: "SO_REUSEADDR before bind",
        section: "lesson 02, Step 2 — fixed",
        hint: "bind looks at SO_REUSEADDR when it runs: call socket.set_reuse_address(true) before socket.bind(...).",
        cases: &[
            Case {
                name: "listen again while the last connection waits in TIME_WAIT",
                run: l02::after_time_wait,
            },
            Case {
                name: "not beside a server still listening there",
                run: l02::not_twice,
            },
        ],
        unix_only: Some(
            "on Windows a bind beside a connection in TIME_WAIT succeeds without SO_REUSEADDR, and SO_REUSEADDR would even share a live listener's port (lesson 02, Step 4)",
        ),
    },
    Exercise {
        id: "02-bye",
        title: "Let the client close first",
        section: "lesson 02, Step 3 — client-closes-first",
        hint: "After the write, read until read() returns 0: then the client has closed, and your close comes second. Give that read a timeout of a few seconds, so a client that never hangs up cannot hold the server for ever.",
        cases: &[Case {
            name: "the client hangs up first",
            run: l02::client_first,
        }],
        unix_only: None,
    },
    Exercise {
        id: "03-whole",
        title: "A datagram, whole",
        section: "lesson 03, Step 5 — truncate",
        hint: "Give recv_from a buffer as big as the biggest datagram: 65,507 bytes (vec![0; 65_507]), and keep the first n.",
        cases: &[
            Case {
                name: "a datagram of 1,200 bytes",
                run: l03::whole_1200,
            },
            Case {
                name: "a datagram of 65,507 bytes",
                run: l03::whole_max,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "03-retry",
        title: "A timeout, a few tries, then an error",
        section: "lesson 03, Step 8 — lost-reply",
        hint: "socket.set_read_timeout(Some(Duration::from_millis(200))), then up to 3 times: send_to, recv_from. A timeout is ErrorKind::WouldBlock on Linux and macOS, TimedOut on Windows. After the last try, return an io::Error.",
        cases: &[
            Case {
                name: "the server drops your first request",
                run: l03::lossy,
            },
            Case {
                name: "nobody answers at all",
                run: l03::silent,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "04-lines",
        title: "Lines from a stream that glues and splits them",
        section: "lesson 04, Step 1 — glue",
        hint: "Wrap the stream: let mut reader = std::io::BufReader::new(conn); then reader.read_line(&mut line) once per line. BufReader keeps the bytes after a \\n for the next call.",
        cases: &[
            Case {
                name: "two lines sent back to back",
                run: l04::glued,
            },
            Case {
                name: "a line cut between two reads, the peer still connected",
                run: l04::cut,
            },
            Case {
                name: "one line longer than a read (5,000 bytes)",
                run: l04::long,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "04-answer",
        title: "The whole answer: read until the server closes",
        section: "lesson 04, Step 4 — leftover",
        hint: "Loop: read into the buffer, append what came; stop when read returns 0. (conn.read_to_end(&mut answer) is that loop.)",
        cases: &[Case {
            name: "an answer of 100,000 bytes, then the close",
            run: l04::whole_answer,
        }],
        unix_only: None,
    },
    Exercise {
        id: "05-exact",
        title: "recv_exact: n bytes, no fewer, no more",
        section: "lesson 05, Step 5 — length",
        hint: "Keep a count of bytes got; read into &mut buf[got..] until got == n; a read of 0 is the peer closing: return ErrorKind::UnexpectedEof. (conn.read_exact(&mut buf) does all this.)",
        cases: &[
            Case {
                name: "300,000 bytes through a small receive buffer",
                run: l05::big,
            },
            Case {
                name: "a message and the next one, back to back",
                run: l05::back_to_back,
            },
            Case {
                name: "the peer closes after 4 of 10 bytes",
                run: l05::short,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "05-header",
        title: "The length header in the receiver's byte order",
        section: "lesson 05, Step 4 — pack-broken",
        hint: "struct.pack('<i', 5) is 05 00 00 00: little-endian. len.to_le_bytes() writes that; to_be_bytes writes 00 00 00 05.",
        cases: &[
            Case {
                name: "the receiver reads your length as struct.unpack('<i') does",
                run: l05::one_header,
            },
            Case {
                name: "two messages back to back",
                run: l05::two_headers,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "06-accept",
        title: "\"Would block\" means \"not yet\"",
        section: "lesson 06, Step 3 — fixed",
        hint: "match listener.accept() { Ok((conn, _)) => Ok(Some(conn)), Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(None), Err(e) => Err(e) }",
        cases: &[
            Case {
                name: "no client waiting",
                run: l06::nobody,
            },
            Case {
                name: "a client waiting",
                run: l06::somebody,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "06-timeout",
        title: "A read timeout, on every system",
        section: "lesson 06, Step 5 — timeout",
        hint: "A timed-out read fails with ErrorKind::WouldBlock on Linux and macOS and TimedOut on Windows: match both: matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut).",
        cases: &[
            Case {
                name: "a peer that sends nothing for 100 ms",
                run: l06::silent,
            },
            Case {
                name: "a peer that sent \"hi\"",
                run: l06::talks,
            },
        ],
        unix_only: Some(
            "on Windows a read timeout already fails with TimedOut, so the file as shipped works there: the bug shows on Linux and macOS",
        ),
    },
    Exercise {
        id: "07-serve",
        title: "One thread, many clients: poll",
        section: "lesson 07, Steps 1 and 5 — blocking, poll",
        hint: "Each round: one PollFd for the listener (until all clients came) and one per connection, all POLLIN; poll; then accept on a ready listener and read once from each ready connection (0: it closed, drop it). Only ready sockets are touched, so nothing waits.",
        cases: &[Case {
            name: "a quiet client keeps nobody waiting",
            run: l07::serve,
        }],
        unix_only: None,
    },
    Exercise {
        id: "07-edge",
        title: "Edge-triggered: read until \"would block\"",
        section: "lesson 07, Step 8 — edge",
        hint: "Loop on read: append n > 0 bytes; return on Ok(0) (closed) and on ErrorKind::WouldBlock (drained); retry on Interrupted.",
        cases: &[
            Case {
                name: "32 KiB waiting when the report comes",
                run: l07::drained,
            },
            Case {
                name: "the peer closed after 10 bytes",
                run: l07::closed,
            },
        ],
        unix_only: None,
    },
    Exercise {
        id: "08-threads",
        title: "A thread per client, like ThreadingTCPServer",
        section: "lesson 08, Step 4 — threading",
        hint: "thread::scope(|s| { for each accepted conn: s.spawn(move || echo_handler(conn)); join them all }): the loop goes straight back to accept.",
        cases: &[Case {
            name: "a quiet client keeps nobody waiting",
            run: l08::threads,
        }],
        unix_only: None,
    },
    Exercise {
        id: "08-shutdown",
        title: "serve_forever that hears shutdown",
        section: "lesson 08, Appendix A — serve_forever",
        hint: "Each round: poll(&mut [PollFd::new(listener.as_fd(), PollFlags::POLLIN)], PollTimeout::from(100u16)) (as_fd needs the AsFd import); 0 ready means no client this interval: look at the flag again. Only accept when the listener is ready.",
        cases: &[
            Case {
                name: "a client is served",
                run: l08::serves,
            },
            Case {
                name: "stop is heard with no client coming",
                run: l08::stops,
            },
        ],
        unix_only: None,
    },
];
