//! `json-header`: the documents' full fix (document 000 §黏包的解决方案,
//! document 004 §使用struct优化, port 8001). A file travels as
//!
//! ```text
//! +-------------+------------------------------------------+----------------+
//! | 3b 00 00 00 | {"opt": "upload", "filename": …, …}      | filesize bytes |
//! +-------------+------------------------------------------+----------------+
//!   length of      the header: JSON, UTF-8                   the file
//!   the header
//! ```
//!
//! The 4-byte length says where the header ends; the header says how long
//! the file is (as a JSON number, so no 2 GiB limit) and what its md5 must
//! be. The server streams the file to a temporary name, checks size and
//! md5, renames it, and answers with one JSON frame.
//!
//! The same server answers document 004's other menu choice, `download`
//! (the `pass` in the document): see [`crate::download`].

use std::io;
use std::net::SocketAddr;
use std::path::Path;

use classroom::{Side, narrate};

use crate::ack::file_name;
use crate::conn::Conn;
use crate::conn::Turns;
use crate::decoder::FrameReader;
use crate::download;
use crate::files::{Folder, checked_name, md5_of_file};
use crate::frame::HEADER_CAP;
use crate::header::{FileHeader, Request, Saved, check_md5, parse_request};
use classroom::tcp::demo_pair;

use crate::serve::DemoDir;
use crate::transfer::{receive_file, recv_reply, refuse, send_file, send_json};

/// The document's port for this step.
pub const PORT: u16 = 8001;

// ANCHOR: serve
/// The server's half: one request after another (upload, list, download)
/// until the client closes. Any error is answered with `{"error": …}` and
/// ends this connection; the server goes on with the next client.
pub fn serve(conn: &mut impl Conn, out: &mut Side, folder: &Folder) -> io::Result<()> {
    let mut reader = FrameReader::new(conn);
    loop {
        let outcome = match reader.read_frame(HEADER_CAP) {
            Ok(None) => return Ok(()), // closed between two requests
            Ok(Some(raw)) => {
                out.received(&raw);
                parse_request(&raw).and_then(|request| match request {
                    Request::Upload(header) => receive(&mut reader, out, folder, &header),
                    Request::List => download::list(reader.get_mut(), out, folder),
                    Request::Download(request) => {
                        download::send(reader.get_mut(), out, folder, &request)
                    }
                })
            }
            Err(e) => Err(e.into()),
        };
        if let Err(e) = outcome {
            return refuse(reader.get_mut(), e, out);
        }
    }
}
// ANCHOR_END: serve

/// Receive one uploaded file into `folder`, then answer with what was saved.
fn receive<C: Conn>(
    reader: &mut FrameReader<C>,
    out: &mut Side,
    folder: &Folder,
    header: &FileHeader,
) -> io::Result<()> {
    let name = checked_name(&header.filename)?;
    let md5 = header.md5.as_deref();
    if let Some(md5) = md5 {
        check_md5(md5)?;
    } else {
        out.say("no md5 in the header (document 004 sends none): only the size is checked");
    }
    let got = receive_file(reader, header.filesize, folder, name, md5)?;
    let verified = if md5.is_some() { "md5 verified" } else { "md5" };
    out.say(format!(
        "saved {} ({} bytes, {verified} {got})",
        folder.show(name),
        header.filesize
    ));
    let reply = Saved {
        saved: name.to_owned(),
        filesize: header.filesize,
        md5: got,
    };
    send_json(reader.get_mut(), &reply, out)
}

// ANCHOR: upload
/// The client's half of one upload: length, header, file; then the
/// server's answer.
pub fn upload(stream: &mut impl Conn, path: &Path, out: &mut Side) -> io::Result<()> {
    let name = file_name(path)?;
    let size = std::fs::metadata(path)?.len();
    let md5 = md5_of_file(path)?; // read once to hash, once to send
    let header = FileHeader::upload(&name, size, Some(md5));
    send_json(stream, &header, out)?; // 4-byte length, then the JSON
    send_file(stream, path, 0, size, out)?; // then exactly `size` bytes
    let mut reader = FrameReader::new(stream);
    if recv_reply(&mut reader, out)?.is_none() {
        out.say("the server closed without an answer, as document 004's server does");
    }
    Ok(())
}
// ANCHOR_END: upload

/// Upload each file named in `messages` (or typed on stdin) over one
/// connection.
pub fn run_client(addr: SocketAddr, messages: &[String]) -> io::Result<()> {
    classroom::tcp::client_session(addr, |mut stream, out| {
        out.say("one file path per line, q to quit");
        for path in classroom::cli::input_lines(messages) {
            if path.is_empty() || path == "q" {
                break;
            }
            upload(&mut stream, Path::new(&path), out)?;
        }
        stream.finish_sending()
    })
}

/// An upload that arrives intact, and one whose header lies about the md5.
pub fn demo() -> io::Result<()> {
    let dir = DemoDir::new()?;
    let folder = dir.folder("files")?;
    let path = dir.client_file("report.txt", 3000)?;

    let server_folder = folder.clone();
    demo_pair(
        move |mut conn: Turns, out| {
            if let Err(e) = serve(&mut conn, out, &server_folder) {
                out.say(format!("gave up on the client: {e}"));
            }
            Ok(())
        },
        |mut stream: Turns, out| {
            upload(&mut stream, &path, out)?;
            lying_upload(&mut stream, &path, out)
        },
    )?;
    let saved = folder.list()?;
    let names: Vec<String> = saved
        .iter()
        .map(|(n, s)| format!("{n} ({s} bytes)"))
        .collect();
    narrate(format!(
        "{} now holds: {}; the upload with the wrong md5 left nothing behind",
        folder.label(),
        names.join(", ")
    ));
    narrate("the length said where the header ended; the header said where the file ended");
    Ok(())
}

/// The second demo upload: a header whose md5 does not match the data,
/// as if the file had been damaged on the way.
fn lying_upload(stream: &mut impl Conn, path: &Path, out: &mut Side) -> io::Result<()> {
    let size = std::fs::metadata(path)?.len();
    let wrong = "00000000000000000000000000000000".to_owned();
    let header = FileHeader::upload("copy.txt", size, Some(wrong));
    send_json(stream, &header, out)?;
    send_file(stream, path, 0, size, out)?;
    let mut reader = FrameReader::new(stream);
    match recv_reply(&mut reader, out) {
        Err(e) => {
            out.say(format!("{e}"));
            Ok(())
        }
        Ok(_) => Err(io::Error::other("the server accepted a wrong md5")),
    }
}
