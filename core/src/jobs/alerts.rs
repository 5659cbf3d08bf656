//! Saved searches and their alerts. When a posting is published, only the saved searches
//! that could match it are checked: those filed under the posting's grid cell (searches with
//! a place are filed under every cell their circle reaches), those without a place, and — for
//! remote postings — those that asked for remote work. Each match puts one notification in
//! the owner's inbox. A posting is published once (the lifecycle has no way back to draft),
//! so no search is ever alerted twice for the same posting.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::store::WriteTxn;
use serde::{Deserialize, Serialize};

use super::card::Card;
use super::matcher::Matcher;
use super::model::Job;
use super::query::JobQuery;
use super::records::alerts::{self as records, AlertPlaces};
use crate::accounts::AccountId;
use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::geo::grid;
use crate::inbox::Event;
use crate::policy::{self, Action};
use crate::store::next_id;
use crate::validate;

/// Saved searches are numbered from 1.
pub type SavedSearchId = u64;

/// How many saved searches one account may keep.
pub const MAX_SAVED_SEARCHES: usize = 50;
/// Searches wider than this are checked against every posting rather than filed under the
/// thousands of grid cells they reach.
const WIDE_RADIUS_KM: f64 = 200.0;

/// What the alert indexes hold per saved search: enough to check a posting without reading
/// the saved search itself. Since schema version 19 `name` is empty: the name is sealed in
/// the saved search (`docs/erasure.md`) and read from there for the few searches that match.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Filed {
    owner: AccountId,
    name: String,
    matcher: Matcher,
}

/// [`Filed`] read in place (same postcard layout), the name borrowed from the stored bytes
/// and not used (empty since version 19), so checking the hundreds of candidates a posting
/// meets allocates nothing for it.
#[derive(Deserialize)]
struct FiledRef<'a> {
    owner: AccountId,
    _name: &'a str,
    matcher: Matcher,
}

/// A search its owner wants to hear about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SavedSearch {
    pub id: SavedSearchId,
    pub owner: AccountId,
    pub name: String,
    pub query: JobQuery,
    pub created_at: Timestamp,
}

/// Saved-search operations, borrowed from a [`crate::Platform`].
pub struct Alerts<'p> {
    pub(crate) ctx: &'p Context,
}

impl Alerts<'_> {
    /// Saves a search for the acting account; from now on, every newly published posting it
    /// matches lands in the account's inbox.
    pub fn add(&self, actor: &Actor, name: &str, query: &JobQuery) -> Result<SavedSearch> {
        self.ctx.write(actor, |txn, subject, now| {
            let owner = owner(subject)?;
            policy::check(subject, Action::UseJobBoard, now)?;
            if query.include_unpublished {
                return Err(Error::invalid("query.include_unpublished", "alerts are for published postings only"));
            }
            let name = validate::required_line("name", name, 100)?;
            let (matcher, _) = Matcher::compile(txn, query)?;
            if records::owned(txn, owner)?.len() >= MAX_SAVED_SEARCHES {
                return Err(Error::conflict(format!(
                    "you already keep {MAX_SAVED_SEARCHES} saved searches; remove one first"
                )));
            }
            let search =
                SavedSearch { id: next_id(txn, "saved_searches")?, owner, name, query: query.clone(), created_at: now };
            records::insert(txn, &search)?;
            file(txn, &search, matcher)?;
            Ok(search)
        })
    }

    /// The acting account's saved searches, oldest first.
    pub fn list(&self, actor: &Actor) -> Result<Vec<SavedSearch>> {
        self.ctx.read(actor, |txn, subject, now| {
            let owner = owner(subject)?;
            policy::check(subject, Action::UseJobBoard, now)?;
            records::owned(txn, owner)?.into_iter().map(|id| records::load(txn, id)).collect()
        })
    }

    /// Deletes one of the acting account's saved searches (its sent alerts stay in the inbox).
    pub fn remove(&self, actor: &Actor, id: SavedSearchId) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            let owner = owner(subject)?;
            policy::check(subject, Action::UseJobBoard, now)?;
            let search = records::load(txn, id)?;
            if search.owner != owner {
                return Err(Error::not_found("saved search", id));
            }
            unfile(txn, id, Matcher::compile(txn, &search.query).ok().map(|(m, _)| m).as_ref())?;
            records::delete(txn, owner, id)?;
            Ok(())
        })
    }
}

