//! Where the one search ([`crate::search`]) asks the domains whose hits it cannot judge from
//! its index alone. Each kind that uses [`crate::search::Gate::Domain`] answers here with its
//! own rule; self-help groups join by adding their kind and their visibility function.

use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::context::SearchGate;
use crate::error::Result;
use crate::forums;
use crate::jobs::{self, JobId};
use crate::model::search::SearchKind;
use crate::store::{KeyCache, ReadTxn};

/// The platform's search gate: one visibility function per kind.
pub(crate) struct Gates;

impl SearchGate for Gates {
    fn visible(
        &self,
        txn: &ReadTxn,
        subject: &Subject,
        now: Timestamp,
        kind: SearchKind,
        id: u64,
        hint: Option<u64>,
        memo: &mut Vec<(u64, bool)>,
    ) -> Result<bool> {
        match kind {
            SearchKind::Thread => forums::finding::visible(txn, subject, now, id, hint, memo),
            SearchKind::Job => jobs::finding::visible(txn, now, JobId(id), hint),
            // Articles carry their audience in the index (Gate::Audience); a kind that asks
            // here without an answer is never shown.
            SearchKind::Article | SearchKind::Course => Ok(false),
        }
    }

    fn shown(
        &self,
        txn: &ReadTxn,
        keys: &mut KeyCache<'_, ReadTxn>,
        kind: SearchKind,
        id: u64,
    ) -> Result<Option<(String, String)>> {
        match kind {
            SearchKind::Thread => forums::finding::shown(txn, keys, id).map(Some),
            SearchKind::Job | SearchKind::Article | SearchKind::Course => Ok(None),
        }
    }
}
