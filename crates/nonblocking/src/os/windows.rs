//! The few system calls this lesson needs that std does not offer, on
//! Windows, through `windows-sys`: `WSAPoll` (is this socket writable
//! yet?), `GetThreadTimes` (how much CPU did this thread use?) and the
//! names of Winsock's error numbers. The lesson's only `unsafe` is here.

use std::io;
use std::os::windows::io::AsRawSocket;
use std::time::Duration;

use socket2::Socket;
use windows_sys::Win32::Foundation::FILETIME;
use windows_sys::Win32::Networking::WinSock::{self as ws, WSAPOLLFD};
use windows_sys::Win32::System::Threading::{GetCurrentThread, GetThreadTimes};

/// Windows has no "operation now in progress" for a non-blocking connect:
/// it says `WSAEWOULDBLOCK`, "would block".
pub const EINPROGRESS: Option<i32> = None;
/// The call [`writable_now`] makes.
pub const POLL: &str = "WSAPoll(POLLOUT)";

/// The Winsock errors this lesson meets: name, and the text Windows gives
/// (`FormatMessage`), kept here so the lesson prints the same under Wine,
/// which has no text for them.
const ERRORS: [(i32, &str, &str); 4] = [
    (
        10035,
        "WSAEWOULDBLOCK",
        "A non-blocking socket operation could not be completed immediately.",
    ),
    (
        10054,
        "WSAECONNRESET",
        "An existing connection was forcibly closed by the remote host.",
    ),
    (
        10060,
        "WSAETIMEDOUT",
        "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.",
    ),
    (
        10061,
        "WSAECONNREFUSED",
        "No connection could be made because the target machine actively refused it.",
    ),
];

/// Winsock has no call that says whether a socket is non-blocking.
pub fn nonblocking_mode<S>(_conn: &S) -> io::Result<Option<bool>> {
    Ok(None)
}

/// The symbolic name of a Winsock error number: 10035 is `WSAEWOULDBLOCK`.
pub fn errno_name(code: i32) -> Option<String> {
    let known = ERRORS.iter().find(|e| e.0 == code);
    known.map(|e| e.1.to_owned())
}

/// Windows' text for an OS error, and its number, as std prints it.
pub fn error_text(e: &io::Error) -> String {
    let code = e.raw_os_error();
    match ERRORS.iter().find(|known| Some(known.0) == code) {
        Some((code, _, text)) => format!("{text} (os error {code})"),
        None => e.to_string(),
    }
}

// ANCHOR: writable_now_windows
/// Is `socket` writable right now? `WSAPoll`, Winsock's `poll`, with a zero
/// timeout: "would block" if not yet, otherwise the events it saw, by name.
pub fn writable_now(socket: &Socket) -> io::Result<String> {
    let mut entry = WSAPOLLFD::default();
    (entry.fd, entry.events) = (socket.as_raw_socket() as ws::SOCKET, ws::POLLOUT);
    #[allow(unsafe_code)]
    // SAFETY: one valid WSAPOLLFD of ours, for the call; it writes `revents`.
    match unsafe { ws::WSAPoll(&mut entry, 1, 0) } {
        0 => return Err(io::ErrorKind::WouldBlock.into()),
        ws::SOCKET_ERROR => return Err(last_error()),
        _ => {}
    }
    let names = [
        (ws::POLLOUT, "POLLOUT"),
        (ws::POLLERR, "POLLERR"),
        (ws::POLLHUP, "POLLHUP"),
        (ws::POLLNVAL, "POLLNVAL"),
    ];
    let seen: Vec<_> = names
        .into_iter()
        .filter(|(flag, _)| entry.revents & flag != 0)
        .map(|(_, name)| name)
        .collect();
    Ok(seen.join(" | "))
}
// ANCHOR_END: writable_now_windows

// ANCHOR: cpu_time_windows
/// How much CPU time this thread has used so far (user + kernel), from
/// `GetThreadTimes`: in units of 100 ns, but moving in clock ticks (about
/// 15.6 ms on Windows), so a short wait may show 0.
pub fn cpu_time() -> io::Result<Duration> {
    let [mut made, mut ended, mut kernel, mut user] = [FILETIME::default(); 4];
    #[allow(unsafe_code)]
    // SAFETY: GetCurrentThread takes nothing and returns a pseudo-handle,
    // which needs no closing; the four pointers are to FILETIMEs of ours,
    // which GetThreadTimes fills in.
    let ok = unsafe {
        let thread = GetCurrentThread();
        GetThreadTimes(thread, &mut made, &mut ended, &mut kernel, &mut user)
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    let ticks = |t: FILETIME| u64::from(t.dwHighDateTime) << 32 | u64::from(t.dwLowDateTime);
    Ok(Duration::from_nanos((ticks(kernel) + ticks(user)) * 100))
}
// ANCHOR_END: cpu_time_windows

/// The error of the Winsock call that just failed.
fn last_error() -> io::Error {
    #[allow(unsafe_code)]
    // SAFETY: no arguments; it reads this thread's last Winsock error.
    io::Error::from_raw_os_error(unsafe { ws::WSAGetLastError() })
}
