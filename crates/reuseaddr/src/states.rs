//! States the other steps pass too quickly to see, held still and read
//! from the kernel's table. `backlog` (Linux): `listen(5)` sizes the queue of
//! finished handshakes `accept` has not taken (全连接队列); full, it drops
//! the next SYN, and that client sits in SYN_SENT (documents 004 §4.1, 001).
//! `states`: a close whose FINs wait behind bytes the other side has no room
//! for, so each state of the four-way close (四次挥手) lasts until read.

use std::io::{self, ErrorKind::InvalidData, Write};
use std::net::{Shutdown, TcpListener};

use classroom::{Side, Traced, narrate, tcp::PATIENCE};
use socket2::{Domain, Socket, Type};

use crate::show_state;

/// The documents' backlog: `sk.listen(5)`.
pub const BACKLOG: i32 = 5;

/// What each side sends in `states`: far more than the other's buffer holds.
pub const PAYLOAD: usize = 64 * 1024;

/// The receive buffer asked for on both sides in `states`.
const SMALL: usize = 4096;

/// How many SYNs the kernel has dropped at a full queue in this network
/// namespace (`nstat -az TcpExtListenOverflows`).
#[cfg(target_os = "linux")]
fn listen_overflows() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/net/netstat").ok()?;
    let mut rows = text.lines().filter_map(|l| l.strip_prefix("TcpExt:"));
    let (names, values) = (rows.next()?, rows.next()?);
    let at = names
        .split_whitespace()
        .position(|n| n == "ListenOverflows")?;
    values.split_whitespace().nth(at)?.parse().ok()
}

/// Fill the queue of a listener nobody accepts from, then empty it.
#[cfg(target_os = "linux")]
pub fn backlog() -> io::Result<()> {
    use crate::kernel_state;
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&classroom::cli::ephemeral().into())?;
    // ANCHOR: fill
    socket.listen(BACKLOG)?; // Python: sk.listen(5), and then nobody calls accept()
    let server = socket.local_addr()?.as_socket().ok_or(InvalidData)?;
    Side::server().say(format!(
        "listening on {server}, listen({BACKLOG}); no accept() yet"
    ));
    let mut clients = Vec::new();
    let (lane, state) = loop {
        let client = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        client.set_nonblocking(true)?;
        let dropped = listen_overflows();
        let _in_progress = client.connect(&server.into()); // the SYN goes out
        let me = client.local_addr()?.as_socket().ok_or(InvalidData)?;
        clients.push(client);
        // Wait for the server's kernel to queue the connection (its side
        // ESTABLISHED) or to drop the SYN (it counts each one it drops).
        let started = std::time::Instant::now();
        while kernel_state(server, me)? != Some("ESTABLISHED")
            && listen_overflows() == dropped
            && started.elapsed() < PATIENCE
        {
            std::thread::yield_now();
        }
        let lane = Side::nth_client(clients.len() as u32);
        match kernel_state(me, server)?.unwrap_or("gone") {
            "ESTABLISHED" => lane.say("ESTABLISHED: handshake done, waiting in the queue"),
            state => break (lane, state),
        }
    };
    // ANCHOR_END: fill
    lane.say(format!(
        "{state}: the queue is full; my SYN was dropped, not refused"
    ));
    let listener = TcpListener::from(socket);
    listener.set_nonblocking(true)?;
    let taken = std::iter::from_fn(|| listener.accept().ok()).count();
    Side::server().say(format!("accept() took {taken}, then the queue was empty"));
    std::net::TcpStream::connect(server)?;
    let next = Side::nth_client(clients.len() as u32 + 1);
    next.say("connected at once: the queue has room again");
    narrate(format!(
        "listen({BACKLOG}) limits no clients: it sizes the queue waiting for accept()"
    ));
    narrate("Linux: it holds backlog + 1; a dropped SYN is sent again 1 s, 3 s, 7 s … later");
    Ok(())
}

/// Not Linux: no `/proc` to count the dropped SYNs in.
#[cfg(not(target_os = "linux"))]
pub fn backlog() -> io::Result<()> {
    Side::server().say("this step reads Linux's /proc (Windows refuses a SYN to a full queue)");
    Ok(())
}

/// A socket whose receive buffer is small and send buffer large: what it
/// is sent waits in the peer's send buffer, and what it sends fits in its own.
fn cramped() -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_recv_buffer_size(SMALL)?;
    socket.set_send_buffer_size(4 * PAYLOAD)?;
    Ok(socket)
}

/// Both ends of one connection, in this one thread: each state is read at
/// a moment the program chose.
pub fn states() -> io::Result<()> {
    let listener = cramped()?; // accepted sockets inherit its buffer sizes
    listener.bind(&classroom::cli::ephemeral().into())?;
    listener.listen(BACKLOG)?;
    let server = listener.local_addr()?.as_socket().ok_or(InvalidData)?;
    Side::server().say(format!(
        "listening on {server}; both sides ask for {SMALL}-byte receive buffers"
    ));
    let client = cramped()?;
    client.connect(&server.into())?; // done: the connection waits in the queue
    let (conn, me) = TcpListener::from(listener).accept()?;
    let mut conn = Traced::accepted(conn, me)?;
    let mut client = Traced::connected(client.into())?.with_patience(PATIENCE)?;
    // ANCHOR: states
    client.write_all(&[b'c'; PAYLOAD])?; // the server does not read yet
    client.say("shutdown(Write): my FIN waits behind the bytes the server has no room for");
    client.shutdown(Shutdown::Write)?; // Python: sk.shutdown(socket.SHUT_WR)
    show_state(client.side(), me, server); // FIN_WAIT1: my FIN is not ACKed
    client.say("one more write() after shutdown(Write), to see it refused:");
    let _refused = client.write(b"more").is_err(); // my FIN said: no more bytes
    let got = io::copy(conn.get_mut(), &mut io::sink())?; // reads not printed
    conn.say(format!("read {got} bytes, then EOF: the client's FIN"));
    show_state(conn.side(), server, me); // CLOSE_WAIT: the client has closed, I have not
    conn.write_all(&[b's'; PAYLOAD])?; // half-close: the server still sends
    client.peek(&mut [0u8; 1])?; // those bytes carry the ACK of my FIN
    show_state(client.side(), me, server); // FIN_WAIT2: my FIN is ACKed, theirs not sent
    conn.say("closing: my FIN waits behind the bytes the client has no room for");
    let lane = Side::server();
    drop(conn);
    show_state(&lane, server, me); // LAST_ACK: until the client ACKs my FIN
    let got = io::copy(client.get_mut(), &mut io::sink())?;
    client.say(format!("read {got} bytes, then EOF: the server's FIN"));
    show_state(client.side(), me, server); // TIME_WAIT: for 2MSL
    // ANCHOR_END: states
    narrate("closing first: FIN_WAIT1, FIN_WAIT2, TIME_WAIT; closing second: CLOSE_WAIT, LAST_ACK");
    narrate(
        "each FIN waited behind unread bytes here; on a quiet connection these states pass in microseconds",
    );
    Ok(())
}
