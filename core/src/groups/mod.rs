//! The self-help directory: contact points (Selbsthilfekontaktstellen) keep their groups —
//! topics, audience, languages, status, meetings, places, accessibility — and confirm them
//! regularly; people find a group and ask to join through the contact point's shared inbox,
//! without anyone's private address being exposed. A confidential meeting place is shown only
//! to the group's managers and to people the contact point has connected with the group:
//! never in search results, exports or logs.
//!
//! Organisations' public contact data (address, phone, opening hours, coordinates through the
//! gazetteer) is kept here, beside the organisation record, because the directory is what
//! publishes and exports it.
//!
//! Time-driven work (purging contact requests after the retention period) runs in
//! [`crate::Platform::tick`].

mod card;
mod due;
mod figures;
mod hsds;
mod input;
mod integrity;
mod model;
mod personal;
pub(crate) mod records;
mod requests;
mod rooms;
mod schedule;
mod search;
pub(crate) mod tables;
mod timetable;
mod view;

pub use hsds::{
    HsdsAction, HsdsDocument, HsdsImport, HsdsImportItem, HsdsKind, HsdsPage, MAX_IMPORT_BYTES as MAX_HSDS_IMPORT_BYTES,
};
pub use model::{
    Accessibility, Booking, BookingId, BookingState, ContactRequest, ContactRequestId, Group, GroupAudience,
    GroupFormat, GroupHit, GroupId, GroupMeetingDates, GroupPlace, GroupPlaceInput, GroupQuery, GroupRooms,
    GroupSettings, GroupStatus, GroupUpdate, Meeting, MeetingDate, MeetingInput, NewBooking, NewContactRequest,
    NewGroup, NewRoom, OpeningHours, OrgContact, OrgContactInput, RequestRoute, RequestState, Room, RoomId, RoomNeed,
    RoomUpdate, Weekday,
};
pub use rooms::{BookingPage, GroupRoomsPage, RoomPage};

use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::orgs::{self, OrgId};
use crate::page::{PageRequest, page_type};
use crate::policy::{self, Action};
use crate::store::{WriteTxn, next_id};
use chrono::Datelike;
use records::GroupRecord;
use timetable::Instants;
use view::Lens;

page_type!(
    /// A page of groups.
    GroupPage,
    Group
);
page_type!(
    /// A page of search results.
    GroupHitPage,
    GroupHit
);
page_type!(
    /// A page of contact requests, newest first.
    ContactRequestPage,
    ContactRequest
);

/// Most next dates one call computes (per group).
const MAX_NEXT: u32 = 100;
/// Most groups one call of [`Groups::next_meetings_of`] answers.
pub const MAX_DATES_GROUPS: usize = 1_000;

/// Directory operations, borrowed from a [`crate::Platform`].
pub struct Groups<'p> {
    pub(crate) ctx: &'p Context,
}

