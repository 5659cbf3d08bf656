//! The directory's integrity check: every record reads, the freshness index, the contact
//! points' lists, the timetable rows and the search index agree with the groups, every
//! request lies in the inboxes it names, every booking lies in its room's list.

use std::collections::{BTreeMap, BTreeSet};

use super::card::GroupCard;
use super::model::GroupId;
use super::records;
use super::timetable::Timetable;
use crate::error::Result;
use crate::store::Reader;

/// Counts groups and requests, noting every disagreement in words (ids only).
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<(u64, u64)> {
    let mut groups = 0;
    let mut expected: BTreeSet<(i64, GroupId)> = BTreeSet::new();
    let mut search = BTreeMap::new();
    let timetables = records::Timetables::open(txn)?;
    let mut ids = BTreeSet::new();
    records::scan_groups(txn, 0, |g| {
        groups += 1;
        ids.insert(g.id);
        search_rows_of(&GroupCard::of(&g), &mut search);
        match timetables.get(g.id)? {
            None => problems.push(format!("group {} has no timetable row", g.id)),
            Some(row) if row != Timetable::of(&g.meetings) => {
                problems.push(format!("the timetable row of group {} differs from its meetings", g.id));
            }
            Some(_) => {}
        }
        expected.insert((g.last_confirmed.timestamp_micros(), g.id));
        if let Some(org) = g.contact_point
            && records::contact_point_groups(txn, org, g.id.0)?.first().is_none_or(|id| *id != g.id)
        {
            problems.push(format!("group {} is missing from its contact point's list", g.id));
        }
        Ok(true)
    })?;
    let indexed: BTreeSet<(i64, GroupId)> = records::all_confirmed(txn)?.into_iter().collect();
    for missing in expected.difference(&indexed) {
        problems.push(format!("group {} is missing from the freshness index", missing.1));
    }
    for extra in indexed.difference(&expected) {
        problems.push(format!("the freshness index names group {} at a time it was not confirmed", extra.1));
    }
    for id in records::timetable_ids(txn)?.into_iter().filter(|id| !ids.contains(id)) {
        problems.push(format!("the timetable row of group {id} is left over (no such group)"));
    }
    check_search_index(txn, search, problems)?;
    let mut requests = 0;
    records::visit_requests(txn, |rec| {
        requests += 1;
        match rec {
            Err(e) => problems.push(e.to_string()),
            Ok(rec) if records::load_group(txn, rec.request.group).is_err() => {
                problems.push(format!("contact request {} names a missing group", rec.request.id));
            }
            Ok(_) => {}
        }
        Ok(())
    })?;
    Ok((groups, requests))
}

type SearchKey = (Option<String>, Option<u32>, u64);

/// The search index rows a group's card belongs in (see `records::search_rows`): by id, by
/// cell, by topic and cell, by topic.
fn search_rows_of(card: &GroupCard, rows: &mut BTreeMap<SearchKey, GroupCard>) {
    rows.insert((None, None, card.id.0), card.clone());
    for topic in &card.topics {
        rows.insert((Some(topic.clone()), None, card.id.0), card.clone());
    }
    for cell in card.cells() {
        rows.insert((None, Some(cell), card.id.0), card.clone());
        for topic in &card.topics {
            rows.insert((Some(topic.clone()), Some(cell), card.id.0), card.clone());
        }
    }
}

/// Notes search index rows that are missing, left over or hold a card other than the group's.
fn check_search_index(
    txn: &impl Reader,
    mut expected: BTreeMap<SearchKey, GroupCard>,
    problems: &mut Vec<String>,
) -> Result<()> {
    for (topic, cell, id, card) in records::search_rows(txn)? {
        let place = |what: &str| format!("group {id} {what} in the search index{}", under(&topic, cell));
        match expected.remove(&(topic.clone(), cell, id)) {
            None => problems.push(place("is left over")),
            Some(want) if want != card || card.id.0 != id => problems.push(place("has an outdated card")),
            Some(_) => {}
        }
    }
    for (topic, cell, id) in expected.keys() {
        problems.push(format!("group {id} is missing from the search index{}", under(topic, *cell)));
    }
    Ok(())
}

/// Which rows of the search index: " under cell …", " under topic …", or both, or none (by id).
fn under(topic: &Option<String>, cell: Option<u32>) -> String {
    match (topic, cell) {
        (None, None) => String::new(),
        (None, Some(cell)) => format!(" under cell {cell}"),
        (Some(topic), None) => format!(" under topic {topic}"),
        (Some(topic), Some(cell)) => format!(" under topic {topic} and cell {cell}"),
    }
}

/// Counts rooms and bookings, noting bookings whose room or group is missing or that are
/// missing from their room's list (the overlap check reads that list).
pub(crate) fn check_rooms(txn: &impl Reader, problems: &mut Vec<String>) -> Result<(u64, u64)> {
    let rooms = records::room_ids(txn, None, 0)?.len() as u64;
    let bookings = records::all_bookings(txn)?;
    for b in &bookings {
        if records::load_room(txn, b.room).is_err() {
            problems.push(format!("booking {} names a missing room", b.id));
        } else if !records::room_lists(txn, b.room, b.id)? {
            problems.push(format!("booking {} is missing from its room's list", b.id));
        }
        if records::load_group(txn, b.group).is_err() {
            problems.push(format!("booking {} names a missing group", b.id));
        }
    }
    Ok((rooms, bookings.len() as u64))
}

/// Counts the remembered HSDS ids, noting those whose two directions disagree.
pub(crate) fn check_hsds_ids(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let (forward, back) = records::all_hsds_ids(txn)?;
    let count = forward.len() as u64;
    let there: BTreeSet<(u64, u64, String)> = forward.into_iter().collect();
    let here: BTreeSet<(u64, u64, String)> = back.into_iter().collect();
    for (kind, id, _) in there.symmetric_difference(&here) {
        problems.push(format!("the HSDS ids of record {kind}/{id} disagree between their two indexes"));
    }
    Ok(count)
}
