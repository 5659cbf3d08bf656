//! The replica's records that leave the core: the send queue's items and their states.

use serde::{Deserialize, Serialize};

/// A write waiting to be sent, or refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Queued {
    /// The client id the server keeps so that a resend is not applied twice.
    pub id: String,
    /// The manifest operation (`reply`, `create_thread`).
    pub operation: String,
    /// Its arguments (JSON text in Kotlin and Swift).
    pub args: serde_json::Value,
    pub state: QueueState,
    /// Sends that could not reach the server so far.
    pub attempts: u32,
}

/// Where a queued write stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum QueueState {
    /// Not yet answered by the server.
    Pending,
    /// Refused by the server, with its reason: edit or drop it.
    Failed { kind: String, reason: String },
    /// The server began it but cannot tell whether it finished (it stopped meanwhile).
    Unknown,
}

/// How a replica reaches its server, beside the address and the token.
///
/// ```
/// use trialog_core::replica::ReplicaOptions;
/// let options = ReplicaOptions { extra_ca_pem: None, allow_plain_http: false };
/// assert_eq!(options, ReplicaOptions::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default)]
pub struct ReplicaOptions {
    /// A certificate authority (PEM, one or more certificates) trusted beside Mozilla's roots
    /// compiled into the library: an organisation's own CA in front of its server.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub extra_ca_pem: Option<String>,
    /// Allows plain `http://` to a host other than this device (loopback needs no leave). The
    /// bearer token then crosses the network readable: only for a network one trusts (an
    /// emulator's host, a test).
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub allow_plain_http: bool,
}
