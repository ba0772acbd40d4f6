//! Python programs written the way document 002 writes them talk to our
//! servers and our client. Skipped, with the reason printed, when python3 is
//! not installed.
#![cfg(unix)]

mod common;

use std::net::TcpListener;
use std::thread;

use classroom::files::ScratchDir;
use classroom::testing::{Python, python3, run_ok, run_python};
use common::{Server, kinds};
use select_multiplex::http::{self, PICTURE};

const BIN: &str = env!("CARGO_BIN_EXE_select_multiplex");

/// Document 002's client for the select server: sendall each line, close.
/// (The document reads the lines from input(); here they are fixed.)
const DOC_CLIENT: &str = r#"
import socket, sys
client = socket.socket()
client.connect(('127.0.0.1', int(sys.argv[1])))
for content in ['hello', '你好', 'Q']:
    if content.upper() == 'Q':
        break
    client.sendall(content.encode('utf-8'))
client.close()
"#;

/// Document 002's select client: five non-blocking connects, GET when
/// writable, one recv(8196) when readable, save what follows the blank line.
/// Only the address (ours, on loopback) and the folder differ.
const DOC_SELECT_CLIENT: &str = r#"
import socket, select, uuid, os, sys
port, folder = int(sys.argv[1]), sys.argv[2]
client_list = []
for i in range(5):
    client = socket.socket()
    client.setblocking(False)
    try:
        client.connect(('127.0.0.1', port))
    except BlockingIOError as e:
        pass
    client_list.append(client)
recv_list = []
while True:
    r, w, e = select.select(recv_list, client_list, [], 0.1)
    for sock in w:
        sock.sendall(b"GET /logo.png HTTP/1.1\r\nHost:127.0.0.1\r\n\r\n")
        recv_list.append(sock)
        client_list.remove(sock)
    for sock in r:
        data = sock.recv(8196)
        content = data.split(b'\r\n\r\n')[-1]
        random_file_name = "{}.png".format(str(uuid.uuid4()))
        with open(os.path.join(folder, random_file_name), mode='wb') as f:
            f.write(content)
        recv_list.remove(sock)
    if not recv_list and not client_list:
        break
"#;

/// Document 002's select server, on a port the OS picks (printed first); it
/// prints what it receives and stops after its first client leaves.
const DOC_SELECT_SERVER: &str = r#"
import select, socket
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setblocking(False)
server.bind(('127.0.0.1', 0))
server.listen(5)
print(server.getsockname()[1], flush=True)
inputs = [server, ]
done = False
while not done:
    r, w, e = select.select(inputs, [], [], 0.05)
    for sock in r:
        if sock == server:
            conn, addr = sock.accept()
            inputs.append(conn)
        else:
            data = sock.recv(1024)
            if data:
                print("received", data.decode('utf-8'), flush=True)
            else:
                inputs.remove(sock)
                done = True
"#;

#[test]
fn the_documents_client_talks_to_each_of_our_servers() {
    if python3().is_none() {
        return;
    }
    for kind in kinds() {
        let server = Server::start(kind);
        run_python(DOC_CLIENT, &[&server.addr.port().to_string()]);
        // It closed without reading our echo; the loop dropped it cleanly
        // and serves the next client.
        server.wait_left(1);
        let mut next = server.client();
        assert_eq!(common::echo(&mut next, b"after python"), b"after python");
        server.stop();
    }
}

#[test]
fn the_documents_select_client_gets_cut_short_pictures_from_our_server() {
    if python3().is_none() {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || http::serve_image(listener, 5));
    let folder = ScratchDir::new("select_multiplex-interop").unwrap();
    run_python(
        DOC_SELECT_CLIENT,
        &[&port.to_string(), folder.path().to_str().unwrap()],
    );
    server.join().unwrap().unwrap();
    let saved: Vec<Vec<u8>> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    assert_eq!(saved.len(), 5);
    for picture in saved {
        // What the document's client saves is the start of our picture,
        // never all of it: the bug `demo client-broken` shows.
        assert!(
            !picture.is_empty() && picture.len() < PICTURE.len(),
            "{}",
            picture.len()
        );
        assert!(PICTURE.starts_with(&picture));
    }
}

#[test]
fn our_client_talks_to_the_documents_select_server() {
    if python3().is_none() {
        return;
    }
    let server = Python::script(DOC_SELECT_SERVER).serve();
    let port = server.addr.port().to_string();
    let text = run_ok(BIN, &["client", "select", "--port", &port, "你好"]);
    // The document's server prints what it gets and answers nothing.
    assert!(
        text.contains("[client] send #1: 6 bytes \"你好\""),
        "{text}"
    );
    assert!(text.contains("no echo within 2s"), "{text}");
    assert_eq!(server.next_line(), "received 你好");
    assert!(server.wait_exit().success());
}
