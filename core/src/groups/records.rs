//! The only code that reads and writes the directory's tables: groups and their indexes,
//! organisations' contact data, the settings, contact requests and their indexes.

use serde::{Deserialize, Serialize};

use super::card::GroupCard;
use super::model::*;
use super::tables::*;
use super::timetable::Timetable;
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::store::{ReadTable, Reader, Sealed, TableRef, WriteTxn, decode, encode, seal, sealing_many};

/// A group as stored: every detail, the confidential place included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct GroupRecord {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub topics: Vec<String>,
    pub keywords: Vec<String>,
    pub audience: GroupAudience,
    pub age_min: Option<u32>,
    pub age_max: Option<u32>,
    pub languages: Vec<String>,
    pub status: GroupStatus,
    pub format: GroupFormat,
    pub contact_point: Option<OrgId>,
    pub contact: Option<AccountId>,
    pub requests_to: RequestRoute,
    pub place: Option<GroupPlace>,
    pub meetings: Vec<Meeting>,
    pub accessibility: Vec<Accessibility>,
    pub accessibility_notes: Option<String>,
    pub last_confirmed: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

pub(crate) fn load_group(txn: &impl Reader, id: GroupId) -> Result<GroupRecord> {
    let table = txn.table(GROUPS)?;
    let bytes = table.get(id.0)?.ok_or_else(|| Error::not_found("group", id))?;
    decode(bytes.value(), || format!("group {id}"))
}

/// Writes a group and keeps its indexes in step with `before` (its record before the change).
pub(crate) fn save_group(txn: &WriteTxn, before: Option<&GroupRecord>, group: &GroupRecord) -> Result<()> {
    txn.open_table(GROUPS)?.put(group.id.0, encode(group)?.as_slice())?;
    let mut by_org = txn.open_table(GROUPS_BY_CONTACT_POINT)?;
    let mut by_confirmed = txn.open_table(GROUPS_BY_CONFIRMED)?;
    if let Some(old) = before {
        if let Some(org) = old.contact_point {
            by_org.delete((org.0, old.id.0))?;
        }
        by_confirmed.delete((old.last_confirmed.timestamp_micros(), old.id.0))?;
    }
    if let Some(org) = group.contact_point {
        by_org.put((org.0, group.id.0), ())?;
    }
    by_confirmed.put((group.last_confirmed.timestamp_micros(), group.id.0), ())?;
    if before.is_none_or(|old| old.meetings != group.meetings) {
        save_timetable(txn, group)?;
    }
    index_for_search(txn, before.map(GroupCard::of).as_ref(), &GroupCard::of(group))
}

/// Writes the timetable row of a group's meetings.
fn save_timetable(txn: &WriteTxn, group: &GroupRecord) -> Result<()> {
    txn.open_table(TIMETABLES)?.put(group.id.0, encode(&Timetable::of(&group.meetings))?.as_slice())?;
    Ok(())
}

/// Version 22: fills the timetable rows from the group records (files written before they
/// existed).
pub(crate) fn rebuild_timetables(txn: &WriteTxn) -> Result<()> {
    in_batches(txn, |group| save_timetable(txn, group))
}

/// Calls `write` with every group record in id order, a batch of records at a time, so that a
/// migration writes while no scan of the records is open.
fn in_batches(txn: &WriteTxn, mut write: impl FnMut(&GroupRecord) -> Result<()>) -> Result<()> {
    const BATCH: usize = 1_000;
    let mut start = 0;
    loop {
        let mut groups = Vec::with_capacity(BATCH);
        scan_groups(txn, start, |g| {
            groups.push(g);
            Ok(groups.len() < BATCH)
        })?;
        for group in &groups {
            write(group)?;
        }
        match groups.last() {
            Some(last) if groups.len() == BATCH => start = last.id.0 + 1,
            _ => return Ok(()),
        }
    }
}

/// The timetable rows, opened once for the next dates of many groups.
pub(crate) struct Timetables<'t> {
    rows: TableRef<'t, u64, &'static [u8]>,
}