impl Groups<'_> {
    /// Sets an organisation's public contact data (its staff).
    pub fn set_org_contact(&self, actor: &Actor, org: OrgId, value: &OrgContactInput) -> Result<OrgContact> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::KeepOrgContact { org }, now)?;
            let found = orgs::load(txn, org)?;
            let contact = input::org_contact(txn, value)?.into_contact(org, found.name, now);
            records::save_org_contact(txn, &contact)?;
            audit::append(txn, now, actor, "org.contact", &format!("org:{org}"), None)?;
            Ok(contact)
        })
    }

    /// An organisation's public contact data (anyone).
    pub fn org_contact(&self, actor: &Actor, org: OrgId) -> Result<OrgContact> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            records::load_org_contact(txn, org)?.ok_or_else(|| Error::not_found("contact data of organisation", org))
        })
    }

    /// Adds a group (its contact point's staff, or the person who is its own contact).
    pub fn create(&self, actor: &Actor, new: &NewGroup) -> Result<Group> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(
                subject,
                Action::ManageGroup { contact_point: new.contact_point, contact: new.contact },
                now,
            )?;
            let lens = Lens::new(txn, now)?;
            input::contact_point(txn, new.contact_point)?;
            input::contact(txn, new.contact)?;
            input::ages(new.age_min, new.age_max)?;
            let today = now.with_timezone(&lens.zone).date_naive();
            let default_route =
                if new.contact_point.is_some() { RequestRoute::ContactPoint } else { RequestRoute::GroupContact };
            let group = GroupRecord {
                id: GroupId(next_id(txn, "groups")?),
                name: input::name(&new.name)?,
                description: input::description(&new.description)?,
                topics: input::topics(txn, &new.topics)?,
                keywords: input::keywords(&new.keywords)?,
                audience: new.audience,
                age_min: new.age_min,
                age_max: new.age_max,
                languages: input::languages(&new.languages)?,
                status: new.status,
                format: new.format,
                contact_point: new.contact_point,
                contact: new.contact,
                requests_to: new.requests_to.unwrap_or(default_route),
                place: new.place.as_ref().map(|p| input::place(txn, p)).transpose()?,
                meetings: schedule::meetings(&new.meetings, today)?,
                accessibility: input::accessibility(&new.accessibility),
                accessibility_notes: input::accessibility_notes(new.accessibility_notes.as_deref())?,
                last_confirmed: now,
                created_at: now,
                updated_at: now,
            };
            input::consistent(&group)?;
            records::save_group(txn, None, &group)?;
            audit::append(txn, now, actor, "group.create", &target(group.id), None)?;
            view::group(txn, subject, &group, lens)
        })
    }

    /// Changes a group; the change confirms the entry.
    pub fn update(&self, actor: &Actor, id: GroupId, change: &GroupUpdate) -> Result<Group> {
        self.change(actor, id, "group.update", |txn, group, today| apply(txn, group, change, today))
    }

    /// Confirms that a group's entry is still right ("last confirmed" becomes now).
    pub fn confirm(&self, actor: &Actor, id: GroupId) -> Result<Group> {
        self.change(actor, id, "group.confirm", |_, _, _| Ok(()))
    }

    fn change(
        &self,
        actor: &Actor,
        id: GroupId,
        action: &str,
        edit: impl Fn(&WriteTxn, &mut GroupRecord, chrono::NaiveDate) -> Result<()>,
    ) -> Result<Group> {
        self.ctx.write(actor, |txn, subject, now| {
            let before = records::load_group(txn, id)?;
            policy::check(subject, manage(&before), now)?;
            let lens = Lens::new(txn, now)?;
            let mut group = before.clone();
            edit(txn, &mut group, now.with_timezone(&lens.zone).date_naive())?;
            input::consistent(&group)?;
            (group.last_confirmed, group.updated_at) = (now, now);
            records::save_group(txn, Some(&before), &group)?;
            audit::append(txn, now, actor, action, &target(id), None)?;
            view::group(txn, subject, &group, lens)
        })
    }

    /// One group (a confidential place only for its managers and connected people).
    pub fn get(&self, actor: &Actor, id: GroupId) -> Result<Group> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            let group = records::load_group(txn, id)?;
            view::group(txn, subject, &group, Lens::new(txn, now)?)
        })
    }

    /// The next `count` meeting dates of a group, in UTC, computed in the platform's zone
    /// from its record (the many groups' dates read the timetable rows instead; a test holds
    /// the two to the same answer).
    pub fn next_meetings(&self, actor: &Actor, id: GroupId, count: u32) -> Result<Vec<MeetingDate>> {
        dates_count(count)?;
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            let group = records::load_group(txn, id)?;
            let lens = Lens::new(txn, now)?;
            Ok(timetable::next_dates(&group.meetings, lens.zone, now, count as usize))
        })
    }

    /// The next `count` meeting dates of each of `ids` (at most [`MAX_DATES_GROUPS`], no id
    /// twice), in the order asked, computed in the platform's zone as of `at` (now when
    /// absent: the meetings that end after it): one read of the settings and of each group's timetable row, never of the
    /// group records. Anyone who may find groups may ask, as for one group: dates are public,
    /// a confidential place is not part of them.
    pub fn next_meetings_of(
        &self,
        actor: &Actor,
        ids: &[GroupId],
        count: u32,
        at: Option<Timestamp>,
    ) -> Result<Vec<GroupMeetingDates>> {
        dates_request(ids, count, at)?;
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            let at = at.unwrap_or(now);
            let mut instants = Instants::new(Lens::new(txn, now)?.zone);
            let timetables = records::Timetables::open(txn)?;
            ids.iter()
                .map(|&group| {
                    let timetable = timetables.get(group)?.ok_or_else(|| Error::not_found("group", group))?;
                    Ok(GroupMeetingDates { group, dates: timetable.next(&mut instants, at, count as usize) })
                })
                .collect()
        })
    }

    /// A contact point's groups in id order (its staff see confidential places).
    pub fn of_contact_point(&self, actor: &Actor, org: OrgId, page: &PageRequest) -> Result<GroupPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            let lens = Lens::new(txn, now)?;
            let limit = page.limit()?;
            let ids = records::contact_point_groups(txn, org, page.first_id()?)?;
            let mut items = Vec::new();
            for id in ids.iter().take(limit) {
                items.push(view::group(txn, subject, &records::load_group(txn, *id)?, lens)?);
            }
            let next = if ids.len() > limit { items.last().map(|g: &Group| g.id.0) } else { None };
            Ok(GroupPage::new(items, next))
        })
    }

    /// The contact point's entries not confirmed within the freshness period, oldest first.
    pub fn stale(&self, actor: &Actor, org: OrgId, page: &PageRequest) -> Result<GroupPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ContactPointWork { org }, now)?;
            let lens = Lens::new(txn, now)?;
            let limit = page.limit()?;
            let after = page.cursor_id()?;
            let mut items = Vec::new();
            let mut next = None;
            let mut past_cursor = after.is_none();
            for id in records::confirmed_before(txn, lens.stale_before)? {
                if !past_cursor {
                    past_cursor = Some(id.0) == after;
                    continue;
                }
                let group = records::load_group(txn, id)?;
                if group.contact_point != Some(org) {
                    continue;
                }
                if items.len() == limit {
                    next = items.last().map(|g: &Group| g.id.0);
                    break;
                }
                items.push(view::group(txn, subject, &group, lens)?);
            }
            Ok(GroupPage::new(items, next))
        })
    }

    /// The directory's settings.
    pub fn settings(&self, actor: &Actor) -> Result<GroupSettings> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            records::settings(txn)
        })
    }

    /// Changes the directory's settings (admins).
    pub fn set_settings(&self, actor: &Actor, value: &GroupSettings) -> Result<GroupSettings> {
        input::time_zone(&value.time_zone)?;
        if !(1..=60).contains(&value.stale_after_months) {
            return Err(Error::invalid("stale_after_months", "1 to 60 months"));
        }
        if !(7..=3650).contains(&value.request_retention_days) {
            return Err(Error::invalid("request_retention_days", "7 to 3650 days"));
        }
        if value.requests_per_day > 1000 {
            return Err(Error::invalid("requests_per_day", "at most 1000"));
        }
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeSettings, now)?;
            let clean =
                GroupSettings { time_zone: input::time_zone(&value.time_zone)?.name().to_string(), ..value.clone() };
            records::save_settings(txn, &clean)?;
            audit::append(txn, now, actor, "group.settings", "groups", None)?;
            Ok(clean)
        })
    }
}

