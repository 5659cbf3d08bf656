//! Push hooks: one `POST` of `{"notices": "you have new notices", "unread": N}` to the hook an
//! app registered, over `https://` (rustls) or plain `http://` to this machine (the core accepts
//! `http://` only for loopback hooks: tests and a local push relay).
//!
//! Which certificates are trusted: the host's own trust store (`rustls-native-certs`, on Linux
//! `/etc/ssl/certs` or whatever `SSL_CERT_FILE` / `SSL_CERT_DIR` name), plus the PEM file an
//! operator gives with `--push-ca` (an organisation's private CA). The host's store rather than
//! a list compiled in (`webpki-roots`) because it is what the operator's OS keeps current —
//! distrusted authorities leave it with the system's updates, without rebuilding trialog — and
//! because an organisation that installed its CA system-wide expects its servers to trust it.
//! The crypto provider is named (`ring`), not taken from whatever the process installed, so a
//! second provider entering the build through another crate cannot make it ambiguous.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use trialog_core::{Error, PUSH_TEXT};

/// The TLS client of push hooks, built once when the server starts.
#[derive(Clone)]
pub struct PushClient {
    tls: Arc<ClientConfig>,
    /// How many trusted roots it holds (logged at start: zero means no `https://` hook works).
    pub roots: usize,
}

/// Why a push was not delivered: a word for the log, never the hook's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushFailure {
    /// The hook's URL is not one this client calls.
    Address,
    /// No TCP connection (refused, unreachable, no such host).
    Connect,
    /// The hook's certificate did not verify against the trusted roots (or not for its name).
    Certificate,
    /// Another TLS failure (handshake, protocol).
    Tls,
    /// The hook answered, but not with `2xx`, or the exchange broke off.
    Answer,
}

impl PushFailure {
    pub fn word(self) -> &'static str {
        match self {
            PushFailure::Address => "push_address",
            PushFailure::Connect => "push_connect",
            PushFailure::Certificate => "push_certificate",
            PushFailure::Tls => "push_tls",
            PushFailure::Answer => "push_answer",
        }
    }
}

impl PushClient {
    /// The host's trusted roots plus those in `extra_ca` (PEM, one or more certificates).
    pub fn new(extra_ca: Option<&Path>) -> Result<PushClient, Error> {
        let mut roots = RootCertStore::empty();
        // Certificates the store cannot parse are skipped (as browsers do); an unreadable store
        // leaves only the extra CA.
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        if let Some(path) = extra_ca {
            for cert in extra_certificates(path)? {
                roots.add(cert).map_err(|e| {
                    Error::invalid("push_ca", format!("{} holds a certificate that is not a CA: {e}", path.display()))
                })?;
            }
        }
        // rustls 0.23.48 deprecates ring's provider for lacking post-quantum key exchange; a
        // push carries no content worth recording now to decrypt later, and ring builds with a
        // C compiler alone (aws-lc-rs needs its own large C build), so ring it is for now.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Internal { detail: format!("TLS client: {e}") })?
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        Ok(PushClient { tls: Arc::new(tls), roots: roots.len() })
    }

    /// Posts the content-free notice to `url`.
    pub async fn push(&self, url: &str, unread: u64) -> Result<(), PushFailure> {
        let hook = Hook::parse(url).ok_or(PushFailure::Address)?;
        let body = serde_json::json!({ "notices": PUSH_TEXT, "unread": unread }).to_string();
        let request = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            hook.path,
            hook.authority,
            body.len()
        );
        let tcp = TcpStream::connect((hook.host.as_str(), hook.port)).await.map_err(|_| PushFailure::Connect)?;
        if !hook.secure {
            return exchange(tcp, &request).await;
        }
        let name = ServerName::try_from(hook.host.clone()).map_err(|_| PushFailure::Address)?;
        let tls = TlsConnector::from(self.tls.clone()).connect(name, tcp).await.map_err(|e| tls_failure(&e))?;
        exchange(tls, &request).await
    }
}