impl<'t> Timetables<'t> {
    pub(crate) fn open(txn: &'t impl Reader) -> Result<Self> {
        Ok(Timetables { rows: txn.table(TIMETABLES)? })
    }

    /// The timetable of group `id`, if there is such a group.
    pub(crate) fn get(&self, id: GroupId) -> Result<Option<Timetable>> {
        let Some(bytes) = self.rows.get(id.0)? else { return Ok(None) };
        decode(bytes.value(), || format!("the timetable of group {id}")).map(Some)
    }
}

/// The groups that have a timetable row, in id order, for the integrity check.
pub(crate) fn timetable_ids(txn: &impl Reader) -> Result<Vec<GroupId>> {
    txn.table(TIMETABLES)?.iter()?.map(|row| Ok(GroupId(row?.0.value()))).collect()
}

/// Files a group's search card under its id, its cells, each topic × cell and each topic,
/// taking the rows of `before` (its card before the change) away first.
fn index_for_search(txn: &WriteTxn, before: Option<&GroupCard>, card: &GroupCard) -> Result<()> {
    if before == Some(card) {
        return Ok(());
    }
    let mut cells = txn.open_table(SEARCH_CELLS)?;
    let mut topic_cells = txn.open_table(SEARCH_TOPIC_CELLS)?;
    if let Some(old) = before {
        for cell in old.cells() {
            cells.delete((cell, old.id.0))?;
            for topic in &old.topics {
                topic_cells.delete((topic.as_str(), cell, old.id.0))?;
            }
        }
        unfile_topics(txn, old)?;
    }
    let bytes = encode(card)?;
    txn.open_table(SEARCH_CARDS)?.put(card.id.0, bytes.as_slice())?;
    for cell in card.cells() {
        cells.put((cell, card.id.0), bytes.as_slice())?;
        for topic in &card.topics {
            topic_cells.put((topic.as_str(), cell, card.id.0), bytes.as_slice())?;
        }
    }
    file_topics(txn, card, &bytes)
}

/// Files the card (`bytes`) under each of its topics.
fn file_topics(txn: &WriteTxn, card: &GroupCard, bytes: &[u8]) -> Result<()> {
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &card.topics {
        topics.put((topic.as_str(), card.id.0), bytes)?;
    }
    Ok(())
}

/// Takes the card away from each of its topics (a topic the group no longer has goes with it).
fn unfile_topics(txn: &WriteTxn, card: &GroupCard) -> Result<()> {
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &card.topics {
        topics.delete((topic.as_str(), card.id.0))?;
    }
    Ok(())
}

/// Fills the search index from the group records (files written before it existed).
pub(crate) fn rebuild_search_index(txn: &WriteTxn) -> Result<()> {
    in_batches(txn, |group| index_for_search(txn, None, &GroupCard::of(group)))
}

/// Version 27: files every group's card under its topics (files written before that index).
pub(crate) fn rebuild_topic_index(txn: &WriteTxn) -> Result<()> {
    in_batches(txn, |group| {
        let card = GroupCard::of(group);
        file_topics(txn, &card, &encode(&card)?)
    })
}

/// Search cards from group id `start` on, in id order, until `visit` says stop.
pub(crate) fn scan_cards(
    txn: &impl Reader,
    start: u64,
    mut visit: impl FnMut(GroupCard) -> Result<bool>,
) -> Result<()> {
    for row in txn.table(SEARCH_CARDS)?.range(start..)? {
        let (id, bytes) = row?;
        if !visit(decode(bytes.value(), || format!("search card of group {}", id.value()))?)? {
            break;
        }
    }
    Ok(())
}

/// Groups from id `start` on, in id order, until `visit` says stop.
pub(crate) fn scan_groups(
    txn: &impl Reader,
    start: u64,
    mut visit: impl FnMut(GroupRecord) -> Result<bool>,
) -> Result<()> {
    for row in txn.table(GROUPS)?.range(start..)? {
        let (id, bytes) = row?;
        let group: GroupRecord = decode(bytes.value(), || format!("group {}", id.value()))?;
        if !visit(group)? {
            break;
        }
    }
    Ok(())
}

