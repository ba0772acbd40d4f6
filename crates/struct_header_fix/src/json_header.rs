//! `json-header`: the documents' full fix (document 000 §黏包的解决方案,
//! document 004 §使用struct优化, port 8001): a 4-byte length, a JSON header
//! (name, size as a JSON number, md5), then the file.

use std::io::{self, BufWriter, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;

use classroom::bytes::escape;
use classroom::files::ScratchDir;
use classroom::{Side, Traced, narrate, runner};
use serde_json::{Value, json};

use crate::files::{FileHeader, file_name, md5_of_file, sample_text, save_file, send_file};
use crate::frame::{HEADER_CAP, dumps, invalid, recv_framed, recv_reply, refuse};
use crate::frame::{send_framed, send_json};

/// The document's port for this step.
pub const PORT: u16 = 8001;

// ANCHOR: server
/// The server's half, for one client: one upload after another until the
/// client closes. Any error is answered with `{"error": …}` and ends this
/// connection; the server goes on with the next client.
pub fn server(listener: &TcpListener, folder: &Path) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sk.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    let received = receive_uploads(&mut conn, folder);
    received.or_else(|e| refuse(&mut conn, e))
}

fn receive_uploads(conn: &mut Traced<TcpStream>, folder: &Path) -> io::Result<()> {
    // Python: b_len_dic = conn.recv(4)
    //         len_dic = struct.unpack('i', b_len_dic)[0]
    //         str_dic = conn.recv(len_dic).decode('utf-8')
    while let Some(raw) = recv_framed(conn, HEADER_CAP)? {
        let header = FileHeader::upload(&raw)?; // Python: dic = json.loads(str_dic)
        receive(conn, &header, folder)?;
    }
    Ok(()) // the client closed between two uploads
}
// ANCHOR_END: server

// ANCHOR: receive
/// Receive one file into `folder` (size and, when the header has one, md5
/// checked), then answer what was saved.
fn receive(conn: &mut Traced<TcpStream>, header: &FileHeader, folder: &Path) -> io::Result<()> {
    let (name, size, want) = (&header.filename, header.filesize, header.md5.as_deref());
    match want {
        Some(md5) if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) => {
            return Err(invalid(format!("md5 {md5:?} is not 32 hex digits")));
        }
        Some(_) => {}
        None => conn.say("no md5 in the header (document 004 sends none): only the size counts"),
    }
    // Python: while dic['filesize']: content = conn.recv(1024); f.write(content)
    save_file(conn, folder, name, size, want)?;
    let checked = want.map_or(String::new(), |md5| format!(", md5 verified {md5}"));
    conn.say(format!("saved {} ({size} bytes{checked})", escape(name))); // a name a peer chose
    let reply = json!({ "saved": name, "filesize": size, "md5": want });
    send_json(conn, &reply) // one frame: the length and the JSON in one send
}
// ANCHOR_END: receive

// ANCHOR: client
/// The client's half: upload each file named in `paths` (until `q`) over
/// one connection, then close the sending side.
pub fn client(addr: SocketAddr, paths: impl IntoIterator<Item = String>) -> io::Result<()> {
    let stream = TcpStream::connect(addr)?; // Python: sk.connect(("127.0.0.1", 8001))
    let mut stream = Traced::connected(stream)?;
    for path in paths.into_iter().take_while(|p| !p.is_empty() && p != "q") {
        let path = Path::new(&path);
        let md5 = md5_of_file(path)?; // read once to hash, once to send
        upload(&mut stream, path, &file_name(path)?, &md5)?;
    }
    stream.shutdown(Shutdown::Write) // no more uploads: the server sees EOF
}

/// One upload: length, header and file, then the server's answer.
fn upload(stream: &mut Traced<TcpStream>, path: &Path, name: &str, md5: &str) -> io::Result<()> {
    let size = std::fs::metadata(path)?.len();
    let header = dumps(&FileHeader::new("upload", name, size, Some(md5.to_owned())));
    // The upload's writes wait in a BufWriter: a small file leaves in one
    // send with its header, and the server's reads can never come first.
    let mut upload = BufWriter::new(&mut *stream);
    send_framed(&mut upload, &header)?; // Python: conn.send(head_len_bytes); conn.send(head_bytes)
    send_file(&mut upload, &mut std::fs::File::open(path)?, size)?; // Python: conn.sendall(file data)
    upload.flush()?;
    drop(upload);
    if recv_reply::<Value>(stream)?.is_none() {
        stream.say("the server closed without an answer, as document 004's server does");
    }
    Ok(())
}
// ANCHOR_END: client

/// An upload that arrives intact, and one whose header lies about the md5.
pub fn demo() -> io::Result<()> {
    let scratch = ScratchDir::new("struct_header_fix-demo")?;
    let folder = scratch.sub("files")?;
    let path = scratch.sub("client")?.join("report.txt");
    std::fs::write(&path, sample_text(3000))?;
    let server_folder = folder.clone();
    runner::pair(
        move |listener| {
            if let Err(e) = server(listener, &server_folder) {
                Side::server().say(runner::ending(&e));
            }
            Ok(())
        },
        |addr| {
            let mut stream = Traced::connected(TcpStream::connect(addr)?)?;
            upload(&mut stream, &path, "report.txt", &md5_of_file(&path)?)?;
            // As if the file had been damaged on the way:
            let refused = upload(&mut stream, &path, "copy.txt", &"0".repeat(32)).err();
            stream.say(refused.ok_or_else(|| io::Error::other("a wrong md5 was accepted"))?);
            Ok(())
        },
    )?;
    let saved = std::fs::read_dir(&folder)?.count();
    let saved = format!("files/ holds {saved} file: the upload with the wrong md5 left none");
    narrate(saved);
    narrate("the length said where the header ended; the header said where the file ended");
    Ok(())
}
