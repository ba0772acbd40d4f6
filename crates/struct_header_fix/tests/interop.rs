//! Python programs written the way documents 002, 004, 000 and 001 write
//! them talk to our servers, and our clients talk to such Python servers:
//! the bytes on the wire are the documents' bytes. Skipped, with the reason
//! printed, when python3 is not installed.

mod common;

use classroom::testing::{Python, ServerProcess, python3};
use common::{Server, binary, run_client_in};

/// A document's Python client against our `server`: run in the server's
/// scratch folder with the server's port, then `args`; it must exit 0.
/// Its stdout.
fn python_client(server: &Server, script: &str, args: &[&str]) -> String {
    let port = server.addr.port().to_string();
    Python::script(script)
        .args([port.as_str()])
        .args(args)
        .current_dir(server.root.path())
        .run()
}

/// A document's Python server, in a scratch folder that our client runs in
/// too, holding `files` (name, bytes) for it to send.
struct PythonServer {
    process: ServerProcess,
    dir: tempfile::TempDir,
}

impl PythonServer {
    fn start(script: &str, files: &[(&str, &[u8])]) -> PythonServer {
        let dir = tempfile::tempdir().unwrap();
        for (name, data) in files {
            std::fs::write(dir.path().join(name), data).unwrap();
        }
        let process = Python::script(script).current_dir(dir.path()).serve();
        PythonServer { process, dir }
    }

    /// Run our binary with `args` against it; it must exit 0. Its stdout.
    fn our_client(&self, args: &[&str]) -> String {
        run_client_in(self.dir.path(), args, self.process.addr.port())
    }

    /// The next line the Python server printed.
    fn next_line(&self) -> String {
        self.process.next_line()
    }

    /// A file the Python server wrote, relative to its folder.
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(name)).unwrap()
    }

    /// Wait for the Python server to exit; it must succeed.
    fn assert_exits_cleanly(self) {
        assert!(self.process.wait_exit().success());
    }
}

/// Write `data` as `name` in our server's scratch folder (the client's
/// side, not the folder the server saves into); its path, as an argument.
fn client_file(server: &Server, name: &str, data: &[u8]) -> String {
    let path = server.root.path().join(name);
    std::fs::write(&path, data).unwrap();
    path.to_str().expect("a UTF-8 scratch path").to_owned()
}

// ---------------------------------------------------------------- document 002

/// Document 002's example client: two messages, each a struct 'i' header
/// and the data, sent with two sendall calls.
const DOC002_LENGTH_CLIENT: &str = r#"
import socket, struct, sys
client = socket.socket()
client.connect(('127.0.0.1', int(sys.argv[1])))
data1 = 'lbw正在吃'.encode('utf-8')
header1 = struct.pack('i', len(data1))
client.sendall(header1)
client.sendall(data1)
data2 = '翔'.encode('utf-8')
header2 = struct.pack('i', len(data2))
client.sendall(header2)
client.sendall(data2)
client.close()
"#;

/// Document 002's example server: read 4 bytes, unpack, loop until the data
/// is complete; twice.
const DOC002_LENGTH_SERVER: &str = r#"
import socket, struct
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(('127.0.0.1', 0))
sock.listen(5)
print(sock.getsockname()[1], flush=True)
conn, addr = sock.accept()
for _ in range(2):
    header = conn.recv(4)
    data_length = struct.unpack('i', header)[0]
    has_recv_len = 0
    data = b""
    while has_recv_len < data_length:
        chunk = conn.recv(min(1024, data_length - has_recv_len))
        data += chunk
        has_recv_len += len(chunk)
    print(data.decode('utf-8'), flush=True)
conn.close()
sock.close()
"#;

#[test]
fn document_002s_client_talks_to_our_length_server() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("length");
    python_client(&server, DOC002_LENGTH_CLIENT, &[]);
    let seen = server.wait_for("recv #5: 0 bytes (EOF");
    let text = seen.join("\n");
    assert!(text.contains("recv #1: 4 bytes 0c 00 00 00"), "{text}");
    assert!(text.contains("recv #2: 12 bytes \"lbw正在吃\""), "{text}");
    assert!(text.contains("recv #4: 3 bytes \"翔\""), "{text}");
}