/// The search index's rows by cell, opened once for a radius search that reads many cells.
pub(crate) struct CellCards<'t> {
    cells: TableRef<'t, (u32, u64), &'static [u8]>,
    topic_cells: TableRef<'t, (&'static str, u32, u64), &'static [u8]>,
}

impl<'t> CellCards<'t> {
    pub(crate) fn open(txn: &'t impl Reader) -> Result<Self> {
        Ok(CellCards { cells: txn.table(SEARCH_CELLS)?, topic_cells: txn.table(SEARCH_TOPIC_CELLS)? })
    }

    /// Visits the cards filed under `cell` (and `topic`, if given), in id order.
    pub(crate) fn visit(
        &self,
        topic: Option<&str>,
        cell: u32,
        mut visit: impl FnMut(GroupCard) -> Result<()>,
    ) -> Result<()> {
        let what = || format!("a search card of cell {cell}");
        match topic {
            Some(topic) => {
                for row in self.topic_cells.range((topic, cell, 0)..=(topic, cell, u64::MAX))? {
                    visit(decode(row?.1.value(), what)?)?;
                }
            }
            None => {
                for row in self.cells.range((cell, 0)..=(cell, u64::MAX))? {
                    visit(decode(row?.1.value(), what)?)?;
                }
            }
        }
        Ok(())
    }
}

/// The search index's rows by topic, opened once for a search by topic without a place.
pub(crate) struct TopicCards<'t> {
    rows: TableRef<'t, (&'static str, u64), &'static [u8]>,
}

impl<'t> TopicCards<'t> {
    pub(crate) fn open(txn: &'t impl Reader) -> Result<Self> {
        Ok(TopicCards { rows: txn.table(SEARCH_TOPICS)? })
    }

    /// The cards filed under `topic`, in id order, read as they are taken.
    pub(crate) fn of(&self, topic: &str) -> Result<impl Iterator<Item = Result<GroupCard>> + '_> {
        let rows = self.rows.range((topic, 0)..=(topic, u64::MAX))?;
        Ok(rows.map(|row| {
            let (key, bytes) = row?;
            let (topic, id) = key.value();
            decode(bytes.value(), || format!("the search card of group {id} under topic {topic}"))
        }))
    }
}

/// Every row of the search index as (topic or none, cell or none, group of the key, card),
/// for the integrity check.
pub(crate) type SearchRow = (Option<String>, Option<u32>, u64, GroupCard);

pub(crate) fn search_rows(txn: &impl Reader) -> Result<Vec<SearchRow>> {
    let card = |bytes: &[u8]| -> Result<GroupCard> { decode(bytes, || "a search card".to_string()) };
    let mut rows = Vec::new();
    for row in txn.table(SEARCH_CARDS)?.iter()? {
        let (id, value) = row?;
        rows.push((None, None, id.value(), card(value.value())?));
    }
    for row in txn.table(SEARCH_CELLS)?.iter()? {
        let (key, value) = row?;
        let (cell, id) = key.value();
        rows.push((None, Some(cell), id, card(value.value())?));
    }
    for row in txn.table(SEARCH_TOPIC_CELLS)?.iter()? {
        let (key, value) = row?;
        let (topic, cell, id) = key.value();
        rows.push((Some(topic.to_string()), Some(cell), id, card(value.value())?));
    }
    for row in txn.table(SEARCH_TOPICS)?.iter()? {
        let (key, value) = row?;
        let (topic, id) = key.value();
        rows.push((Some(topic.to_string()), None, id, card(value.value())?));
    }
    Ok(rows)
}

/// The group ids of a contact point from `start` on.
pub(crate) fn contact_point_groups(txn: &impl Reader, org: OrgId, start: u64) -> Result<Vec<GroupId>> {
    let table = txn.table(GROUPS_BY_CONTACT_POINT)?;
    table.range((org.0, start)..=(org.0, u64::MAX))?.map(|row| Ok(GroupId(row?.0.value().1))).collect()
}

