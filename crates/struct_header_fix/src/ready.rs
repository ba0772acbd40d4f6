//! `ready`: document 001's fix (§粘包的解决办法, port 9999). The server
//! announces the size of a command's output, `ready|SIZE`; the client
//! answers `start`, then reads until it has SIZE bytes. No shell: lesson
//! 04's commands (`ls`, `cat NAME`, `help`), in Rust, inside one folder.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;

use classroom::bytes::hex;
use classroom::files::ScratchDir;
use classroom::tcp::RECV_SIZE;
use classroom::{Traced, narrate, runner};
use sticky_packet_demo::commands;

use crate::files::sample_text;
use crate::frame::invalid;

/// The document's port for this step.
pub const PORT: u16 = 9999;

/// The word that ends the session, the document's `exit`.
pub const EXIT: &str = "exit";

/// The document's answer when a command printed nothing.
pub const CMD_ERROR: &[u8] = b"cmd error...";

// ANCHOR: server
/// The server's half, for one client: run each command, announce the
/// output's size, wait for `start`, send the output.
pub fn server(listener: &TcpListener, folder: &Path) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = s.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    let mut buf = [0u8; RECV_SIZE];
    loop {
        let n = conn.read(&mut buf)?; // Python: recv_data = conn.recv(1024)
        let Ok(command) = std::str::from_utf8(&buf[..n]) else {
            conn.write_all(b"error: the command is not UTF-8 text")?;
            continue;
        };
        if n == 0 || command == EXIT {
            return Ok(()); // Python: if str(recv_data, ...) == 'exit': break
        }
        let output = commands::run(command, folder)?; // never a shell
        if output.is_empty() {
            conn.write_all(CMD_ERROR)?; // Python: conn.send(ret), ret = b'cmd error...'
            continue;
        }
        let tag = format!("ready|{}", output.len());
        conn.write_all(tag.as_bytes())?; // Python: conn.send(bytes(read_tag, encoding='utf8'))
        let n = conn.read(&mut buf)?; // Python: feedback = conn.recv(1024)
        match &buf[..n] {
            b"start" => conn.write_all(&output)?, // Python: conn.send(ret)
            [] => {
                let why = "the client closed instead of answering start";
                return Err(io::Error::new(ErrorKind::UnexpectedEof, why));
            }
            _ => {
                conn.write_all(b"error: expected start")?;
                return Err(invalid("the client did not answer start"));
            }
        }
    }
}
// ANCHOR_END: server

/// `ready|2500` → 2500. Anything else is not a size announcement.
pub fn parse_ready(tag: &[u8]) -> Option<u64> {
    let tag = std::str::from_utf8(tag).ok()?;
    tag.strip_prefix("ready|")?.parse().ok()
}

/// The client's half: run each command (until `exit`, `q` or the end of
/// input), then say `exit`.
pub fn client(addr: SocketAddr, lines: impl IntoIterator<Item = String>) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: s.connect(ip_port)
    let mut stream = Traced::connected(stream)?;
    for line in lines {
        let command = line.trim();
        if command == EXIT || command == "q" {
            break;
        }
        if !command.is_empty() {
            run_command(&mut stream, command)?; // Python: if not send_data: continue
        }
    }
    stream.write_all(EXIT.as_bytes()) // Python: s.send(bytes('exit', ...)); break
}

/// One command: send it, and if the server is ready, say `start` and read
/// exactly the announced number of bytes.
fn run_command(stream: &mut Traced<TcpStream>, command: &str) -> io::Result<()> {
    stream.write_all(command.as_bytes())?; // Python: s.send(bytes(send_data, encoding='utf-8'))
    let mut buf = [0u8; RECV_SIZE];
    let n = stream.read(&mut buf)?; // Python: ready_tag = s.recv(1024)
    let Some(size) = parse_ready(&buf[..n]) else {
        return Ok(()); // an answer without output: it is all there is
    };
    stream.write_all(b"start")?; // Python: s.send(bytes('start', encoding='utf8'))
    // ANCHOR: read_announced
    let mut got = 0; // Python: recv_size = 0; each read is printed: nothing to keep
    while got < size {
        let want = (size - got).min(RECV_SIZE as u64) as usize; // never into what follows
        let n = stream.read(&mut buf[..want])?; // Python: recv_data = s.recv(1024)
        if n == 0 {
            let why = format!("the server closed after {got} of {size} bytes");
            return Err(io::Error::new(ErrorKind::UnexpectedEof, why));
        }
        got += n as u64; // Python: recv_size += len(recv_data)
        stream.say(format!("progress: {got}/{size} bytes"));
    }
    // ANCHOR_END: read_announced
    Ok(())
}

/// Two commands against a scratch folder: a long output, and a name the
/// server refuses.
pub fn demo() -> io::Result<()> {
    let scratch = ScratchDir::new("struct_header_fix-demo")?;
    let folder = scratch.sub("files")?;
    std::fs::write(folder.join("notes.txt"), "ready, start, go\n")?;
    std::fs::write(folder.join("log.txt"), sample_text(2500))?;
    let commands = ["cat log.txt", "cat ../secret.txt"].map(String::from);
    runner::pair(move |l| server(l, &folder), |addr| client(addr, commands))?;
    narrate(
        "the client knew the size and read exactly that: nothing was left for the next command",
    );
    narrate("the cost: a round trip (start) per command; a length saves it: `demo length`");
    // Document 001 decodes the output as GBK, a Chinese Windows console's.
    let gbk = vec![0xc4, 0xe3, 0xba, 0xc3]; // 你好 in GBK (code page 936)
    let utf8 = hex("你好".as_bytes());
    narrate(format!("你好 in GBK: {}; in UTF-8: {utf8}", hex(&gbk)));
    let err = String::from_utf8(gbk).expect_err("not UTF-8").utf8_error();
    narrate(format!(
        "GBK bytes decoded as UTF-8: {err}; ours are UTF-8 already"
    ));
    Ok(())
}