#[test]
fn our_length_client_talks_to_document_002s_server() {
    if python3().is_none() {
        return;
    }
    let python = PythonServer::start(DOC002_LENGTH_SERVER, &[]);
    let ours = python.our_client(&["client", "length", "lbw正在吃", "翔"]);
    assert!(ours.contains("send #2: 12 bytes \"lbw正在吃\""), "{ours}");
    assert_eq!(python.next_line(), "lbw正在吃");
    assert_eq!(python.next_line(), "翔");
    python.assert_exits_cleanly();
}

/// Document 002's case client, its `input()` replaced by the arguments.
const DOC002_CASE_CLIENT: &str = r#"
import os, json, socket, struct, sys
def send_data(conn, content):
    data = content.encode('utf-8')
    header = struct.pack('i', len(data))
    conn.sendall(header)
    conn.sendall(data)
def send_file(conn, file_path):
    file_size = os.stat(file_path).st_size
    header = struct.pack('i', file_size)
    conn.sendall(header)
    has_send_size = 0
    file_object = open(file_path, mode='rb')
    while has_send_size < file_size:
        chunk = file_object.read(2048)
        conn.sendall(chunk)
        has_send_size += len(chunk)
    file_object.close()
client = socket.socket()
client.connect(('127.0.0.1', int(sys.argv[1])))
for content in sys.argv[2:]:
    if content.upper() == 'Q':
        send_data(client, "close")
        break
    message_type, info = content.split('|')
    if message_type == 'msg':
        send_data(client, json.dumps({"msg_type": "msg"}))
        send_data(client, info)
    else:
        file_name = info.rsplit(os.sep, maxsplit=1)[-1]
        send_data(client, json.dumps({"msg_type": "file", 'file_name': file_name}))
        send_file(client, info)
client.close()
"#;

/// Document 002's case server, one connection, saving into files/.
const DOC002_CASE_SERVER: &str = r#"
import os, json, socket, struct
def recv_data(conn, chunk_size=1024):
    has_read_size = 0
    bytes_list = []
    while has_read_size < 4:
        chunk = conn.recv(4 - has_read_size)
        has_read_size += len(chunk)
        bytes_list.append(chunk)
    header = b"".join(bytes_list)
    data_length = struct.unpack('i', header)[0]
    data_list = []
    has_read_data_size = 0
    while has_read_data_size < data_length:
        size = chunk_size if (data_length - has_read_data_size) > chunk_size else data_length - has_read_data_size
        chunk = conn.recv(size)
        data_list.append(chunk)
        has_read_data_size += len(chunk)
    return b"".join(data_list)
def recv_file(conn, save_file_name, chunk_size=1024):
    save_file_path = os.path.join('files', save_file_name)
    has_read_size = 0
    bytes_list = []
    while has_read_size < 4:
        chunk = conn.recv(4 - has_read_size)
        bytes_list.append(chunk)
        has_read_size += len(chunk)
    header = b"".join(bytes_list)
    data_length = struct.unpack('i', header)[0]
    file_object = open(save_file_path, mode='wb')
    has_read_data_size = 0
    while has_read_data_size < data_length:
        size = chunk_size if (data_length - has_read_data_size) > chunk_size else data_length - has_read_data_size
        chunk = conn.recv(size)
        file_object.write(chunk)
        file_object.flush()
        has_read_data_size += len(chunk)
    file_object.close()
os.makedirs('files', exist_ok=True)
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(('127.0.0.1', 0))
sock.listen(5)
print(sock.getsockname()[1], flush=True)
conn, addr = sock.accept()
while True:
    message_type = recv_data(conn).decode('utf-8')
    if message_type == 'close':
        print("close", flush=True)
        break
    message_type_info = json.loads(message_type)
    if message_type_info['msg_type'] == 'msg':
        data = recv_data(conn)
        print("msg", data.decode('utf-8'), flush=True)
    else:
        file_name = message_type_info['file_name']
        recv_file(conn, file_name)
        print("file", file_name, flush=True)
