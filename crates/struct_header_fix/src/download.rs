//! `download`: what document 004 leaves as `pass` (its plan: 一边读，一遍发),
//! on port 8001 with `json-header`'s framing the other way round: a request
//! `[len]{"opt": "download", "filename": …}`, answered with a header and the
//! file. `crates/file_server` goes on.

use std::fs;
use std::io::{self, BufWriter, Seek, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;

use classroom::bytes::escape;
use classroom::files::{ScratchDir, checked_name};
use classroom::{Traced, narrate, runner};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::files::{FileHeader, md5_of, open_served, sample_text, save_file, send_file};
use crate::frame::{
    HEADER_CAP, invalid, parse, recv_framed, recv_reply, refuse, refused, send_json,
};

/// The document's port: the file server's.
pub const PORT: u16 = 8001;

/// What a client asks: `{"opt": "download", "filename": NAME}`.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    opt: String,
    filename: String,
}

// ANCHOR: server
/// The server's half, for one client: answer download requests until the
/// client closes.
pub fn server(listener: &TcpListener, folder: &Path) -> io::Result<()> {
    let (conn, peer) = listener.accept()?; // Python: conn, addr = sk.accept()
    let mut conn = Traced::accepted(conn, peer)?;
    let answered = send_files(&mut conn, folder);
    answered.or_else(|e| refuse(&mut conn, e))
}

fn send_files(conn: &mut Traced<TcpStream>, folder: &Path) -> io::Result<()> {
    while let Some(raw) = recv_framed(conn, HEADER_CAP)? {
        let request: Request = parse(&raw, "request")?; // Python: dic = json.loads(str_dic)
        if request.opt != "download" {
            return Err(invalid(format!("unknown opt {:?} (download)", request.opt)));
        }
        // Only a regular file of the folder, no dot-name, no link out of it.
        let (mut file, size) = match open_served(folder, &request.filename) {
            Ok(found) => found,
            Err(e) => {
                conn.say(format!("{e}: said so; the client may ask for another"));
                send_json(conn, &json!({ "error": e.to_string() }))?;
                continue;
            }
        };
        let md5 = md5_of(&mut file, size)?;
        file.rewind()?; // hashed, now sent from the start
        let header = FileHeader::new("download", &request.filename, size, Some(md5));
        // The header and the file wait in a BufWriter: a small file leaves
        // in one send with its header.
        let mut reply = BufWriter::new(&mut *conn);
        send_json(&mut reply, &header)?;
        send_file(&mut reply, &mut file, size)?; // the document's plan: 一边读，一遍发
        reply.flush()?;
    }
    Ok(()) // the client closed between two requests
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's half: download each file named in `names` (until `q`) into
/// `dest`, each checked against the md5 in its header. A name the server
/// has no file for is said, and the next name is asked for.
pub fn client(
    addr: SocketAddr,
    names: impl IntoIterator<Item = String>,
    dest: &Path,
) -> io::Result<()> {
    fs::create_dir_all(dest)?;
    let stream = TcpStream::connect(addr)?; // Python: sk.connect(("127.0.0.1", 8001))
    let mut stream = Traced::connected(stream)?;
    for filename in names.into_iter().take_while(|n| !n.is_empty() && n != "q") {
        let request = Request {
            opt: "download".into(),
            filename,
        };
        send_json(&mut stream, &request)?;
        let header = match recv_reply::<FileHeader>(&mut stream) {
            Ok(Some(header)) => header,
            Ok(None) => return Err(invalid("the server closed without an answer")),
            Err(e) if refused(&e) => {
                stream.say(e); // a mistyped name, say: the next one may do
                continue;
            }
            Err(e) => return Err(e),
        };
        let name = checked_name(&header.filename)?; // a name from the network
        let asked = &request.filename;
        if name != asked {
            return Err(invalid(format!("asked for {asked:?}, got {name:?}")));
        }
        let (size, want) = (header.filesize, header.md5.unwrap_or_default());
        save_file(&mut stream, dest, name, size, Some(&want))?;
        let name = escape(name); // for the terminal
        stream.say(format!("saved {name} ({size} bytes, md5 verified {want})"));
    }
    stream.shutdown(Shutdown::Write)
}
// ANCHOR_END: client

/// Download a file from the server's folder.
pub fn demo() -> io::Result<()> {
    let scratch = ScratchDir::new("struct_header_fix-demo")?;
    let (folder, dest) = (scratch.sub("files")?, scratch.sub("downloads")?);
    fs::write(folder.join("log.txt"), sample_text(3000))?;
    let names = ["log.txt".to_owned()];
    runner::pair(
        move |l| server(l, &folder),
        |addr| client(addr, names, &dest),
    )?;
    narrate("the header said how many bytes of file followed, and the md5 they must have");
    narrate("crates/file_server goes on: it lists the folder and resumes a broken download");
    Ok(())
}