/// Refuses a count of next dates outside 1 to [`MAX_NEXT`].
fn dates_count(count: u32) -> Result<()> {
    if count == 0 || count > MAX_NEXT {
        return Err(Error::invalid("count", format!("{count}; ask for 1 to {MAX_NEXT} dates")));
    }
    Ok(())
}

/// Refuses a request for the dates of many groups that is too large, names a group twice or
/// starts outside the years a calendar is kept for.
fn dates_request(ids: &[GroupId], count: u32, at: Option<Timestamp>) -> Result<()> {
    dates_count(count)?;
    if ids.len() > MAX_DATES_GROUPS {
        return Err(Error::invalid(
            "ids",
            format!("{} groups; ask for at most {MAX_DATES_GROUPS} at once and page through the rest", ids.len()),
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    if let Some(twice) = ids.iter().find(|id| !seen.insert(**id)) {
        return Err(Error::invalid("ids", format!("group {twice} is named twice")));
    }
    if let Some(at) = at
        && !(1970..=9999).contains(&at.year())
    {
        return Err(Error::invalid("at", format!("{at}: give a time between the years 1970 and 9999")));
    }
    Ok(())
}

fn manage(group: &GroupRecord) -> Action<'static> {
    Action::ManageGroup { contact_point: group.contact_point, contact: group.contact }
}

fn target(id: GroupId) -> String {
    format!("group:{id}")
}

fn apply(txn: &WriteTxn, group: &mut GroupRecord, change: &GroupUpdate, today: chrono::NaiveDate) -> Result<()> {
    if let Some(v) = &change.name {
        group.name = input::name(v)?;
    }
    if let Some(v) = &change.description {
        group.description = input::description(v)?;
    }
    if let Some(v) = &change.topics {
        group.topics = input::topics(txn, v)?;
    }
    if let Some(v) = &change.keywords {
        group.keywords = input::keywords(v)?;
    }
    if let Some(v) = change.audience {
        group.audience = v;
    }
    if let Some(v) = &change.languages {
        group.languages = input::languages(v)?;
    }
    if let Some(v) = change.status {
        group.status = v;
    }
    if let Some(v) = change.format {
        group.format = v;
    }
    if let Some(v) = &change.place {
        group.place = Some(input::place(txn, v)?);
    }
    if let Some(v) = &change.meetings {
        group.meetings = schedule::meetings(v, today)?;
    }
    if let Some(v) = &change.accessibility {
        group.accessibility = input::accessibility(v);
    }
    if let Some(v) = &change.accessibility_notes {
        group.accessibility_notes = input::accessibility_notes(Some(v))?;
    }
    if let Some(v) = change.requests_to {
        group.requests_to = v;
    }
    Ok(())
}

/// The directory's migrations: version 13 counts the requests held, version 16 builds the
/// search index, version 19 seals the requests' texts under each requester's key, version 22
/// parses every group's meetings into its timetable row, version 27 files every group's card
/// under its topics.
fn migrate(txn: &WriteTxn, migration: &crate::store::Migration) -> Result<()> {
    if migration.predates(13) {
        figures::count_held_requests(txn)?;
    }
    if migration.predates(16) {
        records::rebuild_search_index(txn)?;
    }
    if migration.predates(19) {
        records::seal_requests_v19(txn)?;
    }
    if migration.predates(22) {
        records::rebuild_timetables(txn)?;
    }
    if migration.predates(27) {
        records::rebuild_topic_index(txn)?;
    }
    Ok(())
}

/// Registration of the directory: its tables, integrity check and due work.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "groups",
    tables: tables::TABLES,
    migrate,
    check: |txn, found| {
        let (groups, requests) = integrity::check(txn, &mut found.problems)?;
        found.count("groups", groups);
        found.count("contact requests", requests);
        let (rooms, bookings) = integrity::check_rooms(txn, &mut found.problems)?;
        found.count("rooms", rooms);
        found.count("room bookings", bookings);
        let ids = integrity::check_hsds_ids(txn, &mut found.problems)?;
        found.count("imported HSDS ids", ids);
        Ok(())
    },
    tick: due::tick,
    personal: Some(personal::PERSONAL),
    figures: Some(figures::gather),
};
