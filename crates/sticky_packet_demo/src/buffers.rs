//! `buffers`: where the bytes wait (document 000, 用户态与内核态 and
//! 收到ack时才会清除缓冲区内容; document 002, 缓冲区). A `recv` gets what
//! has arrived, half a file included; a write returns once the kernel has
//! the bytes, and the kernel keeps them until the peer acknowledges them.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};

use classroom::{Traced, narrate};
use socket2::SockRef;

use crate::tcp_info::unacknowledged;
use crate::wait::{WAIT_LIMIT, wait_until_buffered};

/// Part 1's file: 4000 bytes, written in two halves.
pub const FILE: usize = 4000;

/// Part 2's buffers, as asked for: the server's is far smaller, so the
/// client's fills up (Linux grants twice what is asked for).
pub const BUFFERS: (usize, usize) = (1 << 20, 64 << 10);

// ANCHOR: half_a_file
/// Part 1: the client writes the first half of a file; the server asks for
/// the whole file and gets the half that is there. Returns both reads.
pub fn half_a_file() -> io::Result<(usize, usize)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut client = Traced::client(TcpStream::connect(listener.local_addr()?)?);
    let mut conn = Traced::server(listener.accept()?.0);
    let file: Vec<u8> = b"0123456789".iter().copied().cycle().take(FILE).collect();
    let mut buf = [0u8; FILE];
    client.write_all(&file[..FILE / 2])?;
    wait_until_buffered(&conn, FILE / 2)?; // all of the first half is in
    let first = conn.read(&mut buf)?; // asks for 4000: gets what is there
    client.write_all(&file[FILE / 2..])?; // only now the second half
    wait_until_buffered(&conn, FILE / 2)?;
    Ok((first, conn.read(&mut buf)?))
}
// ANCHOR_END: half_a_file

// ANCHOR: kept_until_acked
/// Part 2: the server reads nothing while the client writes until its
/// kernel takes no more; then the server reads it all and closes. Returns
/// the bytes written, and those not yet acknowledged then and after the
/// close (`None` where only Linux counts them).
pub fn kept_until_acked() -> io::Result<(usize, Option<usize>, Option<usize>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    SockRef::from(&listener).set_recv_buffer_size(BUFFERS.1)?; // SO_RCVBUF
    let mut client = Traced::client(TcpStream::connect(listener.local_addr()?)?);
    let mut conn = Traced::server(listener.accept()?.0);
    conn.set_read_timeout(Some(WAIT_LIMIT))?; // a bug cannot hang the demo
    SockRef::from(&*client).set_send_buffer_size(BUFFERS.0)?; // SO_SNDBUF
    let sndbuf = SockRef::from(&*client).send_buffer_size()?;
    let rcvbuf = SockRef::from(&*conn).recv_buffer_size()?;
    client.say(format!(
        "SO_SNDBUF: {sndbuf}; the server's SO_RCVBUF: {rcvbuf}"
    ));
    let written = write_until_full(client.get_mut())?; // unprinted writes
    client.say(format!(
        "{written} bytes taken in writes of 64 KiB (not printed), then WouldBlock"
    ));
    let waiting = unacknowledged(&client).ok();
    client.say(unacked(waiting));
    conn.say(format!(
        "reading all {written} bytes (reads not printed), then closing"
    ));
    io::copy(&mut conn.get_mut().take(written as u64), &mut io::sink())?;
    drop(conn); // its FIN acknowledges every byte it read
    let _eof = client.read(&mut [0u8; 1])?; // 0 bytes: its FIN, and ACK, are in
    let after = unacknowledged(&client).ok();
    client.say(unacked(after));
    Ok((written, waiting, after))
}
// ANCHOR_END: kept_until_acked

/// Nonblocking writes of 64 KiB until the kernel says WouldBlock (64 MiB
/// at most). Returns the bytes it took.
fn write_until_full(stream: &mut TcpStream) -> io::Result<usize> {
    stream.set_nonblocking(true)?;
    let (chunk, mut taken) = ([b'x'; 64 << 10], 0);
    let full = loop {
        match stream.write(&chunk) {
            Ok(n) if taken < 64 << 20 => taken += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break Ok(taken),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Ok(_) => break Err(io::Error::other("the kernel took 64 MiB, and more")),
            Err(e) => break Err(e),
        }
    };
    stream.set_nonblocking(false)?;
    full
}

fn unacked(count: Option<usize>) -> String {
    count.map_or(
        "counting unacknowledged bytes needs Linux (SIOCOUTQ)".into(),
        |n| format!("Linux: SIOCOUTQ: {n} bytes in my send buffer wait for an ACK"),
    )
}

/// Both parts, narrated.
pub fn demo() -> io::Result<()> {
    narrate(format!(
        "1) {FILE} bytes written in two halves; the server asks for all of them"
    ));
    let (first, _) = half_a_file()?;
    narrate(format!(
        "the first recv returned {first} bytes, before the rest was written; TCP waits for no whole file"
    ));
    narrate("2) the server reads nothing; the client writes until its kernel takes no more");
    let (written, waiting, after) = kept_until_acked()?;
    if let (Some(waiting), Some(after)) = (waiting, after) {
        let yes = |b: bool| if b { "yes" } else { "no" };
        narrate(format!(
            "the other {} bytes were acknowledged by the server's kernel, unread by the server",
            written - waiting
        ));
        narrate(format!(
            "kept in the send buffer until acknowledged: {}, then freed: {}",
            yes(waiting > 0),
            yes(after == 0)
        ));
    }
    Ok(())
}
