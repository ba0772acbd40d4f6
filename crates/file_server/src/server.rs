//! The server: one client at a time, one request after another, each a JSON
//! frame read through a [`FrameReader`]. It logs one line per request
//! rather than every system call, as a program you leave running would.

use std::fs::{self, File};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

use classroom::Traced;
use classroom::bytes::escape;
use classroom::files::checked_name;
use classroom::tcp::patience;
use md5::{Digest, Md5};
use serde_json::{Value, json};
use struct_header_fix::files::{PartFile, copy_exact, hex_digest, md5_of, open_served};
use struct_header_fix::frame::{HEADER_CAP, invalid, parse, refuse, send_json};

use crate::decoder::FrameReader;
use crate::{DownloadHeader, Listed, Listing, Request, progress};

/// Serve one client: accept, then answer its requests until it closes. An
/// error is answered with `{"error": …}` and ends this connection.
pub fn serve_one(listener: &TcpListener, folder: &Path) -> io::Result<()> {
    let (conn, peer) = listener.accept()?;
    say(format!("accepted a connection from {peer}"));
    // Quiet: this server logs requests, not system calls. Every read and
    // write still goes through `conn`, so the connection's deadline holds:
    // a client that trickles or reads slowly is let go within it.
    let mut conn = Traced::quiet(conn).with_patience(patience())?;
    let answered = answer(&mut conn, folder);
    answered.or_else(|e| refuse(&mut conn, e))
}

fn answer(conn: &mut Traced<TcpStream>, folder: &Path) -> io::Result<()> {
    let mut requests = FrameReader::new(conn);
    while let Some(raw) = requests.read_frame(HEADER_CAP)? {
        let reply = match parse(&raw, "request")? {
            Request::Upload {
                filename,
                filesize,
                md5,
            } => {
                let name = checked_name(&filename)?;
                receive(&mut requests, folder, name, filesize, md5.as_deref())?
            }
            Request::List => serde_json::to_value(Listing {
                files: list(folder)?,
            })?,
            // A name it cannot serve is answered, and the client may go on.
            Request::Download { filename, offset } => match open_served(folder, &filename) {
                Ok(found) => {
                    send(requests.get_mut(), found, &filename, offset)?;
                    continue; // the file was the answer
                }
                Err(e) => {
                    say(e.to_string());
                    json!({ "error": e.to_string() })
                }
            },
        };
        send_json(requests.get_mut(), &reply)?;
    }
    say("the client closed: done".into());
    Ok(())
}

/// Receive an upload into a temporary file, checked, renamed; the answer.
fn receive(
    requests: &mut FrameReader<&mut Traced<TcpStream>>,
    folder: &Path,
    name: &str,
    len: u64,
    want: Option<&str>,
) -> io::Result<Value> {
    let mut part = PartFile::create(folder, name)?;
    let (mut md5, bar) = (Md5::new(), progress::bar(len, 0));
    requests.copy_data(len, &mut part, |piece| {
        md5.update(piece);
        bar.inc(piece.len() as u64);
    })?; // cut short: an error, and `part` deletes itself
    bar.finish_and_clear();
    let got = hex_digest(&md5.finalize());
    if let Some(want) = want
        && !want.eq_ignore_ascii_case(&got)
    {
        let want = escape(want); // a peer's words
        let why = format!("md5 mismatch: the header says {want}, the data hashes to {got}");
        return Err(invalid(why));
    }
    part.commit()?;
    say(format!("saved {} ({len} bytes, md5 {got})", escape(name)));
    Ok(json!({ "saved": name, "filesize": len, "md5": got }))
}

/// The files a client may download: regular files with UTF-8 names, no
/// hidden ones (such as a `.NAME.part` being written), sorted by name.
pub fn list(folder: &Path) -> io::Result<Vec<Listed>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if let Ok(name) = entry.file_name().into_string()
            && meta.is_file()
            && !name.starts_with('.')
        {
            files.push(Listed {
                name,
                size: meta.len(),
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

// ANCHOR: send
/// Send `name`, opened and sized by `open_served`, from `offset` on: its
/// header (the whole file's size and md5, so a resumed copy is checked end
/// to end), then the bytes.
fn send(conn: &mut impl Write, found: (File, u64), name: &str, offset: u64) -> io::Result<()> {
    let (mut file, size) = found;
    if offset > size {
        let name = escape(name);
        let why = format!("offset {offset} is past the end of {name} ({size} bytes)");
        return Err(invalid(why));
    }
    let (filename, md5) = (name.to_owned(), md5_of(&mut file, size)?);
    let header = DownloadHeader {
        filename,
        filesize: size,
        md5,
        offset,
    };
    say(format!(
        "sending {} from byte {offset} of {size}",
        escape(name)
    ));
    file.seek(SeekFrom::Start(offset))?;
    let mut reply = BufWriter::new(conn); // a small file leaves with its header
    send_json(&mut reply, &header)?;
    let bar = progress::bar(size, offset);
    copy_exact(&mut file, &mut reply, size - offset, |piece| {
        bar.inc(piece.len() as u64)
    })?;
    bar.finish_and_clear();
    reply.flush()
}
// ANCHOR_END: send

/// A line in the server's lane.
fn say(text: String) {
    classroom::Side::server().say(text);
}