/// The certificates of an operator's CA file; an unreadable file or one without a certificate
/// is an error naming `push_ca` (the server does not start).
fn extra_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let bad = |why: String| Error::invalid("push_ca", format!("{}: {why}", path.display()));
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(format!("cannot be read: {e}")))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("is not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(bad("holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into()));
    }
    Ok(certs)
}

/// A certificate that does not verify is told apart from other TLS failures.
fn tls_failure(e: &std::io::Error) -> PushFailure {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
        Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented) => PushFailure::Certificate,
        _ => PushFailure::Tls,
    }
}

/// Sends the request and reads the status line: `HTTP/1.x 2xx` is delivered.
async fn exchange(mut stream: impl AsyncRead + AsyncWrite + Unpin, request: &str) -> Result<(), PushFailure> {
    stream.write_all(request.as_bytes()).await.map_err(|_| PushFailure::Answer)?;
    stream.flush().await.map_err(|_| PushFailure::Answer)?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.map_err(|_| PushFailure::Answer)?;
    if head.starts_with(b"HTTP/1.") && head[9] == b'2' { Ok(()) } else { Err(PushFailure::Answer) }
}

/// A hook URL taken apart (the core already refused user names, spaces and other schemes).
#[derive(Debug, PartialEq, Eq)]
struct Hook {
    secure: bool,
    /// The host as TLS names it: a DNS name or an IP address without brackets.
    host: String,
    port: u16,
    /// `host[:port]` as written, for the `Host` header.
    authority: String,
    path: String,
}

impl Hook {
    fn parse(url: &str) -> Option<Hook> {
        let (secure, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (false, rest),
            _ => return None,
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        let path = match path.split('#').next().unwrap_or("") {
            "" => "/".to_string(),
            p if p.starts_with('?') => format!("/{p}"),
            p => p.to_string(),
        };
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']')?;
                (host, after.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        let port = match port {
            Some(port) => port.parse().ok()?,
            None if secure => 443,
            None => 80,
        };
        if host.is_empty() || authority.contains('@') {
            return None;
        }
        Some(Hook { secure, host: host.to_string(), port, authority: authority.to_string(), path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(url: &str) -> (bool, String, u16, String, String) {
        let h = Hook::parse(url).unwrap_or_else(|| panic!("{url} should parse"));
        (h.secure, h.host, h.port, h.authority, h.path)
    }

    #[test]
    fn hook_urls_are_taken_apart_with_their_default_ports() {
        let s = String::from;
        assert_eq!(
            hook("https://push.example/app/kim"),
            (true, s("push.example"), 443, s("push.example"), s("/app/kim"))
        );
        assert_eq!(hook("http://127.0.0.1:8125"), (false, s("127.0.0.1"), 8125, s("127.0.0.1:8125"), s("/")));
        assert_eq!(hook("https://[::1]:9443/p?x=1#f"), (true, s("::1"), 9443, s("[::1]:9443"), s("/p?x=1")));
        assert_eq!(hook("https://[::1]?t=2"), (true, s("::1"), 443, s("[::1]"), s("/?t=2")));
        assert_eq!(hook("http://localhost/"), (false, s("localhost"), 80, s("localhost"), s("/")));
    }

    #[test]
    fn hook_urls_this_client_does_not_call_are_refused() {
        for url in [
            "ftp://x.example/",
            "https://",
            "https://:443/",
            "https://x.example:http/",
            "https://[::1/",
            "https://u@x/",
        ] {
            assert_eq!(Hook::parse(url), None, "{url}");
        }
    }

    #[test]
    fn an_extra_ca_file_without_certificates_is_refused_naming_push_ca() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        for path in [empty, dir.path().join("missing.pem")] {
            match PushClient::new(Some(&path)).err() {
                Some(Error::InvalidInput { field, .. }) => assert_eq!(field, "push_ca"),
                other => panic!("expected an InvalidInput naming push_ca, got {other:?}"),
            }
        }
    }
}