/// The names of the saved searches one publication batch alerted, each loaded and opened
/// once: at 10,000 searches, 1,000 postings match some 270,000 times but only about 10,000
/// distinct searches. `None`: filed but no longer saved.
#[derive(Default)]
pub(crate) struct SearchNames(HashMap<SavedSearchId, Option<String>>);

impl SearchNames {
    /// The name of `search`, opened under its owner's key the first time it is asked for.
    fn of(&mut self, txn: &WriteTxn, search: SavedSearchId) -> Result<Option<&str>> {
        let name = match self.0.entry(search) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(match records::load(txn, search) {
                Ok(saved) => Some(saved.name),
                // Filed but no longer saved (an index the integrity check reports): nobody to tell.
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            }),
        };
        Ok(name.as_deref())
    }
}

/// The alerts for a posting that was just published (inside its transaction): one per saved
/// search it satisfies, for the search's owner. The caller delivers them (see
/// [`crate::inbox::deliver_all`]), once for a whole batch, whose search names `names` keeps.
pub(crate) fn alerts_for(
    txn: &WriteTxn,
    job: &Job,
    card_bytes: &[u8],
    now: Timestamp,
    names: &mut SearchNames,
) -> Result<Vec<(AccountId, Event)>> {
    let card = Card::decode(card_bytes)?;
    let now_us = now.timestamp_micros();
    let mut matched = Vec::new();
    let check = |id: SavedSearchId, bytes: &[u8]| -> Result<()> {
        let filed: FiledRef = postcard::from_bytes(bytes)
            .map_err(|e| Error::storage(format!("saved search {id} in the alert index does not decode: {e}")))?;
        if filed.matcher.check(&card, now_us).is_some() {
            matched.push((id, filed.owner));
        }
        Ok(())
    };
    records::visit_candidates(txn, card.coordinates().map(grid::cell_of), check)?;
    let mut alerts = Vec::with_capacity(matched.len());
    for (search, owner) in matched {
        let Some(search_name) = names.of(txn, search)? else { continue };
        let search_name = search_name.to_string();
        alerts.push((owner, Event::JobAlert { search, search_name, job: job.id, title: job.title.clone() }));
    }
    Ok(alerts)
}

/// Version 19: the names leave the alert indexes (they are sealed in the saved searches).
pub(crate) fn unname_filed_v19(txn: &WriteTxn) -> Result<u64> {
    records::rewrite_filed(txn, |id, bytes| {
        let mut filed: Filed = postcard::from_bytes(bytes)
            .map_err(|e| Error::storage(format!("saved search {id} in the alert index does not decode: {e}")))?;
        filed.name.clear();
        postcard::to_allocvec(&filed)
            .map_err(|e| Error::Internal { detail: format!("cannot encode a saved search: {e}") })
    })
}

/// The cells a located, not too wide search is filed under.
fn cells(matcher: &Matcher) -> Option<Vec<u32>> {
    let center = matcher.center()?;
    (matcher.radius_km <= WIDE_RADIUS_KM)
        .then(|| grid::cells_within(center, matcher.radius_km).into_iter().map(|(c, _)| c).collect())
}

fn file(txn: &WriteTxn, search: &SavedSearch, matcher: Matcher) -> Result<()> {
    let id = search.id;
    let cells = cells(&matcher);
    let include_remote = matcher.include_remote;
    let filed = Filed { owner: search.owner, name: String::new(), matcher };
    let bytes = postcard::to_allocvec(&filed)
        .map_err(|e| Error::Internal { detail: format!("cannot encode a saved search: {e}") })?;
    let places = match cells {
        Some(cells) => AlertPlaces::Cells { cells, remote: include_remote },
        None => AlertPlaces::Anywhere,
    };
    records::file(txn, id, places, &bytes)
}

/// Takes a search out of the alert indexes. Without its matcher (its postcode is no longer
/// in the gazetteer) every cell is searched for it.
pub(super) fn unfile(txn: &WriteTxn, id: SavedSearchId, matcher: Option<&Matcher>) -> Result<()> {
    // A wide search is filed under no cell.
    let cells = matcher.map(|m| cells(m).unwrap_or_default());
    records::unfile(txn, id, cells.as_deref())
}

fn owner(subject: &Subject) -> Result<AccountId> {
    subject.account().map(|a| a.id).ok_or_else(|| {
        Error::denied("keep saved searches", "saved searches belong to an account; act as one (`--as PSEUDONYM`)")
    })
}
