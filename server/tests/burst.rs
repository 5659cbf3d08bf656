//! A burst of 1,000 clients connecting at the same instant (issue 26's races across two
//! servers lost 252 of 1,000 registrations to connection resets): the listener queues them all
//! before the server has accepted any, and every one gets its answer.
//!
//! Needs `net.core.somaxconn` ≥ 1,000 (the kernel caps the backlog there; 4,096 by default
//! since Linux 5.4) — see `docs/server.md`.

mod common;

use std::net::{SocketAddr, TcpStream};
use std::sync::Barrier;
use std::time::Duration;

use common::{try_send, world};
use trialog_server::{BACKLOG, Rate, listener};

const BURST: usize = 1000;

/// How many of `n` connections to a listener that accepts none complete their handshake,
/// stopping at the first that does not within a second.
fn queued(backlog: u32, n: usize) -> usize {
    // Each client is a file of this process.
    trialog_server::raise_open_files();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
    let listener = runtime.block_on(async { listener("127.0.0.1:0".parse().unwrap(), backlog) }).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut open = Vec::with_capacity(n);
    while open.len() < n {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            Ok(stream) => open.push(stream),
            Err(_) => break,
        }
    }
    open.len()
}

fn somaxconn() -> usize {
    std::fs::read_to_string("/proc/sys/net/core/somaxconn").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0)
}

#[test]
fn the_listener_queues_a_burst_of_1000_before_accepting_any() {
    assert!(
        somaxconn() >= BURST,
        "net.core.somaxconn is {}: raise it to at least {BURST} (docs/server.md)",
        somaxconn()
    );
    assert_eq!(queued(BACKLOG, BURST), BURST, "every connection of the burst waits in the queue");
    // The listener before (tokio's `bind`: 128) held a tenth of the burst; the rest were dropped.
    assert!(queued(128, BURST) < BURST / 2, "a backlog of 128 cannot hold the burst");
}

/// One `GET /health` on its own connection: the status, or what went wrong.
fn health(addr: SocketAddr) -> Result<u16, String> {
    try_send(addr, "GET", "/health", None, b"").map(|reply| reply.status).map_err(|e| e.to_string())
}

#[test]
fn a_burst_of_1000_clients_all_get_answers() {
    let w = world(|c| c.per_address = Rate { burst: 100_000, per_second: 100_000.0 });
    let addr = w.server.addr;
    let go = Barrier::new(BURST);
    let answers: Vec<Result<u16, String>> = std::thread::scope(|scope| {
        let go = &go;
        let clients: Vec<_> = (0..BURST)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(128 * 1024)
                    .spawn_scoped(scope, move || {
                        go.wait();
                        health(addr)
                    })
                    .unwrap()
            })
            .collect();
        clients.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let failed: Vec<_> = answers.iter().filter(|a| **a != Ok(200)).collect();
    assert!(failed.is_empty(), "{} of {BURST} without an answer, e.g. {:?}", failed.len(), failed.first());
}
