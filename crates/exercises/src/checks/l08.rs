//! Lesson 08: a thread per client, and a server that hears shutdown.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::checks::l07::quiet_client_keeps_nobody_waiting;
use crate::net::listener;
use crate::{Stuck, Version, pick, start};

const SECOND: Duration = Duration::from_secs(1);

pub fn threads(version: Version) -> Result<(), String> {
    quiet_client_keeps_nobody_waiting(pick!(version, threads::serve))
}

/// Start `serve_until` with a handler that says `hi`; serve `clients`
/// clients, set the flag, and wait for it to return. With `wake`, one more
/// client comes after the flag is set, as a waker would.
fn serve_then_stop(version: Version, clients: usize, wake: bool) -> Result<(), String> {
    let serve_until = pick!(version, shutdown::serve_until);
    let (listener, addr) = listener().map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let server = start("serve_until", move || {
        let hi = |mut conn: TcpStream| {
            let _ = conn.write_all(b"hi");
        };
        serve_until(&listener, &flag, &hi)
    })
    .map_err(|stuck| stuck.to_string())?;
    for n in 1..=clients {
        let mut client = TcpStream::connect(addr).map_err(|e| e.to_string())?;
        client
            .set_read_timeout(Some(SECOND))
            .map_err(|e| e.to_string())?;
        let mut hi = [0; 2];
        client
            .read_exact(&mut hi)
            .map_err(|e| format!("client {n} was not served: {e}"))?;
    }
    // Set the flag only once the server waits for the next client: a server
    // that looks at the flag only between clients then never sees it.
    server.until_waiting(SECOND);
    stop.store(true, Ordering::SeqCst);
    let _waker = if wake {
        TcpStream::connect(addr).ok()
    } else {
        None
    };
    let served = if wake {
        clients..=clients + 1
    } else {
        clients..=clients
    };
    match server.result(SECOND) {
        Ok(Ok(n)) if served.contains(&n) => Ok(()),
        Ok(Ok(n)) => Err(format!("serve_until returned {n}; it served {clients}")),
        Ok(Err(e)) => Err(format!("serve_until failed: {e}")),
        Err(Stuck::Running(_)) => Err("stop was set 1 s ago, and serve_until has not returned: it is inside accept(), waiting for a client who may never come. serve_forever waits for the listener with a timeout (poll_interval) and looks at the flag in between".into()),
        Err(stuck) => Err(format!("serve_until() {stuck}")),
    }
}

pub fn serves(version: Version) -> Result<(), String> {
    serve_then_stop(version, 1, true)
}

pub fn stops(version: Version) -> Result<(), String> {
    serve_then_stop(version, 1, false)
}
