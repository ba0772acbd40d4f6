//! Helpers shared by every lesson crate, and nothing lesson-specific.
//!
//! * [`output`]: the two-lane printer (`[server] …` / `[client] …`) with
//!   per-side numbering of every send and receive.
//! * [`bytes`]: how bytes are shown: quoted text when they are UTF-8, a hex
//!   dump otherwise.
//! * [`traced`]: [`Traced`], a socket that prints each `send #N` /
//!   `recv #N` as it makes the system call, so lesson code reads and writes
//!   with plain std calls.
//! * [`cli`]: the command-line contract every lesson follows
//!   (`demo [STEP]`, `server [STEP]`, `client [STEP]`, `--host`, `--port`).
//! * [`runner`]: what no lesson teaches: a demo's two halves on two threads
//!   ([`runner::pair`]), and `server STEP`'s next-client loop
//!   ([`runner::serve`]).
//! * [`compare`]: `CRATE compare [PAIR]`, a broken step's code beside its
//!   fix's, and what each run showed.
//! * [`roles`]: run a server role and a client role in one process.
//! * [`tcp`]: one copy of the small things every lesson's sockets share:
//!   `RECV_SIZE`, `PATIENCE`, `until_closed`, `is_timeout`, `closed_port`.
//! * [`files`]: names a peer may use for a file, and a private scratch
//!   folder.
//! * [`cleanup`]: half-written files and scratch folders removed when a
//!   server is stopped with Ctrl-C or SIGTERM.
//! * [`read`]: reading from a peer with a limit on what it can make us hold.
//! * [`errors`]: print an I/O error with its OS number and a hint naming the
//!   lesson that explains it.
//! * [`units`]: numbers as a person reads them (`10,000`, `9.8 µs`).
//! * [`memory`]: a process's peak memory, read from `/proc` (Linux).
//!
//! With the `lesson-test` feature, for the lesson crates' tests only:
//!
//! * `lesson_test`: every command a lesson shows is run and its output
//!   compared.
//! * `testing`: servers on ports the OS picks, programs and Python scripts
//!   run to the end, bounded reads, and demos checked to print the same on
//!   every run.
#![warn(missing_docs)]

pub mod bytes;
pub mod cleanup;
pub mod cli;
pub mod compare;
pub mod errors;
pub mod files;
pub mod memory;
mod no_follow;
pub mod output;
pub mod read;
pub mod roles;
pub mod runner;
pub mod source;
pub mod tcp;
pub mod tcp_state;
pub mod traced;
pub mod units;

#[cfg(feature = "lesson-test")]
pub mod lesson_test;
#[cfg(feature = "lesson-test")]
pub mod testing;

pub use cli::{Endpoint, Lesson};
pub use output::{Lane, Side, heading, narrate};
pub use roles::run_roles;
pub use traced::Traced;
