//! `pack-broken`, broken on purpose: the sender packs the length in network
//! order (`struct.pack('!i')`), the receiver unpacks it as documents 002 and
//! 004 do (`struct.unpack('i')`); its cap turns the absurd lengths into errors.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};

use classroom::tcp::until_closed;
use classroom::{Traced, narrate, runner};

use crate::frame::{MESSAGE_CAP, unpack_i, unpack_len};

// ANCHOR: pack_broken
/// The sender's mistake: the length in network order while the receiver
/// reads `struct.unpack('i')`. Length and data leave in one write, as
/// document 004 sends `b_len_dic + str_dic`.
pub fn send_big_endian(stream: &mut impl Write, data: &[u8]) -> io::Result<()> {
    let len = i32::try_from(data.len()).map_err(io::Error::other)?;
    let mut frame = len.to_be_bytes().to_vec(); // BUG: the receiver expects little endian
    frame.extend_from_slice(data);
    stream.write_all(&frame)
}
// ANCHOR_END: pack_broken

/// The receiving half, for two connections: read the 4-byte length, say
/// what it means, and read and drop the rest of the connection.
fn server(listener: &TcpListener) -> io::Result<()> {
    for _ in 0..2 {
        let (conn, _) = listener.accept()?;
        let mut conn = Traced::server(conn);
        let mut header = [0u8; 4];
        conn.read_exact(&mut header)?; // Python: header = conn.recv(4)
        let n = unpack_i(header);
        conn.say(format!("struct.unpack('i') reads {n}"));
        if n < 0 {
            let unsigned = u32::from_le_bytes(header);
            let unsigned = format!("as an unsigned number that would be {unsigned} bytes");
            conn.say(unsigned);
        }
        match unpack_len(header, MESSAGE_CAP) {
            Ok(len) => conn.say(format!("would read {len} bytes")),
            Err(e) => conn.say(format!("error: {e}; dropping the rest of this connection")),
        }
        until_closed(&mut conn)?;
    }
    Ok(())
}

/// Two messages whose lengths go out big endian and are read little endian.
pub fn demo() -> io::Result<()> {
    runner::pair(server, |addr| {
        for data in [b"hello".to_vec(), vec![b'x'; 200]] {
            let mut stream = Traced::client(TcpStream::connect(addr)?);
            send_big_endian(&mut stream, &data)?;
            stream.shutdown(Shutdown::Write)?;
            until_closed(&mut stream)?; // the server is done with this one
        }
        Ok(())
    })?;
    narrate("5 went out as 00 00 00 05, read as 83886080: the cap stops it, nothing allocated");
    narrate("200 went out as 00 00 00 c8, read as a negative number: Python would raise");
    narrate("both ends must agree on the byte order; `demo length` does it the documents' way");
    Ok(())
}