/// Groups last confirmed before `cutoff`, oldest first.
pub(crate) fn confirmed_before(txn: &impl Reader, cutoff: Timestamp) -> Result<Vec<GroupId>> {
    let table = txn.table(GROUPS_BY_CONFIRMED)?;
    let rows = table.range((i64::MIN, 0)..(cutoff.timestamp_micros(), 0))?;
    rows.map(|row| Ok(GroupId(row?.0.value().1))).collect()
}

/// Every freshness index row, for the integrity check.
pub(crate) fn all_confirmed(txn: &impl Reader) -> Result<Vec<(i64, GroupId)>> {
    let table = txn.table(GROUPS_BY_CONFIRMED)?;
    table
        .iter()?
        .map(|row| {
            let (at, id) = row?.0.value();
            Ok((at, GroupId(id)))
        })
        .collect()
}

pub(crate) fn load_org_contact(txn: &impl Reader, org: OrgId) -> Result<Option<OrgContact>> {
    let table = txn.table(ORG_CONTACTS)?;
    let Some(bytes) = table.get(org.0)? else { return Ok(None) };
    decode(bytes.value(), || format!("contact data of organisation {org}")).map(Some)
}

pub(crate) fn save_org_contact(txn: &WriteTxn, contact: &OrgContact) -> Result<()> {
    txn.open_table(ORG_CONTACTS)?.put(contact.org.0, encode(contact)?.as_slice())?;
    Ok(())
}

const SETTINGS_KEY: &str = "directory";

pub(crate) fn settings(txn: &impl Reader) -> Result<GroupSettings> {
    match txn.table(GROUP_SETTINGS)?.get(SETTINGS_KEY)? {
        Some(bytes) => decode(bytes.value(), || "the directory's settings".to_string()),
        None => Ok(GroupSettings::default()),
    }
}

pub(crate) fn save_settings(txn: &WriteTxn, value: &GroupSettings) -> Result<()> {
    txn.open_table(GROUP_SETTINGS)?.put(SETTINGS_KEY, encode(value)?.as_slice())?;
    Ok(())
}

/// A contact request: the request and where it lies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RequestRecord {
    pub request: ContactRequest,
    /// The contact point's inbox it lies in, if any.
    pub org: Option<OrgId>,
    /// The group contact's inbox it lies in, once routed or forwarded there.
    pub contact: Option<AccountId>,
}

/// A contact request as stored. Since schema version 19 the person's texts — the message,
/// how to reach them and the answer they were given — are sealed together under the
/// requester's data key in `texts` (crypto-shredding, `docs/erasure.md`) and empty in
/// `request`; a record without `texts` (written before) holds them in `request`.
#[derive(Serialize, Deserialize)]
struct StoredRequest {
    request: ContactRequest,
    org: Option<OrgId>,
    contact: Option<AccountId>,
    #[serde(default)]
    texts: Option<Sealed>,
}

/// What [`StoredRequest::texts`] seals (as JSON).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestTexts {
    message: String,
    reach: String,
    answer: Option<String>,
}

/// Where a request's texts are sealed (their associated data): they open nowhere else.
fn texts_place(id: ContactRequestId) -> Vec<u8> {
    [b"group-request-texts\0".as_slice(), &id.0.to_be_bytes()].concat()
}

impl StoredRequest {
    /// The stored form of `rec`, its texts sealed under the requester's key.
    fn seal(txn: &WriteTxn, rec: &RequestRecord) -> Result<Self> {
        let r = &rec.request;
        let texts = RequestTexts { message: r.message.clone(), reach: r.reach.clone(), answer: r.answer.clone() };
        let json = serde_json::to_string(&texts)
            .map_err(|e| Error::storage(format!("cannot encode the texts of contact request {}: {e}", r.id)))?;
        let sealed = seal(txn, r.requester, &texts_place(r.id), &json)?;
        let mut request = r.clone();
        (request.message, request.reach, request.answer) = (String::new(), String::new(), None);
        Ok(StoredRequest { request, org: rec.org, contact: rec.contact, texts: Some(sealed) })
    }

