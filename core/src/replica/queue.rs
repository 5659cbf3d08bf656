//! The send queue as the app sees it: writing (a reply, a new thread) after the crisis check
//! on the device, listing what waits or was refused, and correcting or dropping a write the
//! server refused.
//!
//! Why an edited write gets a new client id: the server keeps every id it has answered, with
//! its answer, so that a resend is never applied twice; the refused id would answer the same
//! refusal again. The corrected write is a new write in the old one's place in the queue.

use std::sync::PoisonError;

use serde_json::{Value, json};

use super::{QueueState, Queued, QueuedWrite, Replica, Writer, records};
use crate::error::{Error, Result};
use crate::ids::{BoardId, ThreadId};
use crate::moderation::crisis;

impl Replica {
    /// Every queued write in order (pending, failed, unknown).
    pub fn queue(&self) -> Result<Vec<Queued>> {
        Ok(records::queue(&self.store.read()?)?.into_iter().map(|(_, q)| q).collect())
    }

    /// The queued writes not refused, in order: waiting to be sent (`Pending`), or begun by a
    /// server that stopped before it could answer (`Unknown`: the person checks).
    pub fn pending(&self) -> Result<Vec<Queued>> {
        Ok(self.queue()?.into_iter().filter(|q| !matches!(q.state, QueueState::Failed { .. })).collect())
    }

    /// The queued writes the server refused, with its reasons: correct them (`edit_queued`) or
    /// drop them (`drop_queued`).
    pub fn refusals(&self) -> Result<Vec<Queued>> {
        Ok(self.queue()?.into_iter().filter(|q| matches!(q.state, QueueState::Failed { .. })).collect())
    }

    /// Drops a queued write that has not been applied (a failed one, or a pending one the
    /// person takes back before it is sent).
    pub fn drop_queued(&self, id: &str) -> Result<()> {
        let _one = self.syncing.lock().unwrap_or_else(PoisonError::into_inner);
        self.store.write(|txn| {
            let (position, _) = find(&records::queue(txn)?, id)?;
            records::set_queued(txn, position, None)
        })
    }

    /// Corrects a write the server refused (or one never yet sent) and queues it again in its
    /// place: `body` and, for a new thread, `title` replace the old ones when given (neither:
    /// it is sent again as it was, e.g. once a permission was granted). The text goes through
    /// the crisis check again, and the write gets a new client id (returned). A write that may
    /// have reached the server (a send whose answer was lost, or `Unknown`) cannot be edited:
    /// it could be applied twice.
    pub fn edit_queued(
        &self,
        id: &str,
        body: Option<&str>,
        title: Option<&str>,
        writer: &Writer,
    ) -> Result<QueuedWrite> {
        let _one = self.syncing.lock().unwrap_or_else(PoisonError::into_inner);
        let (position, old) = find(&records::queue(&self.store.read()?)?, id)?;
        editable(&old)?;
        let mut args = old.args.clone();
        if let Some(body) = body {
            args["new"]["body"] = body.into();
        }
        if let Some(title) = title {
            if old.operation != "create_thread" {
                return Err(Error::invalid("title", "only a new thread has a title; this queued write is a reply"));
            }
            args["new"]["title"] = title.into();
        }
        let (item, answer) = self.checked(&old.operation, args, writer)?;
        self.store.write(|txn| records::set_queued(txn, position, Some(&item)))?;
        Ok(answer)
    }

    /// Queues a reply; see [`Replica::checked`] for the crisis check.
    pub fn reply(&self, thread: ThreadId, body: &str, writer: &Writer) -> Result<QueuedWrite> {
        self.queue_write("reply", json!({ "new": { "thread": thread, "body": body } }), writer)
    }

    /// Queues a new thread (`anonymous`: shown as "anonymous" to everyone but admins); see
    /// [`Replica::checked`] for the crisis check.
    pub fn new_thread(
        &self,
        board: BoardId,
        title: &str,
        body: &str,
        anonymous: bool,
        writer: &Writer,
    ) -> Result<QueuedWrite> {
        let args = json!({ "new": { "board": board, "title": title, "body": body, "anonymous": anonymous } });
        self.queue_write("create_thread", args, writer)
    }

    fn queue_write(&self, operation: &str, args: Value, writer: &Writer) -> Result<QueuedWrite> {
        let (item, answer) = self.checked(operation, args, writer)?;
        self.store.write(|txn| records::enqueue(txn, &item))?;
        Ok(answer)
    }

    /// Runs the write's text through the crisis rules compiled into the library (the same as
    /// the server's; never the moderators' word lists) and makes it a pending item under a new
    /// client id. When the text shows a crisis sign, the crisis resources for the writer's
    /// country come back at once, before anything reaches the server.
    fn checked(&self, operation: &str, args: Value, writer: &Writer) -> Result<(Queued, QueuedWrite)> {
        let text = written_text(&args);
        if text.trim().is_empty() {
            return Err(Error::invalid("body", "is empty"));
        }
        let (language, country) = (writer.language.as_str(), writer.country.as_str());
        let detection = crisis::rules_detector().detect(&text, language);
        let crisis_resources =
            if detection.level.is_some() { self.crisis_resources(country, language)? } else { Vec::new() };
        let id = client_id()?;
        let item =
            Queued { id: id.clone(), operation: operation.into(), args, state: QueueState::Pending, attempts: 0 };
        Ok((item, QueuedWrite { id, crisis_resources }))
    }
}

/// The queued write with client id `id`, with its position.
fn find(queue: &[(u64, Queued)], id: &str) -> Result<(u64, Queued)> {
    queue.iter().find(|(_, q)| q.id == id).cloned().ok_or_else(|| Error::not_found("queued write", id))
}

/// Whether `item` may be edited: refused, or pending and never sent. A pending write sent
/// before (its answer lost) or `Unknown` may already be applied on the server.
fn editable(item: &Queued) -> Result<()> {
    match item.state {
        QueueState::Failed { .. } => Ok(()),
        QueueState::Pending if item.attempts == 0 => Ok(()),
        QueueState::Pending => Err(Error::conflict(
            "this write was sent before and the answer was lost: it may already be applied; sync, and edit it if the server refuses it",
        )),
        QueueState::Unknown => Err(Error::conflict(
            "the server began this write and cannot tell whether it finished: check the thread, then drop it",
        )),
    }
}

/// What a person wrote in a queued write: the title (a new thread) and the body.
fn written_text(args: &Value) -> String {
    let field = |name: &str| args["new"][name].as_str().unwrap_or_default().to_string();
    match args["new"].get("title") {
        Some(_) => format!("{}\n{}", field("title"), field("body")),
        None => field("body"),
    }
}

/// A random UUID (version 4) as the client id of a queued write.
fn client_id() -> Result<String> {
    let mut b = [0u8; 16];
    crate::crypto::random(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}
