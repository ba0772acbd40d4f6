//! `same-port`: a UDP socket and a TCP listener bound to the same port
//! number at the same time (document 003: UDP's 9999 and TCP's 9999 do not
//! conflict). A port number only means something together with a
//! protocol: the kernel keeps one table of UDP ports and another of TCP
//! ports, and each datagram or segment names its protocol in the IP header.
//! Two sockets of the *same* protocol on one address do conflict: that is
//! "Address already in use", the subject of lesson 02.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use classroom::cli::{announce_bound, announce_listening, ephemeral};
use classroom::errors::{context, explain};
use classroom::read::read_until;
use classroom::{Side, narrate};

use crate::lost_reply::{Retry, ask};
use crate::{RECV_SIZE, client_socket, messages_or, recv_from, send_to};

/// The document's port for this step.
pub const PORT: u16 = 9999;

/// How long the server waits for a TCP client to finish sending.
pub const PATIENCE: Duration = Duration::from_secs(30);

// ANCHOR: bind_both
/// A UDP socket and a TCP listener on the same address and port number.
/// With port 0 the OS picks a free UDP port; the TCP listener takes the
/// same number.
pub fn bind_both(addr: SocketAddr) -> io::Result<(UdpSocket, TcpListener)> {
    let udp = UdpSocket::bind(addr)?;
    let tcp = TcpListener::bind(udp.local_addr()?)?; // no conflict: another protocol
    Ok((udp, tcp))
}
// ANCHOR_END: bind_both

/// [`bind_both`], and with port 0 ("any free port") keep trying: another
/// program may hold the TCP port with the number the OS picked for UDP, and
/// then another number will do.
fn bind_both_free(addr: SocketAddr) -> io::Result<(UdpSocket, TcpListener)> {
    let mut tries = 0;
    loop {
        match bind_both(addr) {
            Err(e) if e.kind() == ErrorKind::AddrInUse && addr.port() == 0 && tries < 20 => {
                tries += 1
            }
            outcome => return outcome,
        }
    }
}

/// One datagram and one connection to the same port number, in one thread;
/// then a second UDP socket on that port, which fails.
pub fn demo() -> io::Result<()> {
    let (udp, tcp) = bind_both_free(ephemeral())?;
    let addr = udp.local_addr()?;
    let mut server_out = Side::server();
    server_out.say(format!("UDP socket bound to {addr}"));
    server_out.say(format!(
        "TCP listener bound to {} as well",
        tcp.local_addr()?
    ));

    let mut out = Side::client();
    let client = crate::demo_socket()?;
    let over_udp = b"hello over UDP";
    send_to(&client, over_udp, addr, &mut out)?;
    let mut stream = TcpStream::connect(addr)?;
    out.say(format!("connected over TCP to {addr}"));
    let over_tcp = b"hello over TCP";
    out.sent(over_tcp);
    stream.write_all(over_tcp)?;

    let mut buf = [0u8; RECV_SIZE];
    server_out.say("the UDP socket:");
    recv_from(&udp, &mut buf, &mut server_out)?;
    let (mut conn, peer) = tcp.accept()?;
    server_out.say(format!(
        "the TCP listener: accepted a connection from {peer}"
    ));
    let mut got = vec![0u8; over_tcp.len()];
    conn.read_exact(&mut got)?;
    server_out.received(&got);

    match UdpSocket::bind(addr) {
        Err(e) => server_out.say(format!("a second UDP socket on {addr}: {e}")),
        Ok(_) => return Err(io::Error::other("a second UDP socket got the same port")),
    }
    narrate("one number, two ports: UDP's and TCP's are separate tables, so both binds succeed");
    narrate(
        "two sockets of one protocol on one address do clash: lesson 02 (reuseaddr) explains that error",
    );
    Ok(())
}

/// `server same-port`: answer datagrams and TCP connections on one port
/// number, each in its own thread; one lane numbers both.
pub fn run_server(addr: SocketAddr) -> io::Result<()> {
    let (udp, tcp) = bind_both_free(addr).map_err(|e| context(e, format!("binding {addr}")))?;
    announce_bound(&udp)?;
    announce_listening(&tcp)?;
    let out = Arc::new(Mutex::new(Side::server()));
    lock(&out).say("waiting for datagrams and connections (Ctrl-C to stop)");
    let tcp_out = Arc::clone(&out);
    thread::spawn(move || serve_tcp(&tcp, &tcp_out));
    serve_udp(&udp, &out)
}

/// The lane, even if the other thread panicked while holding it.
fn lock(out: &Mutex<Side>) -> std::sync::MutexGuard<'_, Side> {
    out.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Answer `hi over UDP` to every datagram. The lane is locked only to
/// print, never while waiting, so the TCP thread is never held up.
fn serve_udp(socket: &UdpSocket, out: &Mutex<Side>) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let outcome = socket.recv_from(&mut buf).and_then(|(n, from)| {
            let mut out = lock(out);
            out.received(&buf[..n]);
            out.say(format!("  from {from}, over UDP"));
            send_to(socket, b"hi over UDP", from, &mut out)
        });
        if let Err(e) = outcome {
            lock(out).say(format!("error: {}", explain(&e)));
        }
    }
}

/// Read each TCP client's message until it shuts down its sending side,
/// then answer `hi over TCP` and close.
fn serve_tcp(listener: &TcpListener, out: &Mutex<Side>) {
    for conn in listener.incoming() {
        let outcome = conn.and_then(|mut conn| {
            let peer = conn.peer_addr()?;
            conn.set_read_timeout(Some(PATIENCE))?;
            let message = read_until(&mut conn, RECV_SIZE, |_| false)?;
            let mut out = lock(out);
            out.say(format!("accepted a TCP connection from {peer}"));
            out.received(&message);
            out.sent(b"hi over TCP");
            conn.write_all(b"hi over TCP")
        });
        if let Err(e) = outcome {
            lock(out).say(format!("error: {}", explain(&e)));
        }
    }
}

/// `client same-port`: send each message (or `hello`) once over UDP and
/// once over TCP, to the same port number.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    let mut out = Side::client();
    let udp = client_socket(addr, &out)?;
    for message in messages_or(messages, "hello") {
        ask(&udp, addr, message.as_bytes(), Retry::CLASSROOM, &mut out)?;

        let mut stream =
            TcpStream::connect(addr).map_err(|e| context(e, format!("connecting to {addr}")))?;
        out.say(format!("connected over TCP to {addr}"));
        out.sent(message.as_bytes());
        stream.write_all(message.as_bytes())?;
        // "That is all": the server reads until this FIN, then answers.
        stream.shutdown(Shutdown::Write)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        out.received(&read_until(&mut stream, RECV_SIZE, |_| false)?);
    }
    Ok(())
}