    /// The request with its texts opened; a storage error (naming the request, never its
    /// texts) when the requester's key is gone.
    fn open(self, txn: &impl Reader) -> Result<RequestRecord> {
        let StoredRequest { mut request, org, contact, texts } = self;
        if let Some(sealed) = texts {
            let id = request.id;
            let what = || format!("the texts of contact request {id}");
            let json = sealed.open(txn, request.requester, &texts_place(id), what)?;
            let texts: RequestTexts =
                serde_json::from_str(&json).map_err(|_| Error::storage(format!("{} are damaged", what())))?;
            (request.message, request.reach, request.answer) = (texts.message, texts.reach, texts.answer);
        }
        Ok(RequestRecord { request, org, contact })
    }

    /// Where it lies, without opening its texts (to delete or move it).
    fn place(self) -> RequestRecord {
        RequestRecord { request: self.request, org: self.org, contact: self.contact }
    }
}

fn decode_request(id: u64, bytes: &[u8]) -> Result<StoredRequest> {
    decode(bytes, || format!("contact request {id}"))
}

fn stored_request(txn: &impl Reader, id: ContactRequestId) -> Result<StoredRequest> {
    let table = txn.table(REQUESTS)?;
    let bytes = table.get(id.0)?.ok_or_else(|| Error::not_found("contact request", id))?;
    decode_request(id.0, bytes.value())
}

pub(crate) fn load_request(txn: &impl Reader, id: ContactRequestId) -> Result<RequestRecord> {
    stored_request(txn, id)?.open(txn)
}

/// Writes a request, its texts sealed, and its indexes (the inboxes, the requester's list,
/// the purge index).
pub(crate) fn save_request(txn: &WriteTxn, rec: &RequestRecord) -> Result<()> {
    let r = &rec.request;
    txn.open_table(REQUESTS)?.put(r.id.0, encode(&StoredRequest::seal(txn, rec)?)?.as_slice())?;
    if let Some(org) = rec.org {
        txn.open_table(REQUESTS_BY_ORG)?.put((org.0, r.id.0), ())?;
    }
    if let Some(contact) = rec.contact {
        txn.open_table(REQUESTS_BY_CONTACT)?.put((contact.0, r.id.0), ())?;
    }
    txn.open_table(REQUESTS_BY_REQUESTER)?.put((r.requester.0, r.id.0), r.group.0)?;
    txn.open_table(REQUESTS_BY_TIME)?.put((r.created_at.timestamp_micros(), r.id.0), ())?;
    Ok(())
}

/// Deletes request `id` with every index row, without opening its texts (the requester's
/// key may be gone already: an erasure run again, or requests past their retention).
pub(crate) fn delete_request(txn: &WriteTxn, id: ContactRequestId) -> Result<()> {
    let rec = stored_request(txn, id)?.place();
    let r = &rec.request;
    txn.open_table(REQUESTS)?.delete(r.id.0)?;
    if let Some(org) = rec.org {
        txn.open_table(REQUESTS_BY_ORG)?.delete((org.0, r.id.0))?;
    }
    if let Some(contact) = rec.contact {
        txn.open_table(REQUESTS_BY_CONTACT)?.delete((contact.0, r.id.0))?;
    }
    txn.open_table(REQUESTS_BY_REQUESTER)?.delete((r.requester.0, r.id.0))?;
    txn.open_table(REQUESTS_BY_TIME)?.delete((r.created_at.timestamp_micros(), r.id.0))?;
    Ok(())
}

/// Renames the group contact `from` to `to` in every request that names them (an erasure of
/// that contact), without opening the requests' texts; how many changed.
pub(crate) fn rename_group_contact(txn: &WriteTxn, from: &str, to: &str) -> Result<u64> {
    let mut changed = Vec::new();
    for row in txn.table(REQUESTS)?.iter()? {
        let (id, bytes) = row?;
        let mut stored = decode_request(id.value(), bytes.value())?;
        if stored.request.group_contact.as_deref() == Some(from) {
            stored.request.group_contact = Some(to.to_string());
            changed.push(stored);
        }
    }
    let mut table = txn.open_table(REQUESTS)?;
    for stored in &changed {
        table.put(stored.request.id.0, encode(stored)?.as_slice())?;
    }
    Ok(changed.len() as u64)
}

