//! A TLS-terminating proxy in front of the test server, as an operator's reverse proxy is
//! (server/README.md): a certificate for `localhost` signed by a certificate authority made at
//! test time, each connection's bytes forwarded to the server on loopback.

use std::net::SocketAddr;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::ServerConfig;
use rustls::pki_types::PrivateKeyDer;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

pub struct TlsProxy {
    /// The port the proxy listens on (`https://localhost:<port>`).
    pub port: u16,
    /// The certificate authority that signed the proxy's certificate, as PEM.
    pub ca_pem: String,
    _runtime: tokio::runtime::Runtime,
}

/// Starts a proxy that terminates TLS and forwards to `backend`.
pub fn tls_proxy(backend: SocketAddr) -> TlsProxy {
    let (config, ca_pem) = localhost_config();
    let acceptor = TlsAcceptor::from(config);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    runtime.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(forward(acceptor.clone(), stream, backend));
        }
    });
    TlsProxy { port, ca_pem, _runtime: runtime }
}

/// One connection: the TLS handshake (a client that does not trust the certificate ends it
/// here), then bytes both ways until either side closes.
async fn forward(acceptor: TlsAcceptor, stream: TcpStream, backend: SocketAddr) {
    let Ok(mut client) = acceptor.accept(stream).await else { return };
    let Ok(mut server) = TcpStream::connect(backend).await else { return };
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}

/// A server configuration with a certificate for `localhost`, and its CA's PEM.
fn localhost_config() -> (Arc<ServerConfig>, String) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "replica proxy test CA");
    let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_string()]).unwrap().signed_by(&key, &issuer).unwrap();
    #[allow(deprecated)] // ring, as the replica's client and the server's push client
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], PrivateKeyDer::Pkcs8(key.serialize_der().into()))
        .unwrap();
    (Arc::new(config), issuer.pem())
}
