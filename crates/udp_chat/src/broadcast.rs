//! `broadcast` and `multicast`: one `sendto`, many receivers (document 000:
//! UDP is 一对多; document 004 §2.2 补充: 广播, 组播). A broadcast reaches
//! every host of a network, and the kernel sends one only from a socket
//! that set `SO_BROADCAST` (else `EACCES`); a multicast reaches the hosts
//! that joined its group. Linux gives loopback a broadcast address,
//! 127.255.255.255; where loopback has none, the bind fails and the demo
//! says so.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::time::Duration;

use classroom::cli::ephemeral;
use classroom::tcp::{RECV_SIZE, is_timeout};
use classroom::{Side, Traced, narrate};
use socket2::{Domain, SockRef, Socket, Type};

/// Loopback's broadcast address (Linux).
pub const LOOPBACK_BROADCAST: Ipv4Addr = Ipv4Addr::new(127, 255, 255, 255);
/// The demo's group: 239.0.0.0/8 holds groups private to one site.
pub const GROUP: Ipv4Addr = Ipv4Addr::new(239, 255, 0, 1);
/// How long a receiver waits before it says nothing came.
pub const WAIT: Duration = Duration::from_secs(2);
/// What the server sends to everyone.
pub const NEWS: &[u8] = b"hello, everyone";

// ANCHOR: receivers
/// Two receivers bound to `ip` and one port (the first socket picks it).
/// `SO_REUSEADDR`, set before `bind` on both, lets them share it; a
/// broadcast or multicast datagram is then delivered to each of them.
pub fn receivers(ip: Ipv4Addr) -> io::Result<Vec<Traced<UdpSocket>>> {
    let (mut addr, mut clients) = (SocketAddr::from((ip, 0)), Vec::new());
    for n in 1..=2 {
        let socket = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
        socket.set_reuse_address(true)?; // Python: sk.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        socket.bind(&addr.into())?; // Python: sk.bind(('127.255.255.255', port))
        let client = Traced::new(UdpSocket::from(socket), Side::nth_client(n));
        addr = client.local_addr()?;
        client.say(format!("bound to {addr} (SO_REUSEADDR)"));
        clients.push(client);
    }
    Ok(clients)
}
// ANCHOR_END: receivers

/// [`receivers`], or `None` after saying why this system refused.
fn receivers_here(ip: Ipv4Addr) -> Option<Vec<Traced<UdpSocket>>> {
    let said = |e| {
        narrate(format!("binding {ip} failed: {e}"));
        narrate("this system's loopback does not take that address: see lesson 03");
    };
    receivers(ip).map_err(said).ok()
}

/// Each receiver takes what came, or says that nothing did within [`WAIT`].
fn hear(clients: &[Traced<UdpSocket>]) -> io::Result<()> {
    let mut buf = [0u8; RECV_SIZE];
    for client in clients {
        client.set_read_timeout(Some(WAIT))?;
        match client.recv_from(&mut buf) {
            Err(e) if is_timeout(&e) => client.say(format!("nothing came within {WAIT:?}")),
            outcome => drop(outcome?),
        }
    }
    Ok(())
}

/// A server broadcasts to two clients: refused without `SO_BROADCAST`,
/// delivered to both with it.
pub fn demo_broadcast() -> io::Result<()> {
    let Some(clients) = receivers_here(LOOPBACK_BROADCAST) else {
        return Ok(());
    };
    let everyone = clients[0].local_addr()?;
    let server = Traced::server(UdpSocket::bind(ephemeral())?);
    server.say(format!("bound to {}", server.local_addr()?));
    // ANCHOR: so_broadcast
    if let Err(e) = server.send_to(NEWS, everyone) {
        server.say(format!("that send_to failed: {e}")); // BUG: no SO_BROADCAST yet
    }
    server.set_broadcast(true)?; // FIX. Python: sk.setsockopt(SOL_SOCKET, SO_BROADCAST, 1)
    server.say("SO_BROADCAST set: this socket may now send to a broadcast address");
    server.send_to(NEWS, everyone)?;
    // ANCHOR_END: so_broadcast
    hear(&clients)?;
    narrate("one sendto, a copy for every socket bound to that port: the server spoke first");
    narrate("routers do not pass a broadcast on: it stays on its own network (lesson 00, DHCP)");
    Ok(())
}

/// A server sends to a group that two clients joined on loopback.
pub fn demo_multicast() -> io::Result<()> {
    let Some(clients) = receivers_here(GROUP) else {
        return Ok(());
    };
    // ANCHOR: join
    for client in &clients {
        // Python: sk.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, group + interface)
        client.join_multicast_v4(&GROUP, &Ipv4Addr::LOCALHOST)?;
        client.say(format!("joined {GROUP} on the loopback interface"));
    }
    let server = Traced::server(UdpSocket::bind(ephemeral())?);
    SockRef::from(&*server).set_multicast_if_v4(&Ipv4Addr::LOCALHOST)?; // out of loopback
    server.set_multicast_ttl_v4(0)?; // no router may pass it on: it stays on this machine
    // ANCHOR_END: join
    let bound = server.local_addr()?;
    server.say(format!("bound to {bound}; sending out of loopback, TTL 0"));
    server.send_to(NEWS, clients[0].local_addr()?)?;
    hear(&clients)?;
    narrate("no SO_BROADCAST needed: a group reaches only the sockets that joined it");
    Ok(())
}