/// Version 19: every request written before has its texts sealed under its requester's key
/// (a new key for each requester without one); how many.
pub(crate) fn seal_requests_v19(txn: &WriteTxn) -> Result<u64> {
    let mut plain = Vec::new();
    for row in txn.table(REQUESTS)?.iter()? {
        let (id, bytes) = row?;
        let stored = decode_request(id.value(), bytes.value())?;
        if stored.texts.is_none() {
            plain.push(stored.place());
        }
    }
    sealing_many(txn, || {
        let mut table = txn.open_table(REQUESTS)?;
        for rec in &plain {
            table.put(rec.request.id.0, encode(&StoredRequest::seal(txn, rec)?)?.as_slice())?;
        }
        Ok(plain.len() as u64)
    })
}

/// Request ids in a contact point's inbox, newest first, below `before`.
pub(crate) fn org_requests(txn: &impl Reader, org: OrgId, before: u64) -> Result<Vec<ContactRequestId>> {
    let table = txn.table(REQUESTS_BY_ORG)?;
    table.range((org.0, 0)..(org.0, before))?.rev().map(|row| Ok(ContactRequestId(row?.0.value().1))).collect()
}

/// Request ids in a group contact's inbox, newest first, below `before`.
pub(crate) fn contact_requests(txn: &impl Reader, account: AccountId, before: u64) -> Result<Vec<ContactRequestId>> {
    let table = txn.table(REQUESTS_BY_CONTACT)?;
    table.range((account.0, 0)..(account.0, before))?.rev().map(|row| Ok(ContactRequestId(row?.0.value().1))).collect()
}

/// A person's own requests, newest first: (request, group).
pub(crate) fn requests_of(txn: &impl Reader, account: AccountId) -> Result<Vec<(ContactRequestId, GroupId)>> {
    let table = txn.table(REQUESTS_BY_REQUESTER)?;
    table
        .range((account.0, 0)..=(account.0, u64::MAX))?
        .rev()
        .map(|row| {
            let (key, group) = row?;
            Ok((ContactRequestId(key.value().1), GroupId(group.value())))
        })
        .collect()
}

/// Requests made before `cutoff`, oldest first, at most `limit`.
pub(crate) fn requests_before(txn: &impl Reader, cutoff: Timestamp, limit: usize) -> Result<Vec<ContactRequestId>> {
    let table = txn.table(REQUESTS_BY_TIME)?;
    let rows = table.range((i64::MIN, 0)..(cutoff.timestamp_micros(), 0))?.take(limit);
    rows.map(|row| Ok(ContactRequestId(row?.0.value().1))).collect()
}

/// Visits every request, its texts opened: `Err` for one whose texts do not open (the
/// integrity check reports it and goes on).
pub(crate) fn visit_requests(
    txn: &impl Reader,
    mut visit: impl FnMut(Result<RequestRecord>) -> Result<()>,
) -> Result<()> {
    for row in txn.table(REQUESTS)?.iter()? {
        let (id, bytes) = row?;
        visit(decode_request(id.value(), bytes.value())?.open(txn))?;
    }
    Ok(())
}

/// The times `account` asked after `since`, oldest first; older rows are dropped.
pub(crate) fn request_times(txn: &WriteTxn, account: AccountId, since: Timestamp) -> Result<Vec<i64>> {
    let mut table = txn.open_table(REQUEST_RATES)?;
    let since = since.timestamp_micros();
    table.retain_in((account.0, i64::MIN, 0)..=(account.0, since, u64::MAX), |_, _| false)?;
    let rows = table.range((account.0, since + 1, 0)..=(account.0, i64::MAX, u64::MAX))?;
    rows.map(|row| Ok(row?.0.value().1)).collect()
}

pub(crate) fn record_request_time(
    txn: &WriteTxn,
    account: AccountId,
    at: Timestamp,
    id: ContactRequestId,
) -> Result<()> {
    txn.open_table(REQUEST_RATES)?.put((account.0, at.timestamp_micros(), id.0), ())?;
    Ok(())
}

