//! How a group is shown: the confidential place and the group's own contact only to those who
//! may see them; freshness and the next meeting computed for the moment of reading.

use chrono::Months;
use chrono_tz::Tz;

use super::model::*;
use super::records::{self, GroupRecord};
use super::timetable;
use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::policy::{self, Action};
use crate::store::Reader;

/// What a reading needs besides the record: the freshness cut-off and the platform's zone.
#[derive(Clone, Copy)]
pub(crate) struct Lens {
    pub stale_before: Timestamp,
    pub zone: Tz,
    pub now: Timestamp,
}

impl Lens {
    pub(crate) fn new(txn: &impl Reader, now: Timestamp) -> Result<Lens> {
        let settings = records::settings(txn)?;
        let zone = super::input::time_zone(&settings.time_zone)?;
        Ok(Lens { stale_before: stale_cutoff(&settings, now), zone, now })
    }
}

/// Entries confirmed before this moment are stale.
pub(crate) fn stale_cutoff(settings: &GroupSettings, now: Timestamp) -> Timestamp {
    now.checked_sub_months(Months::new(settings.stale_after_months)).unwrap_or(now)
}

/// Whether `subject` manages the group (its contact point's staff, its contact, admins).
pub(crate) fn manages(subject: &Subject, group: &GroupRecord, now: Timestamp) -> bool {
    policy::allows(subject, Action::ManageGroup { contact_point: group.contact_point, contact: group.contact }, now)
}

/// Whether `subject` may see the group's confidential place: its managers and the people the
/// contact point has connected with it.
pub(crate) fn sees_place(txn: &impl Reader, subject: &Subject, group: &GroupRecord, now: Timestamp) -> Result<bool> {
    if manages(subject, group, now) {
        return Ok(true);
    }
    let Some(me) = subject.account() else { return Ok(false) };
    for (id, g) in records::requests_of(txn, me.id)? {
        if g == group.id && records::load_request(txn, id)?.request.state == RequestState::Connected {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The group as `subject` sees it.
pub(crate) fn group(txn: &impl Reader, subject: &Subject, rec: &GroupRecord, lens: Lens) -> Result<Group> {
    let confidential = rec.place.as_ref().is_some_and(|p| p.confidential);
    let show_place = !confidential || sees_place(txn, subject, rec, lens.now)?;
    let manager = manages(subject, rec, lens.now);
    Ok(shown(rec, lens, show_place, manager))
}

/// The public view: what search results and exports show (never a confidential place).
pub(crate) fn public(rec: &GroupRecord, lens: Lens) -> Group {
    shown(rec, lens, false, false)
}

fn shown(rec: &GroupRecord, lens: Lens, show_place: bool, manager: bool) -> Group {
    let confidential = rec.place.as_ref().is_some_and(|p| p.confidential);
    Group {
        id: rec.id,
        name: rec.name.clone(),
        description: rec.description.clone(),
        topics: rec.topics.clone(),
        keywords: rec.keywords.clone(),
        audience: rec.audience,
        age_min: rec.age_min,
        age_max: rec.age_max,
        languages: rec.languages.clone(),
        status: rec.status,
        format: rec.format,
        contact_point: rec.contact_point,
        contact: if manager { rec.contact } else { None },
        requests_to: rec.requests_to,
        place: rec.place.clone().filter(|_| !confidential || show_place),
        place_confidential: confidential,
        locality: rec.place.as_ref().and_then(|p| p.locality.clone()),
        meetings: rec.meetings.clone(),
        next_meeting: timetable::next_dates(&rec.meetings, lens.zone, lens.now, 1).into_iter().next(),
        accessibility: rec.accessibility.clone(),
        accessibility_notes: rec.accessibility_notes.clone(),
        last_confirmed: rec.last_confirmed,
        stale: rec.last_confirmed < lens.stale_before,
        created_at: rec.created_at,
        updated_at: rec.updated_at,
    }
}