conn.close()
sock.close()
"#;

#[test]
fn document_002s_case_client_talks_to_our_case_server() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("case");
    let data = binary(300_000);
    let file_arg = format!("file|{}", client_file(&server, "photo.bin", &data));
    python_client(&server, DOC002_CASE_CLIENT, &["msg|你好呀", &file_arg, "Q"]);
    let seen = server.wait_for("close: the client is done").join("\n");
    assert!(seen.contains(": 9 bytes \"你好呀\""), "{seen}");
    assert!(seen.contains("saved "), "{seen}");
    assert_eq!(
        std::fs::read(server.files().join("photo.bin")).unwrap(),
        data
    );
}

#[test]
fn our_case_client_talks_to_document_002s_server() {
    if python3().is_none() {
        return;
    }
    let data = binary(100_000);
    let python = PythonServer::start(DOC002_CASE_SERVER, &[("photo.bin", &data)]);
    python.our_client(&["client", "case", "msg|你好呀", "file|photo.bin", "Q"]);
    assert_eq!(python.next_line(), "msg 你好呀");
    assert_eq!(python.next_line(), "file photo.bin");
    assert_eq!(python.next_line(), "close");
    assert_eq!(python.read("files/photo.bin"), data);
    python.assert_exits_cleanly();
}

// ---------------------------------------------------------------- document 004

/// Document 004's struct client (使用struct优化), its `input()` replaced by
/// the arguments: the header's length counted with len(str_dic).
const DOC004_STRUCT_CLIENT: &str = r#"
import socket, os, json, struct, sys
sk = socket.socket()
sk.connect(("127.0.0.1", int(sys.argv[1])))
dic = {"opt": "upload", "filename": None, "filesize": None}
file_path = sys.argv[2]
filename = os.path.basename(file_path)
filesize = os.path.getsize(file_path)
dic["filename"] = filename
dic["filesize"] = filesize
str_dic = json.dumps(dic)
len_dic = len(str_dic)
b_len_dic = struct.pack('i', len_dic)
sk.send(b_len_dic + str_dic.encode("utf-8"))
with open(file_path, "rb") as f:
    while filesize:
        content = f.read(1024)
        sk.send(content)
        filesize -= len(content)
sk.close()
"#;

/// Document 004's struct server: one upload, saved as "1" + filename.
const DOC004_STRUCT_SERVER: &str = r#"
import socket, json, struct
sk = socket.socket()
sk.bind(("127.0.0.1", 0))
sk.listen()
print(sk.getsockname()[1], flush=True)
conn, addr = sk.accept()
b_len_dic = conn.recv(4)
len_dic = struct.unpack('i', b_len_dic)[0]
str_dic = conn.recv(len_dic).decode('utf-8')
dic = json.loads(str_dic)
if dic["opt"] == "upload":
    filename = "1" + dic["filename"]
    with open(filename, "ab") as f:
        while dic['filesize']:
            content = conn.recv(1024)
            f.write(content)
            dic['filesize'] -= len(content)
    print("saved", filename, flush=True)
conn.close()
sk.close()
"#;

#[test]
fn document_004s_struct_client_talks_to_our_json_header_server() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("json-header");
    let data = binary(200_000);
    let upload = client_file(&server, "11.mp4", &data);
    python_client(&server, DOC004_STRUCT_CLIENT, &[&upload]);
    let seen = server.wait_for("saved ").join("\n");
    assert!(seen.contains("no md5 in the header"), "{seen}");
    assert_eq!(std::fs::read(server.files().join("11.mp4")).unwrap(), data);
}

#[test]
fn our_json_header_client_talks_to_document_004s_server() {
    if python3().is_none() {
        return;
    }
    let data = binary(150_000);
    let python = PythonServer::start(DOC004_STRUCT_SERVER, &[("11.mp4", &data)]);
    let ours = python.our_client(&["client", "json-header", "11.mp4"]);
    assert!(ours.contains("closed without an answer"), "{ours}");
    assert_eq!(python.next_line(), "saved 111.mp4");
    assert_eq!(python.read("111.mp4"), data);
    python.assert_exits_cleanly();
}

