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
