//! The listening socket, sized for bursts of connections.
//!
//! `TcpListener::bind` (tokio, through mio) listens with a backlog of 128, as the standard
//! library does. A burst of several hundred clients connecting at the same instant (an app's
//! users after a push, a load balancer opening its pool, the races of the PostgreSQL tests)
//! overflows that queue: the kernel drops the handshakes it has no room for, and under that
//! pressure expires half-open ones early, so a client that already sent its request gets a
//! reset instead of an answer (the 1,000-registration race across two servers lost 252 of
//! 1,000 this way; `TcpExtListenOverflows` in `nstat` counts it). The server therefore listens
//! with a backlog of `BACKLOG` (the kernel caps it at `net.core.somaxconn`, 4,096 by default
//! since Linux 5.4) and raises its soft limit of open files to the hard limit, so that
//! accepting never stalls at the soft limit (often 1,024) while the queue fills. What an
//! operator sets is in `docs/server.md`.

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};

/// The default listen backlog: room for a burst of 4,096 connections before the server has
/// accepted any of them.
pub const BACKLOG: u32 = 4096;

/// Listens on `addr` with a queue of `backlog` connections (must be called inside the tokio
/// runtime that serves it).
pub fn listener(addr: SocketAddr, backlog: u32) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // As `TcpListener::bind`: a restarted server may bind while old connections linger.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// Raises the soft limit of open files to the hard limit (each connection is a file), and
/// returns the limit in force. A limit the process may not raise is left as it is.
#[cfg(unix)]
pub fn raise_open_files() -> Option<u64> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
    if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
        return Some(hard);
    }
    Some(soft)
}

#[cfg(not(unix))]
pub fn raise_open_files() -> Option<u64> {
    None
}

/// The soft limit of open files now (logged when the server starts).
#[cfg(unix)]
pub(crate) fn open_files_limit() -> Option<u64> {
    nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE).ok().map(|(soft, _)| soft)
}

#[cfg(not(unix))]
pub(crate) fn open_files_limit() -> Option<u64> {
    None
}
