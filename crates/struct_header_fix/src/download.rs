//! `download`: document 004's second menu choice, which the document leaves
//! as `pass` with a comment describing what it should do. Same server, same
//! port (8001) and same framing as `json-header`:
//!
//! ```text
//! client                                  server
//!   [len]{"opt": "list"}              ──►
//!                                 ◄──  [len]{"files": [{"name": …, "size": …}]}
//!   [len]{"opt": "download", "filename": "log.txt", "offset": 0}  ──►
//!                                 ◄──  [len]{"filename": …, "filesize": N, "md5": …, "offset": 0}
//!                                 ◄──  N bytes
//! ```
//!
//! The document's comment has the client send an absolute path and browse
//! the server's directories. Ours serves one folder and accepts only plain
//! names from it: a server that opens any path a client names serves
//! everything on the machine.
//!
//! A download can be resumed: the client keeps what it received in
//! `.NAME.part` and asks for the rest with `offset`.

use std::fs;
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use classroom::{Side, narrate, run_roles};
use md5::{Digest, Md5};
use serde::Deserialize;
use serde_json::json;
use socket2::SockRef;

use crate::conn::{Conn, Turns};
use crate::decoder::FrameReader;
use crate::files::{Folder, PartFile, checked_name, hash_file, hex, md5_of_file};
use crate::header::{DownloadHeader, DownloadRequest, Listed, check_md5, fields, invalid};
use crate::json_header;
use crate::progress;
use crate::serve::{DemoDir, sample_text};
use crate::transfer::{recv_reply, send_file, send_json};

/// The document's port: the file server of `json-header`.
pub const PORT: u16 = 8001;

/// The server's answer to `{"opt": "list"}`.
pub fn list(conn: &mut impl Conn, out: &mut Side, folder: &Folder) -> io::Result<()> {
    let files: Vec<Listed> = folder
        .list()?
        .into_iter()
        .map(|(name, size)| Listed { name, size })
        .collect();
    send_json(conn, &json!({ "files": files }), out)
}

// ANCHOR: send
/// The server's answer to a download request: the file's header, then its
/// bytes from `offset` on.
pub fn send(
    conn: &mut impl Conn,
    out: &mut Side,
    folder: &Folder,
    request: &DownloadRequest,
) -> io::Result<()> {
    let name = checked_name(&request.filename)?;
    let path = folder.path().join(name);
    let size = match fs::metadata(&path) {
        Ok(meta) if meta.is_file() && !name.starts_with('.') => meta.len(),
        _ => return Err(invalid(format!("no file {name:?} in {}", folder.label()))),
    };
    if request.offset > size {
        return Err(invalid(format!(
            "offset {} is past the end of {name} ({size} bytes)",
            request.offset
        )));
    }
    let header = DownloadHeader {
        filename: name.to_owned(),
        filesize: size,
        md5: md5_of_file(&path)?, // of the whole file, so a resumed copy can be checked
        offset: request.offset,
    };
    send_json(conn, &header, out)?;
    send_file(conn, &path, request.offset, size, out)
}
// ANCHOR_END: send

/// `{"files": [...]}`, the answer to `{"opt": "list"}`.
#[derive(Debug, Deserialize)]
struct FileList {
    files: Vec<Listed>,
}

/// The client's half of `list`.
pub fn list_files(stream: &mut impl Conn, out: &mut Side) -> io::Result<Vec<Listed>> {
    send_json(stream, &json!({ "opt": "list" }), out)?;
    let mut reader = FrameReader::new(stream);
    let reply = recv_reply(&mut reader, out)?.ok_or_else(closed)?;
    // Typed, not `reply["files"]`: indexing a JSON value that is not an
    // object (a server answering `[1, 2]`) panics.
    let list: FileList = fields(reply, "reply")?;
    Ok(list.files)
}

fn closed() -> io::Error {
    io::Error::new(
        ErrorKind::UnexpectedEof,
        "the server closed the connection without an answer",
    )
}

// ANCHOR: download
/// Download `name` into `dest`, resuming from `.NAME.part` if an earlier
/// try left one there.
pub fn download(
    stream: &mut impl Conn,
    name: &str,
    dest: &Folder,
    out: &mut Side,
) -> io::Result<()> {
    let name = checked_name(name)?;
    let (mut part, have) = PartFile::resumable(dest.path(), name)?;
    if have > 0 {
        out.say(format!(
            "{} holds {have} bytes from an earlier try: asking for the rest",
            dest.show(&format!(".{name}.part"))
        ));
    }
    let request = DownloadRequest {
        opt: "download".into(),
        filename: name.to_owned(),
        offset: have,
    };
    send_json(stream, &request, out)?;
    let mut reader = FrameReader::new(stream);
    let reply = recv_reply(&mut reader, out)?.ok_or_else(closed)?;
    let header: DownloadHeader = fields(reply, "reply")?;
    if header.filename != name || header.offset != have || header.filesize < have {
        return Err(invalid("the reply does not match the request"));
    }
    check_md5(&header.md5)?;
    // ANCHOR: resume
    // The md5 covers the whole file: hash what we already have first.
    let mut hasher = Md5::new();
    hash_file(part.temp_path(), &mut hasher)?;
    let bar = progress::bar(header.filesize, have);
    let left = header.filesize - have;
    reader.copy_data(left, &mut part, |piece| {
        hasher.update(piece);
        bar.inc(piece.len() as u64);
    })?; // cut short: .NAME.part keeps what came, for the next try
    bar.finish_and_clear();
    out.say(format!("received {left} bytes of file data"));
    let got = hex(&hasher.finalize());
    if got != header.md5.to_ascii_lowercase() {
        part.discard(); // wrong bytes: resuming from them would not help
        return Err(invalid(format!(
            "md5 mismatch: the server says {}, the data hashes to {got}",
            header.md5
        )));
    }
    part.commit()?;
    // ANCHOR_END: resume
    out.say(format!(
        "saved {} ({} bytes, md5 verified {got})",
        dest.show(name),
        header.filesize
    ));
    Ok(())
}
// ANCHOR_END: download