pub(crate) fn load_room(txn: &impl Reader, id: RoomId) -> Result<Room> {
    let table = txn.table(ROOMS)?;
    let bytes = table.get(id.0)?.ok_or_else(|| Error::not_found("room", id))?;
    decode(bytes.value(), || format!("room {id}"))
}

/// Writes a room and its organisation's index row (the organisation never changes).
pub(crate) fn save_room(txn: &WriteTxn, room: &Room) -> Result<()> {
    txn.open_table(ROOMS)?.put(room.id.0, encode(room)?.as_slice())?;
    txn.open_table(ROOMS_BY_ORG)?.put((room.org.0, room.id.0), ())?;
    Ok(())
}

/// Room ids from `start` on: every room, or those of `org`.
pub(crate) fn room_ids(txn: &impl Reader, org: Option<OrgId>, start: u64) -> Result<Vec<RoomId>> {
    match org {
        Some(org) => {
            let table = txn.table(ROOMS_BY_ORG)?;
            table.range((org.0, start)..=(org.0, u64::MAX))?.map(|row| Ok(RoomId(row?.0.value().1))).collect()
        }
        None => txn.table(ROOMS)?.range(start..)?.map(|row| Ok(RoomId(row?.0.value()))).collect(),
    }
}

pub(crate) fn load_booking(txn: &impl Reader, id: BookingId) -> Result<Booking> {
    let table = txn.table(BOOKINGS)?;
    let bytes = table.get(id.0)?.ok_or_else(|| Error::not_found("booking", id))?;
    decode(bytes.value(), || format!("booking {id}"))
}

/// Writes a booking and its room's and group's index rows (neither ever changes).
pub(crate) fn save_booking(txn: &WriteTxn, booking: &Booking) -> Result<()> {
    txn.open_table(BOOKINGS)?.put(booking.id.0, encode(booking)?.as_slice())?;
    txn.open_table(BOOKINGS_BY_ROOM)?.put((booking.room.0, booking.id.0), ())?;
    txn.open_table(BOOKINGS_BY_GROUP)?.put((booking.group.0, booking.id.0), ())?;
    Ok(())
}

/// A room's bookings in id order, from `start` on.
pub(crate) fn room_bookings(txn: &impl Reader, room: RoomId, start: u64) -> Result<Vec<Booking>> {
    let table = txn.table(BOOKINGS_BY_ROOM)?;
    let ids: Vec<u64> =
        table.range((room.0, start)..=(room.0, u64::MAX))?.map(|row| Ok(row?.0.value().1)).collect::<Result<_>>()?;
    ids.into_iter().map(|id| load_booking(txn, BookingId(id))).collect()
}

/// Whether the room's list holds the booking.
pub(crate) fn room_lists(txn: &impl Reader, room: RoomId, booking: BookingId) -> Result<bool> {
    Ok(txn.table(BOOKINGS_BY_ROOM)?.get((room.0, booking.0))?.is_some())
}

/// A group's bookings in id order.
pub(crate) fn group_bookings(txn: &impl Reader, group: GroupId) -> Result<Vec<Booking>> {
    let table = txn.table(BOOKINGS_BY_GROUP)?;
    let ids: Vec<u64> =
        table.range((group.0, 0)..=(group.0, u64::MAX))?.map(|row| Ok(row?.0.value().1)).collect::<Result<_>>()?;
    ids.into_iter().map(|id| load_booking(txn, BookingId(id))).collect()
}

/// Every booking, for the integrity check.
pub(crate) fn all_bookings(txn: &impl Reader) -> Result<Vec<Booking>> {
    let table = txn.table(BOOKINGS)?;
    table.iter()?.map(|row| decode(row?.1.value(), || "a booking".to_string())).collect()
}

