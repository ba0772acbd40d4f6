//! `sendall`: `write` may take fewer bytes than you offer; `write_all` (Python's
//! `sendall`) is the loop that offers the rest until all are taken (document
//! 000 §send和sendall方法).
//!
//! To make a short write happen for real, the demo shrinks both socket
//! buffers and lets the receiver not read, then writes 4 MiB on a
//! non-blocking socket: the kernel takes what fits and returns the count.

use std::io::{self, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;

use classroom::{Side, narrate, runner};
use socket2::{Domain, SockRef, Socket, Type};

/// How much the demo sends: far more than the buffers hold.
pub const PAYLOAD: usize = 4 * 1024 * 1024;

/// The buffer size asked for on both sides.
const BUFFER: usize = 64 * 1024;

// ANCHOR: send_all
/// What `write_all` does: call `write` until every byte is taken. Returns how
/// many `write` calls it took.
pub fn send_all(stream: &mut impl Write, mut data: &[u8]) -> io::Result<usize> {
    let mut calls = 0;
    while !data.is_empty() {
        match stream.write(data) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => {
                calls += 1;
                data = &data[n..]; // offer the rest next time
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(calls)
}
// ANCHOR_END: send_all

// ANCHOR: small_buffer_listener
/// A listener whose accepted connections get a small receive buffer.
fn small_buffer_listener() -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    // Set before listen: accepted sockets inherit it.
    socket.set_recv_buffer_size(BUFFER)?;
    socket.bind(&classroom::cli::ephemeral().into())?;
    socket.listen(8)?;
    Ok(socket.into())
}
// ANCHOR_END: small_buffer_listener

/// The short write, then the loop that finishes the job.
pub fn demo() -> io::Result<()> {
    let listener = small_buffer_listener()?;
    Side::server().say(format!("listening on {}", listener.local_addr()?));
    let (accepted_tx, accepted) = mpsc::channel();
    let (start_tx, start_reading) = mpsc::channel();
    runner::pair_on(
        listener,
        move |listener| {
            let (mut conn, peer) = listener.accept()?;
            let server = Side::server();
            server.say(format!("accepted {peer}; not reading yet"));
            let _ = accepted_tx.send(());
            let _ = start_reading.recv();
            // Read to EOF and count, without printing every read.
            let total = io::copy(&mut conn, &mut io::sink())?;
            server.say(format!("read {total} bytes in all, then EOF"));
            Ok(())
        },
        |addr| {
            let client = Side::client();
            let mut stream = TcpStream::connect(addr)?;
            let _ = accepted.recv();
            SockRef::from(&stream).set_send_buffer_size(BUFFER)?;
            let data = vec![b'x'; PAYLOAD];

            // ANCHOR: short_write
            stream.set_nonblocking(true)?;
            let taken = stream.write(&data)?;
            client.say(format!(
                "write() offered {PAYLOAD} bytes, the kernel took {taken}"
            ));
            // ANCHOR_END: short_write

            stream.set_nonblocking(false)?;
            let _ = start_tx.send(());
            let calls = send_all(&mut stream, &data[taken..])?;
            client.say(format!(
                "send_all() wrote the other {} bytes in {calls} write() call(s)",
                PAYLOAD - taken
            ));
            Ok(())
        },
    )?;
    narrate("write() says how many bytes it took; only a loop (write_all, sendall) sends them all");
    narrate("a blocking write usually takes everything before it returns, but nothing promises it");
    Ok(())
}