/// List the server's folder, then download each name (or number from the
/// list) given in `messages` or typed on stdin into `dest`.
pub fn run_client(addr: SocketAddr, messages: &[String], dest: &Folder) -> io::Result<()> {
    dest.create()?;
    let mut out = Side::client();
    let mut stream = classroom::tcp::connect(addr)?;
    out.say(format!("connected to {addr}"));
    let files = list_files(&mut stream, &mut out)?;
    show_list(&files, &out);
    if files.is_empty() {
        out.say("nothing to download");
        return stream.finish_sending();
    }
    if messages.is_empty() {
        out.say("type a name or a number to download it, q to quit");
    }
    for choice in classroom::cli::input_lines(messages) {
        if choice.is_empty() || choice == "q" {
            break;
        }
        let name = match choice.parse::<usize>() {
            Ok(n) if (1..=files.len()).contains(&n) => files[n - 1].name.clone(),
            _ => choice,
        };
        download(&mut stream, &name, dest, &mut out)?;
    }
    stream.finish_sending()
}

fn show_list(files: &[Listed], out: &Side) {
    for (i, file) in files.iter().enumerate() {
        out.say(format!(
            "{:>2}. {:>8} bytes  {}",
            i + 1,
            file.size,
            file.name
        ));
    }
}

/// How far the demo's first try gets before the connection breaks.
const BROKEN_AT: u64 = 1000;

/// List, a download that breaks off, and the resumed download.
pub fn demo() -> io::Result<()> {
    let dir = DemoDir::new()?;
    let folder = dir.folder("files")?;
    let dest = dir.folder("downloads")?;
    fs::write(folder.path().join("notes.txt"), "download me\n")?;
    fs::write(folder.path().join("log.txt"), sample_text(3000))?;

    let listener = TcpListener::bind(classroom::cli::ephemeral())?;
    let addr = listener.local_addr()?;
    let mut server = Side::server();
    server.say(format!("listening on {addr}"));
    let (accepted_tx, accepted) = mpsc::channel();
    let (done_tx, done) = mpsc::channel();
    let server_folder = folder.clone();
    run_roles(
        move || {
            for _ in 0..2 {
                let (conn, _) = listener.accept()?;
                server.say("accepted a connection");
                let _ = accepted_tx.send(());
                let mut conn = Turns::new(conn);
                match json_header::serve(&mut conn, &mut server, &server_folder) {
                    Ok(()) => server.say("the client closed: done"),
                    Err(e) => server.say(format!("gave up on the client: {}", e.kind())),
                }
                let _ = done_tx.send(());
            }
            Ok(())
        },
        || {
            let mut out = Side::client();
            let mut stream = Turns::new(TcpStream::connect(addr)?);
            let _ = accepted.recv();
            let files = list_files(&mut stream, &mut out)?;
            show_list(&files, &out);
            broken_download(stream, "log.txt", &dest, &mut out)?;
            let _ = done.recv();

            let mut stream = Turns::new(TcpStream::connect(addr)?);
            let _ = accepted.recv();
            download(&mut stream, "log.txt", &dest, &mut out)?;
            stream.finish_sending()?;
            let _ = done.recv();
            Ok(())
        },
    )?;
    narrate("the second try asked for offset 1000 and got only the 2000 bytes it lacked");
    narrate("the md5 covers the whole file, so the joined copy was checked end to end");
    Ok(())
}

/// The demo's first try: ask for the whole file, keep the first
/// [`BROKEN_AT`] bytes in `.NAME.part`, then lose the connection.
fn broken_download(mut stream: Turns, name: &str, dest: &Folder, out: &mut Side) -> io::Result<()> {
    let (mut part, have) = PartFile::resumable(dest.path(), name)?;
    let request = DownloadRequest {
        opt: "download".into(),
        filename: name.to_owned(),
        offset: have,
    };
    send_json(&mut stream, &request, out)?;
    let mut reader = FrameReader::new(&mut stream);
    recv_reply(&mut reader, out)?.ok_or_else(closed)?;
    reader.copy_data(BROKEN_AT, &mut part, |_| {})?;
    out.say(format!(
        "received {BROKEN_AT} bytes into {}, then the connection broke",
        dest.show(&format!(".{name}.part"))
    ));
    // SO_LINGER 0 makes close() reset the connection, as a crash would.
    SockRef::from(stream.tcp()).set_linger(Some(Duration::ZERO))?;
    Ok(())
}
