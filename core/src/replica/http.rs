//! The replica's HTTP client: `GET /v1/sync` and `POST /v1/sync/send` with the bearer token.
//! `Ok(None)` means the server could not be reached or is overloaded (`429`, `5xx`): the
//! caller keeps its work for the next sync. A problem document becomes the matching error, and
//! a certificate the replica does not trust a typed error naming `server_url` (not "offline":
//! waiting would not help, and nothing is sent to such a server).
//!
//! TLS: rustls on ring with Mozilla's roots compiled in (the same on Android, iOS and Linux),
//! plus [`ReplicaOptions::extra_ca_pem`]. Plain `http://` only to loopback unless
//! [`ReplicaOptions::allow_plain_http`] says otherwise: the bearer token would cross the network
//! readable.

use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::sync::{PROTOCOL, Sent, SyncBatch};
use crate::validate::WebAddress;

use super::ReplicaOptions;

/// The largest answer read (a snapshot of a large replica).
const MAX_BODY: u64 = 64 << 20;

pub(super) struct Client {
    agent: ureq::Agent,
    base: String,
    bearer: String,
}

impl Client {
    pub fn new(server_url: &str, token: &str, options: &ReplicaOptions, timeout: Duration) -> Result<Client> {
        let base = server_url.trim_end_matches('/').to_string();
        check_scheme(&base, options.allow_plain_http)?;
        if token.trim().is_empty() || token.contains(char::is_whitespace) {
            return Err(Error::invalid("token", "must be the bearer token from sign-in, without spaces"));
        }
        // rustls 0.23.48 deprecates ring's provider for lacking post-quantum key exchange
        // (docs/replicas.md weighs it); ring builds with a C compiler alone, for every phone.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = TlsConfig::builder()
            .root_certs(roots(options.extra_ca_pem.as_deref())?)
            .unversioned_rustls_crypto_provider(provider)
            .build();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .https_only(base.starts_with("https://"))
            .timeout_global(Some(timeout))
            .tls_config(tls)
            .build();
        Ok(Client { agent: agent.into(), base, bearer: format!("Bearer {token}") })
    }

    /// A snapshot (`since` absent) or the changes after `since`, saying the protocol version
    /// this library speaks and the language the articles held are in (`language`).
    pub fn changes(&self, since: Option<u64>, language: Option<&str>) -> Result<Option<SyncBatch>> {
        let mut url = format!("{}/v1/sync?version={PROTOCOL}", self.base);
        if let Some(since) = since {
            url.push_str(&format!("&since={since}&language={}", language.unwrap_or_default()));
        }
        let answer = self.agent.get(&url).header("Authorization", &self.bearer).call();
        read(answer)
    }

    /// Sends one queued write.
    pub fn send(&self, id: &str, operation: &str, args: &Value) -> Result<Option<Sent>> {
        let body = serde_json::json!({ "id": id, "operation": operation, "args": args }).to_string();
        let answer = self
            .agent
            .post(&format!("{}/v1/sync/send", self.base))
            .header("Authorization", &self.bearer)
            .header("Content-Type", "application/json")
            .send(body.as_str());
        read(answer)
    }

    /// Runs read operation `operation` of the manifest, or a sync endpoint (`sync/older`), as
    /// the account (`POST /v1/<operation>`): the server answers through the same policy as any
    /// request.
    pub fn call<T: DeserializeOwned>(&self, operation: &str, args: &Value) -> Result<Option<T>> {
        let answer = self
            .agent
            .post(&format!("{}/v1/{operation}", self.base))
            .header("Authorization", &self.bearer)
            .header("Content-Type", "application/json")
            .send(args.to_string().as_str());
        read(answer)
    }
}

fn read<T: DeserializeOwned>(
    answer: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Option<T>> {
    let mut response = match answer {
        Ok(response) => response,
        Err(e) => return tls_refusal(&e).map_or(Ok(None), Err),
    };
    let status = response.status().as_u16();
    if status == 429 || status >= 500 {
        return Ok(None);
    }
    let Ok(text) = response.body_mut().with_config().limit(MAX_BODY).read_to_string() else { return Ok(None) };
    if status != 200 {
        return Err(problem(status, &text));
    }
    serde_json::from_str(&text).map(Some).map_err(|e| Error::Internal { detail: format!("the server's answer: {e}") })
}

/// The error a problem document describes.
fn problem(status: u16, text: &str) -> Error {
    let body: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_string();
    let reason = if field("reason").is_empty() { field("detail") } else { field("reason") };
    match status {
        400 => Error::invalid(field("field"), reason),
        401 | 403 => Error::denied("sync the replica", reason),
        404 => Error::not_found("route", field("key")),
        409 => Error::conflict(reason),
        410 => Error::AccountErased { reason },
        _ => Error::Internal { detail: format!("the server answered {status}") },
    }
}

/// `https://`, or `http://` to this machine (or anywhere when `allow_plain_http`).
fn check_scheme(base: &str, allow_plain_http: bool) -> Result<()> {
    let address = WebAddress::parse("server_url", base)?;
    if address.secure || allow_plain_http || address.is_this_machine() {
        return Ok(());
    }
    Err(Error::invalid(
        "server_url",
        "plain http:// to another host would send the token readable over the network: use https://, \
         or set allow_plain_http in the replica's options for a network you trust",
    ))
}

/// Mozilla's roots, and the certificates of `extra_ca_pem`.
fn roots(extra_ca_pem: Option<&str>) -> Result<RootCerts> {
    let mozilla = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(|der| Certificate::from_der(der));
    let Some(pem) = extra_ca_pem else { return Ok(mozilla.into()) };
    let mut extra = Vec::new();
    for item in ureq::tls::parse_pem(pem.as_bytes()) {
        match item {
            Ok(PemItem::Certificate(cert)) => {
                let der = rustls::pki_types::CertificateDer::from(cert.der().to_vec());
                rustls::RootCertStore::empty().add(der).map_err(|e| {
                    Error::invalid("extra_ca_pem", format!("holds a certificate that cannot be trusted as a root: {e}"))
                })?;
                extra.push(cert);
            }
            Ok(_) => {}
            Err(e) => return Err(Error::invalid("extra_ca_pem", format!("is not readable PEM: {e}"))),
        }
    }
    if extra.is_empty() {
        return Err(Error::invalid("extra_ca_pem", "holds no certificate (-----BEGIN CERTIFICATE-----)"));
    }
    Ok(mozilla.chain(extra).into())
}

/// The typed error for a TLS connection the replica refused (a certificate it does not
/// trust, or no TLS it can speak); `None` for an unreachable server.
fn tls_refusal(e: &ureq::Error) -> Option<Error> {
    let tls = match e {
        ureq::Error::Rustls(tls) => tls,
        ureq::Error::Io(io) => io.get_ref()?.downcast_ref::<rustls::Error>()?,
        _ => return None,
    };
    let reason = match tls {
        rustls::Error::InvalidCertificate(why) => format!(
            "the server's certificate is not trusted ({why:?}): an organisation's own certificate \
             authority goes in extra_ca_pem of the replica's options"
        ),
        other => format!("no TLS connection with the server: {other}"),
    };
    Some(Error::invalid("server_url", reason))
}