/// Forgets when `account` asked (the rate limit's rows), for an erasure.
pub(crate) fn forget_request_times(txn: &WriteTxn, account: AccountId) -> Result<u64> {
    let mut removed = 0;
    txn.open_table(REQUEST_RATES)?.retain_in((account.0, i64::MIN, 0)..=(account.0, i64::MAX, u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    Ok(removed)
}

/// Moves a request out of a group contact's inbox into `org`'s (or nowhere), for an erasure of
/// that contact.
pub(crate) fn reroute_request(txn: &WriteTxn, rec: &mut RequestRecord, org: Option<OrgId>) -> Result<()> {
    if let Some(contact) = rec.contact.take() {
        txn.open_table(REQUESTS_BY_CONTACT)?.delete((contact.0, rec.request.id.0))?;
    }
    if rec.org.is_none() {
        rec.org = org;
    }
    save_request(txn, rec)
}

/// Counts one contact request made in `month` (YYYYMM) to a group of `contact_point`.
pub(crate) fn count_request(txn: &WriteTxn, month: u32, contact_point: Option<OrgId>) -> Result<()> {
    let mut counts = txn.open_table(REQUEST_COUNTS)?;
    let key = (month, contact_point.unwrap_or(NO_CONTACT_POINT).0);
    let n = counts.get(key)?.map_or(0, |v| v.value());
    counts.put(key, n + 1)?;
    Ok(())
}

/// (month, contact point, requests) of the months `first..=last`.
pub(crate) fn request_counts(txn: &impl Reader, first: u32, last: u32) -> Result<Vec<(u32, Option<OrgId>, u64)>> {
    let mut out = Vec::new();
    for row in txn.table(REQUEST_COUNTS)?.range((first, 0)..=(last, u64::MAX))? {
        let (key, n) = row?;
        let (month, org) = key.value();
        out.push((month, (org != NO_CONTACT_POINT.0).then_some(OrgId(org)), n.value()));
    }
    Ok(out)
}

/// The counters' row of requests to groups without a contact point (organisations start at 1).
const NO_CONTACT_POINT: OrgId = OrgId(0);

/// The HSDS id a record of `kind` brought from another directory.
pub(crate) fn hsds_id(txn: &impl Reader, kind: u64, id: u64) -> Result<Option<String>> {
    let table = txn.table(HSDS_IDS)?;
    let Some(bytes) = table.get((kind, id))? else { return Ok(None) };
    String::from_utf8(bytes.value().to_vec())
        .map(Some)
        .map_err(|_| Error::storage(format!("the HSDS id of record {kind}/{id} is not UTF-8")))
}

/// The record of `kind` an HSDS id was imported as.
pub(crate) fn hsds_local(txn: &impl Reader, kind: u64, uuid: &str) -> Result<Option<u64>> {
    Ok(txn.table(HSDS_LOCAL)?.get((kind, uuid))?.map(|v| v.value()))
}

/// Remembers that the record `id` of `kind` came with HSDS id `uuid`.
pub(crate) fn save_hsds_id(txn: &WriteTxn, kind: u64, uuid: &str, id: u64) -> Result<()> {
    txn.open_table(HSDS_LOCAL)?.put((kind, uuid), id)?;
    txn.open_table(HSDS_IDS)?.put((kind, id), uuid.as_bytes())?;
    Ok(())
}

/// (kind, record id, HSDS id) rows.
pub(crate) type HsdsRows = Vec<(u64, u64, String)>;

/// Every remembered HSDS id both ways, as (kind, record id, HSDS id), for the integrity check.
pub(crate) fn all_hsds_ids(txn: &impl Reader) -> Result<(HsdsRows, HsdsRows)> {
    let forward = txn
        .table(HSDS_LOCAL)?
        .iter()?
        .map(|row| {
            let (key, id) = row?;
            let (kind, uuid) = key.value();
            Ok((kind, id.value(), uuid.to_string()))
        })
        .collect::<Result<_>>()?;
    let back = txn
        .table(HSDS_IDS)?
        .iter()?
        .map(|row| {
            let (key, uuid) = row?;
            let (kind, id) = key.value();
            Ok((kind, id, String::from_utf8_lossy(uuid.value()).into_owned()))
        })
        .collect::<Result<_>>()?;
    Ok((forward, back))
}