/// Document 004's first fix: the dict, wait for the ok, then the file.
const DOC004_ACK_CLIENT: &str = r#"
import socket, os, json, sys
sk = socket.socket()
sk.connect(("127.0.0.1", int(sys.argv[1])))
dic = {"opt": "upload", "filename": None, "filesize": None}
file_path = sys.argv[2]
filename = os.path.basename(file_path)
filesize = os.path.getsize(file_path)
dic["filename"] = filename
dic["filesize"] = filesize
str_dic = json.dumps(dic)
sk.send(str_dic.encode("utf-8"))
print(sk.recv(1024))
with open(file_path, "rb") as f:
    while filesize:
        content = f.read(1024)
        sk.send(content)
        filesize -= len(content)
sk.close()
"#;

#[test]
fn document_004s_ack_client_talks_to_our_ack_server() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("ack");
    let upload = client_file(&server, "a.txt", b"hello\n");
    let printed = python_client(&server, DOC004_ACK_CLIENT, &[&upload]);
    assert_eq!(printed, "b'ok'\n");
    server.wait_for("saved ");
    assert_eq!(
        std::fs::read(server.files().join("a.txt")).unwrap(),
        b"hello\n"
    );
}

// ---------------------------------------------------------------- document 000

/// Document 000's mysend: a header with file_size, file_name and md5.
const DOC000_MYSEND_CLIENT: &str = r#"
import socket, json, struct, hashlib, sys
data = b"hello from document 000\n"
header = {'file_size': len(data), 'file_name': 'a.txt', 'md5': hashlib.md5(data).hexdigest()}
sk = socket.socket()
sk.connect(('127.0.0.1', int(sys.argv[1])))
bytes_dic = json.dumps(header).encode("utf-8")
len_dic = struct.pack("i", len(bytes_dic))
sk.send(len_dic)
sk.send(bytes_dic)
sk.sendall(data)
dic_len = struct.unpack('i', sk.recv(4))[0]
print(json.loads(sk.recv(dic_len).decode("utf-8"))["md5"])
sk.close()
"#;

#[test]
fn document_000s_header_is_understood_and_checked() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("json-header");
    let printed = python_client(&server, DOC000_MYSEND_CLIENT, &[]);
    let md5 = printed.trim();
    assert_eq!(md5.len(), 32, "{printed}");
    let seen = server.wait_for("saved ").join("\n");
    assert!(seen.contains(&format!("md5 verified {md5}")), "{seen}");
}

// ---------------------------------------------------------------- document 001

/// Document 001's client (ready/start), its `input()` replaced by the
/// arguments.
const DOC001_READY_CLIENT: &str = r#"
import socket, sys
s = socket.socket()
s.connect(('127.0.0.1', int(sys.argv[1])))
for send_data in sys.argv[2:] + ['exit']:
    s.send(bytes(send_data, encoding='utf-8'))
    if send_data == 'exit':
        break
    ready_tag = s.recv(1024)
    if str(ready_tag, encoding='utf8').startswith('ready'):
        msg_size = int(str(ready_tag, encoding='utf8').split('|')[-1])
        s.send(bytes('start', encoding='utf8'))
        recv_msg = b''
        recv_size = 0
        while recv_size < msg_size:
            recv_data = s.recv(1024)
            recv_msg += recv_data
            recv_size += len(recv_data)
        print(str(recv_msg, encoding='utf-8'), end='')
    else:
        print(str(ready_tag, encoding='utf8'))
s.close()
"#;

#[test]
fn document_001s_client_talks_to_our_ready_server() {
    if python3().is_none() {
        return;
    }
    let server = Server::start("ready");
    std::fs::write(server.files().join("a.txt"), "x".repeat(3000)).unwrap();
    let printed = python_client(&server, DOC001_READY_CLIENT, &["ls", "cat a.txt"]);
    assert_eq!(printed, format!("    3000  a.txt\n{}", "x".repeat(3000)));
}
