//! `same-port`: a UDP socket and a TCP listener bound to the same port
//! number at once (document 003: UDP's 9999 and TCP's 9999 互不冲突). The
//! kernel keeps a table of ports per protocol; two sockets of the *same*
//! protocol on one address do conflict (lesson 02).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::thread;

use classroom::cli::{announce_bound, announce_listening, ephemeral};
use classroom::errors::{bind_failed, context};
use classroom::tcp::{PATIENCE, RECV_SIZE, messages_or, until_closed};
use classroom::{Side, Traced, narrate, runner};

use crate::lost_reply::{Retry, ask};
use crate::{Budget, client_socket, serve_datagrams, until_quit};

/// The document's port for this step.
pub const PORT: u16 = 9999;

// ANCHOR: bind_both
/// A UDP socket and a TCP listener on the same address and port number.
/// With port 0 the OS picks a free UDP port; the TCP listener takes the
/// same number.
pub fn bind_both(addr: SocketAddr) -> io::Result<(UdpSocket, TcpListener)> {
    let udp = UdpSocket::bind(addr).map_err(|e| bind_failed(e, addr, "UDP"))?;
    let port = udp.local_addr()?;
    let tcp = TcpListener::bind(port).map_err(|e| bind_failed(e, port, "TCP"))?; // no conflict: another protocol
    Ok((udp, tcp))
}
// ANCHOR_END: bind_both

/// [`bind_both`]; with port 0, try again when another program holds the
/// TCP port with the number the OS picked for UDP.
fn bind_both_free(addr: SocketAddr) -> io::Result<(UdpSocket, TcpListener)> {
    for _ in 0..20 {
        match bind_both(addr) {
            Err(e) if e.kind() == ErrorKind::AddrInUse && addr.port() == 0 => continue,
            outcome => return outcome,
        }
    }
    bind_both(addr)
}

/// One datagram and one connection to the same port number, in one thread;
/// then a second UDP socket on that port, which fails.
pub fn demo() -> io::Result<()> {
    let (udp, tcp) = bind_both_free(ephemeral())?;
    let addr = udp.local_addr()?;
    let udp = Traced::server(udp);
    udp.say(format!("UDP socket bound to {addr}"));
    udp.say(format!(
        "TCP listener bound to {} as well",
        tcp.local_addr()?
    ));

    let client = Traced::client(UdpSocket::bind(ephemeral())?);
    client.send_to(b"hello over UDP", addr)?;
    let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
    let over_tcp = b"hello over TCP";
    stream.write_all(over_tcp)?;

    let mut buf = [0u8; RECV_SIZE];
    udp.say("the UDP socket:");
    udp.recv_from(&mut buf)?;
    udp.say("the TCP listener:");
    let (conn, peer) = tcp.accept()?;
    // The client wrote before this accept: one read takes the whole message.
    Traced::accepted(conn, peer)?.read_exact(&mut buf[..over_tcp.len()])?;

    match UdpSocket::bind(addr) {
        Err(e) => udp.say(format!("a second UDP socket on {addr}: {e}")),
        Ok(_) => return Err(io::Error::other("a second UDP socket got the same port")),
    }
    narrate("one number, two ports: UDP's and TCP's are separate tables, so both binds succeed");
    narrate("each socket numbers its own sends and receives");
    narrate(
        "two sockets of one protocol on one address do clash: lesson 02 (reuseaddr) explains that error",
    );
    Ok(())
}

/// `server same-port`: answer datagrams on this thread and TCP connections
/// on another, on one port number.
pub fn run_server(addr: SocketAddr) -> io::Result<()> {
    let (udp, tcp) = bind_both_free(addr)?;
    announce_bound(&udp)?;
    announce_listening(&tcp)?;
    thread::spawn(move || {
        loop {
            if let Err(e) = tcp_server(&tcp) {
                Side::server().say(runner::ending(&e));
            }
        }
    });
    serve_datagrams(udp, udp_server)
}

/// The UDP half, for one datagram: answer `hi over UDP`.
pub fn udp_server(socket: &Traced<UdpSocket>, budget: &mut Budget) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    let (_, from) = socket.recv_from(&mut buf)?;
    if !budget.may_answer(socket, from)? {
        return Ok(()); // never answer in a loop
    }
    socket.send_to(b"hi over UDP", from).map(drop)
}

/// The TCP half, for one connection: read the message until the client
/// shuts down its sending side, then answer `hi over TCP` and close.
pub fn tcp_server(listener: &TcpListener) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    let mut conn = Traced::accepted(conn, peer)?;
    until_closed(&mut conn)?;
    conn.write_all(b"hi over TCP")
}

/// `client same-port`: send each message (or `hello`) once over UDP and
/// once over TCP, to the same port number.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let udp = client_socket(addr)?;
    for message in until_quit(&udp, messages_or(messages, "hello").into_iter()) {
        ask(&udp, addr, message.as_bytes(), Retry::CLASSROOM)?;
        let stream =
            TcpStream::connect(addr).map_err(|e| context(e, format!("connecting to {addr}")))?;
        let mut stream = Traced::connected(stream)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        stream.write_all(message.as_bytes())?;
        // "That is all": the server reads until this FIN, then answers.
        stream.shutdown(Shutdown::Write)?;
        until_closed(&mut stream)?;
    }
    Ok(())
}
