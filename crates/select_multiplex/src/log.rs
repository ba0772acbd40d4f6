//! What an event loop tells the outside world: lines in the `[server]` lane
//! for a student, and [`Event`]s on a channel for a demo or a test that needs
//! to wait until the loop has reacted.
//!
//! A demo's client waits for [`Event::Accepted`] before it speaks, and for
//! [`Event::Left`] after it closes, so the two lanes print in the same order
//! on every run. A test with hundreds of clients uses [`Log::quiet`].

use std::fmt::Display;
use std::io;
use std::net::SocketAddr;
use std::sync::mpsc::Sender;

use classroom::Side;
use classroom::errors::explain;

/// Something the loop did that another thread may be waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A connection from this peer was accepted and is now watched.
    Accepted(SocketAddr),
    /// The connection from this peer ended and is no longer watched.
    Left(SocketAddr),
}

/// The `[server]` lane of an event loop (or silence), plus an optional
/// channel of [`Event`]s.
#[derive(Debug)]
pub struct Log {
    out: Option<Side>,
    events: Option<Sender<Event>>,
}

impl Log {
    /// Print every line in the `[server]` lane.
    pub fn printing() -> Self {
        Log {
            out: Some(Side::server()),
            events: None,
        }
    }

    /// Print nothing: for tests with hundreds of clients.
    pub fn quiet() -> Self {
        Log {
            out: None,
            events: None,
        }
    }

    /// Also send an [`Event`] on `events` after each accept and each leave.
    pub fn notify(mut self, events: Sender<Event>) -> Self {
        self.events = Some(events);
        self
    }

    /// A free-form line.
    pub fn say(&self, text: impl Display) {
        if let Some(out) = &self.out {
            out.say(text);
        }
    }

    /// `recv #N: …` for bytes read from a connection.
    pub fn received(&mut self, data: &[u8]) {
        if let Some(out) = &mut self.out {
            out.received(data);
        }
    }

    /// `send #N: …` for bytes echoed back.
    pub fn sent(&mut self, data: &[u8]) {
        if let Some(out) = &mut self.out {
            out.sent(data);
        }
    }

    /// `recv #N: 0 bytes (EOF …)`: the peer closed its side.
    pub fn eof(&mut self) {
        if let Some(out) = &mut self.out {
            out.eof();
        }
    }

    /// A connection failed; the loop drops it and carries on with the others.
    pub fn failed(&self, peer: SocketAddr, error: &io::Error) {
        self.say(format!("gave up on {peer}: {}", explain(error)));
    }

    /// A connection was accepted: print `line`, say what is watched now,
    /// then tell whoever waits.
    pub fn accepted(&self, line: impl Display, peer: SocketAddr, connections: usize) {
        self.say(line);
        self.watching(connections);
        self.send(Event::Accepted(peer));
    }

    /// Connections ended and were dropped: say what is watched now, then
    /// tell whoever waits.
    pub fn left(&self, peers: &[SocketAddr], connections: usize) {
        for peer in peers {
            self.say(format!(
                "{peer} left: its socket is closed and no longer watched"
            ));
        }
        if !peers.is_empty() {
            self.watching(connections);
        }
        for &peer in peers {
            self.send(Event::Left(peer));
        }
    }

    /// `watching the listener + N connections`: the document's `inputs` list.
    pub fn watching(&self, connections: usize) {
        let s = if connections == 1 { "" } else { "s" };
        self.say(format!(
            "watching the listener + {connections} connection{s}"
        ));
    }

    fn send(&self, event: Event) {
        if let Some(events) = &self.events {
            // Nobody listening any more is fine: the demo or test moved on.
            let _ = events.send(event);
        }
    }
}
