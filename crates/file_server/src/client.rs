//! The client: uploads with the md5 in the header, a listing, and downloads
//! that resume from `.NAME.part`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::TcpStream;
use std::path::Path;

use classroom::Side;
use classroom::bytes::escape;
use classroom::files::checked_name;
use md5::{Digest, Md5};
use serde_json::Value;
use struct_header_fix::files::{copy_exact, file_name, hex_digest, md5_of_file, send_file};
use struct_header_fix::frame::{invalid, recv_reply, send_json};

use crate::part::{Resumable, part_name};
use crate::{DownloadHeader, Listed, Listing, Request, progress};

/// Upload the file at `path`: header with size and md5, the bytes, then the
/// server's answer.
pub fn upload(stream: &mut TcpStream, path: &Path) -> io::Result<()> {
    let (filename, filesize) = (file_name(path)?, std::fs::metadata(path)?.len());
    let md5 = Some(md5_of_file(path)?);
    let request = Request::Upload {
        filename: filename.clone(),
        filesize,
        md5,
    };
    let mut upload = BufWriter::new(&mut *stream); // a small file leaves with its header
    send_json(&mut upload, &request)?;
    send_file(&mut upload, &mut File::open(path)?, filesize)?;
    upload.flush()?;
    drop(upload);
    let reply: Value = recv_reply(stream)?.ok_or_else(closed)?;
    let (name, reply) = (escape(&filename), escape(&reply.to_string()));
    say(format!("uploaded {name}, the server says {reply}"));
    Ok(())
}

/// The server's files.
pub fn list(stream: &mut TcpStream) -> io::Result<Vec<Listed>> {
    send_json(stream, &Request::List)?;
    let listing: Listing = recv_reply(stream)?.ok_or_else(closed)?;
    for (i, file) in listing.files.iter().enumerate() {
        let name = escape(&file.name); // a name the server chose
        say(format!("{:>2}. {:>8} bytes  {name}", i + 1, file.size));
    }
    Ok(listing.files)
}

// ANCHOR: download
/// Download `name` into `dest`, resuming from `.NAME.part` if an earlier
/// try left one there; `stop_after` cuts the transfer short (the demo's
/// broken connection).
pub fn download(
    stream: &mut TcpStream,
    name: &str,
    dest: &Path,
    stop_after: Option<u64>,
) -> io::Result<()> {
    let name = checked_name(name)?;
    let (mut part, have) = Resumable::open(dest, name)?;
    let request = Request::Download {
        filename: name.to_owned(),
        offset: have,
    };
    send_json(stream, &request)?;
    let header: DownloadHeader = recv_reply(stream)?.ok_or_else(closed)?;
    if header.filename != name || header.offset != have || header.filesize < have {
        return Err(invalid("the answer does not match the request"));
    }
    let shown = escape(name); // the terminal sees no control characters
    if have > 0 {
        let part = escape(&part_name(name));
        say(format!(
            "{part} held {have} bytes from an earlier try: only the rest comes"
        ));
    }
    // The md5 covers the whole file: hash what we already have first.
    let mut md5 = Md5::new();
    copy_exact(
        &mut File::open(part.path())?,
        &mut io::sink(),
        have,
        |piece| md5.update(piece),
    )?;
    let left = header.filesize - have;
    let take = stop_after.map_or(left, |n| n.min(left));
    let bar = progress::bar(header.filesize, have);
    copy_exact(stream, &mut part, take, |piece| {
        md5.update(piece);
        bar.inc(piece.len() as u64);
    })?; // cut short: .NAME.part keeps what came, for the next try
    bar.finish_and_clear();
    say(format!("received {take} bytes from byte {have} on"));
    if take < left {
        return Ok(()); // the demo's break: .NAME.part keeps what came
    }
    let got = hex_digest(&md5.finalize());
    if !got.eq_ignore_ascii_case(&header.md5) {
        part.discard(); // wrong bytes: resuming from them would not help
        let want = escape(&header.md5); // a peer's words
        let why = format!("md5 mismatch: the server says {want}, the data hashes to {got}");
        return Err(invalid(why));
    }
    part.commit()?;
    say(format!(
        "saved {shown} ({} bytes, md5 verified {got})",
        header.filesize
    ));
    Ok(())
}
// ANCHOR_END: download

fn closed() -> io::Error {
    let why = "the server closed the connection without an answer";
    io::Error::new(io::ErrorKind::UnexpectedEof, why)
}

/// A line in the client's lane.
fn say(text: String) {
    Side::client().say(text);
}
