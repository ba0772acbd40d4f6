//! The Python programs measured beside ours, written as the documents
//! write them. Each prints `listening on ADDR` first and, where memory is
//! compared, `peak_rss_kib N` last (the child protocol of [`crate::child`]).

use std::process::Command;

/// The interpreter: `$PYTHON`, or `python3`.
pub fn interpreter() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Whether the interpreter runs here: without it the Python rows are left out.
pub fn available() -> bool {
    Command::new(interpreter())
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// `python3 -c SCRIPT ARGS…`.
pub fn command(script: &str, args: &[&str]) -> Command {
    let mut command = Command::new(interpreter());
    command.arg("-c").arg(script).args(args);
    command
}

/// Documents 000 and 003's server: `socketserver.ThreadingTCPServer`, a
/// thread per connection, echoing what each `recv(1024)` returns.
/// `request_queue_size` is raised from Python's 5 to the backlog every
/// server in the comparison gets.
pub const THREADING_ECHO: &str = r#"
import socketserver, sys

class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(1024)
            if not data:
                break
            self.request.sendall(data)

class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = int(sys.argv[1])

with Server(("127.0.0.1", 0), Echo) as server:
    print("listening on %s:%d" % server.server_address, flush=True)
    server.serve_forever()
"#;

/// Document 002's `recv_file`: a 4-byte `struct.pack('i')` length, then
/// `recv(1024)`, `write`, `flush` until that many bytes came. One
/// connection, one file, then it reports its peak memory and exits.
pub const RECV_FILE: &str = r#"
import os, resource, socket, struct, sys

def recv_file(conn, save_file_path, chunk_size=1024):
    has_read_size = 0
    bytes_list = []
    while has_read_size < 4:
        chunk = conn.recv(4 - has_read_size)
        if not chunk:
            sys.exit("closed before the length")
        bytes_list.append(chunk)
        has_read_size += len(chunk)
    data_length = struct.unpack('i', b"".join(bytes_list))[0]
    file_object = open(save_file_path, mode='wb')
    has_read_data_size = 0
    while has_read_data_size < data_length:
        size = chunk_size if (data_length - has_read_data_size) > chunk_size else data_length - has_read_data_size
        chunk = conn.recv(size)
        if not chunk:
            sys.exit("closed after %d of %d bytes" % (has_read_data_size, data_length))
        file_object.write(chunk)
        file_object.flush()
        has_read_data_size += len(chunk)
    file_object.close()

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(("127.0.0.1", 0))
sock.listen(5)
print("listening on %s:%d" % sock.getsockname(), flush=True)
conn, addr = sock.accept()
recv_file(conn, os.path.join(sys.argv[1], "received.bin"))
conn.close()
print("peak_rss_kib %d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"#;
