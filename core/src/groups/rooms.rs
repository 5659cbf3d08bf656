//! Rooms for groups: an organisation offers a room with weekly windows; a group books a weekly
//! slot inside a window; the organisation confirms or declines; either side cancels, and the
//! other side is told. Two bookings that hold their slot never overlap: the check and the write
//! run in one write transaction, and write transactions run one at a time.

use chrono::{NaiveDate, NaiveTime};

use super::Groups;
use super::model::*;
use super::records::{self, GroupRecord};
use super::schedule;
use super::view::Lens;
use crate::accounts::{self, AccountId, Role};
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::inbox::{self, Event};
use crate::orgs::{self, OrgId};
use crate::page::{PageRequest, page_type};
use crate::policy::{self, Action};
use crate::store::{Reader, WriteTxn, next_id};
use crate::validate;

page_type!(
    /// A page of rooms.
    RoomPage,
    Room
);
page_type!(
    /// A page of bookings.
    BookingPage,
    Booking
);
page_type!(
    /// A page of a contact point's room overview.
    GroupRoomsPage,
    GroupRooms
);

/// Most availability windows one room may have.
const MAX_WINDOWS: usize = 28;
/// Most people a room may hold.
const MAX_CAPACITY: u32 = 1000;

impl Groups<'_> {
    /// Offers a room to groups (the organisation's staff).
    pub fn offer_room(&self, actor: &Actor, new: &NewRoom) -> Result<Room> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::OfferRooms { org: new.org }, now)?;
            let org = orgs::load(txn, new.org)?;
            let mut place = super::input::place(txn, &new.place)?;
            if place.confidential {
                return Err(Error::invalid(
                    "place.confidential",
                    "a room offered to groups is at a public address; keep a group's place confidential instead",
                ));
            }
            place.confidential = false;
            let room = Room {
                id: RoomId(next_id(txn, "group_rooms")?),
                org: new.org,
                org_name: org.name,
                name: validate::required_line("name", &new.name, 160)?,
                place,
                capacity: capacity(new.capacity)?,
                accessibility: super::input::accessibility(&new.accessibility),
                accessibility_notes: super::input::accessibility_notes(new.accessibility_notes.as_deref())?,
                windows: windows(&new.windows)?,
                open: true,
                created_at: now,
                updated_at: now,
            };
            records::save_room(txn, &room)?;
            audit::append(txn, now, actor, "room.offer", &format!("room:{}", room.id), None)?;
            Ok(room)
        })
    }

    /// Changes a room (the organisation's staff); bookings already made stay as they are.
    pub fn update_room(&self, actor: &Actor, id: RoomId, change: &RoomUpdate) -> Result<Room> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut room = records::load_room(txn, id)?;
            policy::check(subject, Action::OfferRooms { org: room.org }, now)?;
            if let Some(v) = &change.name {
                room.name = validate::required_line("name", v, 160)?;
            }
            if let Some(v) = change.capacity {
                room.capacity = capacity(v)?;
            }
            if let Some(v) = &change.accessibility {
                room.accessibility = super::input::accessibility(v);
            }
            if let Some(v) = &change.accessibility_notes {
                room.accessibility_notes = super::input::accessibility_notes(Some(v))?;
            }
            if let Some(v) = &change.windows {
                room.windows = windows(v)?;
            }
            if let Some(v) = change.open {
                room.open = v;
            }
            room.updated_at = now;
            records::save_room(txn, &room)?;
            audit::append(txn, now, actor, "room.update", &format!("room:{id}"), None)?;
            with_org_name(txn, room)
        })
    }

    /// One room (anyone).
    pub fn room(&self, actor: &Actor, id: RoomId) -> Result<Room> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            with_org_name(txn, records::load_room(txn, id)?)
        })
    }

    /// Rooms in id order: every room, or those of `org` (anyone).
    pub fn rooms(&self, actor: &Actor, org: Option<OrgId>, page: &PageRequest) -> Result<RoomPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            let limit = page.limit()?;
            let ids = records::room_ids(txn, org, page.first_id()?)?;
            let items = ids
                .iter()
                .take(limit)
                .map(|id| with_org_name(txn, records::load_room(txn, *id)?))
                .collect::<Result<_>>()?;
            Ok(RoomPage::new(items, (ids.len() > limit).then(|| ids[limit - 1].0)))
        })
    }

    /// Books a weekly slot of a room for a group (the group's managers). The slot must lie in
    /// one of the room's windows and overlap no booking that holds its slot.
    pub fn book_room(&self, actor: &Actor, new: &NewBooking) -> Result<Booking> {
        let starts = schedule::local_time("starts", &new.starts)?;
        let ends = schedule::local_time("ends", &new.ends)?;
        if ends <= starts {
            return Err(Error::invalid("ends", format!("{} is not after starts {}", hhmm(ends), hhmm(starts))));
        }
        self.ctx.write(actor, |txn, subject, now| {
            let group = records::load_group(txn, new.group)?;
            policy::check(subject, super::manage(&group), now)?;
            let room = records::load_room(txn, new.room)?;
            bookable(&group, &room, new)?;
            let today = now.with_timezone(&Lens::new(txn, now)?.zone).date_naive();
            let (valid_from, valid_until) = dates(new.valid_from.unwrap_or(today), new.valid_until)?;
            let slot = Slot { day: new.day, starts, ends, valid_from, valid_until };
            within_window(&room, &slot)?;
            free(txn, &room, &slot)?;
            let booking = Booking {
                id: BookingId(next_id(txn, "group_bookings")?),
                room: room.id,
                room_name: room.name.clone(),
                org: room.org,
                group: group.id,
                group_name: group.name.clone(),
                day: new.day,
                starts: hhmm(starts),
                ends: hhmm(ends),
                valid_from,
                valid_until,
                people: new.people,
                state: BookingState::Requested,
                answer: None,
                requested_by: subject.account().map(|a| a.id),
                created_at: now,
                updated_at: now,
            };
            records::save_booking(txn, &booking)?;
            tell(txn, staff_of(txn, room.org)?, &booking, now)?;
            audit::append(txn, now, actor, "room.book", &target(booking.id), None)?;
            Ok(booking)
        })
    }

    /// Confirms a requested booking (the room's organisation); the group's side is told.
    pub fn confirm_booking(&self, actor: &Actor, id: BookingId, answer: Option<&str>) -> Result<Booking> {
        self.answer_booking(actor, id, BookingState::Confirmed, answer)
    }

    /// Declines a requested booking (the room's organisation); the group's side is told.
    pub fn decline_booking(&self, actor: &Actor, id: BookingId, answer: Option<&str>) -> Result<Booking> {
        self.answer_booking(actor, id, BookingState::Declined, answer)
    }

    fn answer_booking(
        &self,
        actor: &Actor,
        id: BookingId,
        state: BookingState,
        answer: Option<&str>,
    ) -> Result<Booking> {
        let answer = validate::optional_line("answer", answer, 1000)?;
        self.ctx.write(actor, |txn, subject, now| {
            let mut booking = records::load_booking(txn, id)?;
            policy::check(subject, Action::OfferRooms { org: booking.org }, now)?;
            if booking.state != BookingState::Requested {
                return Err(Error::invalid(
                    "state",
                    format!("the booking is {}, not requested", booking.state.as_str()),
                ));
            }
            (booking.state, booking.answer, booking.updated_at) = (state, answer.clone(), now);
            records::save_booking(txn, &booking)?;
            let group = records::load_group(txn, booking.group)?;
            tell(txn, group_side(&group, &booking), &booking, now)?;
            audit::append(txn, now, actor, &format!("room.{}", state.as_str()), &target(id), None)?;
            Ok(booking)
        })
    }

    /// Cancels a requested or confirmed booking (either side); the other side is told.
    pub fn cancel_booking(&self, actor: &Actor, id: BookingId, reason: Option<&str>) -> Result<Booking> {
        let reason = validate::optional_line("reason", reason, 1000)?;
        self.ctx.write(actor, |txn, subject, now| {
            let mut booking = records::load_booking(txn, id)?;
            let group = records::load_group(txn, booking.group)?;
            let action =
                Action::CancelBooking { org: booking.org, contact_point: group.contact_point, contact: group.contact };
            policy::check(subject, action, now)?;
            if !booking.state.holds_slot() {
                return Err(Error::invalid("state", format!("the booking is already {}", booking.state.as_str())));
            }
            (booking.state, booking.answer, booking.updated_at) = (BookingState::Cancelled, reason.clone(), now);
            records::save_booking(txn, &booking)?;
            let mut told = group_side(&group, &booking);
            told.extend(staff_of(txn, booking.org)?);
            let me = subject.account().map(|a| a.id);
            told.retain(|a| Some(*a) != me);
            tell(txn, told, &booking, now)?;
            audit::append(txn, now, actor, "room.cancel", &target(id), None)?;
            Ok(booking)
        })
    }

    /// A room's bookings in id order (the room's organisation).
    pub fn room_bookings(&self, actor: &Actor, id: RoomId, page: &PageRequest) -> Result<BookingPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let room = records::load_room(txn, id)?;
            policy::check(subject, Action::OfferRooms { org: room.org }, now)?;
            let limit = page.limit()?;
            let found = records::room_bookings(txn, id, page.first_id()?)?;
            let next = (found.len() > limit).then(|| found[limit - 1].id.0);
            Ok(BookingPage::new(found.into_iter().take(limit).collect(), next))
        })
    }

    /// A group's bookings in id order (the group's managers).
    pub fn group_bookings(&self, actor: &Actor, id: GroupId) -> Result<Vec<Booking>> {
        self.ctx.read(actor, |txn, subject, now| {
            let group = records::load_group(txn, id)?;
            policy::check(subject, super::manage(&group), now)?;
            records::group_bookings(txn, id)
        })
    }

    /// Which of a contact point's groups have a room and which still need one (its staff);
    /// `without_room` keeps only groups meeting in person without a confirmed booking.
    pub fn room_overview(
        &self,
        actor: &Actor,
        org: OrgId,
        without_room: bool,
        page: &PageRequest,
    ) -> Result<GroupRoomsPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ContactPointWork { org }, now)?;
            let limit = page.limit()?;
            let mut items: Vec<GroupRooms> = Vec::new();
            let mut next = None;
            for id in records::contact_point_groups(txn, org, page.first_id()?)? {
                let line = overview_line(txn, &records::load_group(txn, id)?)?;
                if without_room && !matches!(line.need, RoomNeed::Without | RoomNeed::Requested) {
                    continue;
                }
                if items.len() == limit {
                    next = items.last().map(|l| l.group.0);
                    break;
                }
                items.push(line);
            }
            Ok(GroupRoomsPage::new(items, next))
        })
    }
}

/// A weekly slot, checked.
struct Slot {
    day: Weekday,
    starts: NaiveTime,
    ends: NaiveTime,
    valid_from: NaiveDate,
    valid_until: Option<NaiveDate>,
}

fn capacity(value: u32) -> Result<u32> {
    if !(1..=MAX_CAPACITY).contains(&value) {
        return Err(Error::invalid("capacity", format!("{value}; a room holds 1 to {MAX_CAPACITY} people")));
    }
    Ok(value)
}

/// The weekly windows of a room: at least one, each ending after it starts.
fn windows(values: &[OpeningHours]) -> Result<Vec<OpeningHours>> {
    if values.is_empty() {
        return Err(Error::invalid("windows", "name at least one weekly time the room can be booked"));
    }
    if values.len() > MAX_WINDOWS {
        return Err(Error::invalid("windows", format!("{} windows; at most {MAX_WINDOWS}", values.len())));
    }
    super::input::weekly_hours("windows", values)
}

fn dates(from: NaiveDate, until: Option<NaiveDate>) -> Result<(NaiveDate, Option<NaiveDate>)> {
    if let Some(u) = until
        && u < from
    {
        return Err(Error::invalid("valid_until", format!("{u} is before valid_from {from}")));
    }
    Ok((from, until))
}

/// What the group and the room must be for a booking.
fn bookable(group: &GroupRecord, room: &Room, new: &NewBooking) -> Result<()> {
    if group.status == GroupStatus::Ended {
        return Err(Error::invalid("group", format!("group {} has ended", group.id)));
    }
    if !room.open {
        return Err(Error::invalid("room", format!("room {} takes no new bookings", room.id)));
    }
    if new.people == 0 || new.people > room.capacity {
        return Err(Error::invalid("people", format!("{} people; the room holds 1 to {}", new.people, room.capacity)));
    }
    Ok(())
}

/// The slot must lie inside one window of its weekday.
fn within_window(room: &Room, slot: &Slot) -> Result<()> {
    let that_day: Vec<&OpeningHours> = room.windows.iter().filter(|w| w.day == slot.day).collect();
    let shown = || {
        room.windows.iter().map(|w| format!("{} {}–{}", w.day.code(), w.opens, w.closes)).collect::<Vec<_>>().join(", ")
    };
    if that_day.is_empty() {
        return Err(Error::invalid("day", format!("the room is not offered on that day; its windows: {}", shown())));
    }
    let span = |w: &OpeningHours| {
        let o = schedule::local_time("opens", &w.opens).ok()?;
        Some((o, schedule::local_time("closes", &w.closes).ok()?))
    };
    let spans: Vec<(NaiveTime, NaiveTime)> = that_day.iter().filter_map(|w| span(w)).collect();
    if !spans.iter().any(|(o, c)| *o <= slot.starts && slot.ends <= *c) {
        // The start lies in a window, so the end is what runs over.
        let field = if spans.iter().any(|(o, c)| *o <= slot.starts && slot.starts < *c) { "ends" } else { "starts" };
        return Err(Error::invalid(
            field,
            format!("{}–{} lies outside the room's windows: {}", hhmm(slot.starts), hhmm(slot.ends), shown()),
        ));
    }
    Ok(())
}

/// No booking that holds its slot may overlap: same weekday, overlapping times and dates.
fn free(txn: &impl Reader, room: &Room, slot: &Slot) -> Result<()> {
    for other in records::room_bookings(txn, room.id, 0)? {
        if !other.state.holds_slot() || other.day != slot.day {
            continue;
        }
        let (Ok(s), Ok(e)) = (schedule::local_time("starts", &other.starts), schedule::local_time("ends", &other.ends))
        else {
            continue;
        };
        let times = s < slot.ends && slot.starts < e;
        let dates = other.valid_from <= slot.valid_until.unwrap_or(NaiveDate::MAX)
            && slot.valid_from <= other.valid_until.unwrap_or(NaiveDate::MAX);
        if times && dates {
            return Err(Error::invalid(
                "starts",
                format!(
                    "the room is already booked on {} {}–{} from {} (booking {}); choose another time",
                    other.day.code(),
                    other.starts,
                    other.ends,
                    other.valid_from,
                    other.id
                ),
            ));
        }
    }
    Ok(())
}

fn overview_line(txn: &impl Reader, group: &GroupRecord) -> Result<GroupRooms> {
    let bookings: Vec<Booking> =
        records::group_bookings(txn, group.id)?.into_iter().filter(|b| b.state.holds_slot()).collect();
    let need = if !group.format.in_person() || group.status == GroupStatus::Ended {
        RoomNeed::NotNeeded
    } else if bookings.iter().any(|b| b.state == BookingState::Confirmed) {
        RoomNeed::Booked
    } else if bookings.is_empty() {
        RoomNeed::Without
    } else {
        RoomNeed::Requested
    };
    Ok(GroupRooms {
        group: group.id,
        group_name: group.name.clone(),
        status: group.status,
        format: group.format,
        need,
        bookings,
    })
}

fn with_org_name(txn: &impl Reader, mut room: Room) -> Result<Room> {
    room.org_name = orgs::load(txn, room.org)?.name;
    Ok(room)
}

/// The accounts on the group's side: who asked for the booking and the group's contact.
fn group_side(group: &GroupRecord, booking: &Booking) -> Vec<AccountId> {
    booking.requested_by.into_iter().chain(group.contact).collect()
}

fn staff_of(txn: &impl Reader, org: OrgId) -> Result<Vec<AccountId>> {
    accounts::holders_of(txn, Role::EmployerStaff { org })
}

fn tell(txn: &WriteTxn, accounts: Vec<AccountId>, b: &Booking, now: Timestamp) -> Result<()> {
    let mut once = accounts;
    once.sort_unstable();
    once.dedup();
    let event = || Event::RoomBooking {
        booking: b.id.0,
        room: b.room.0,
        room_name: b.room_name.clone(),
        group: b.group.0,
        group_name: b.group_name.clone(),
        state: b.state.as_str().to_string(),
    };
    inbox::deliver_all(txn, once.into_iter().map(|a| (a, event())).collect(), now)
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn target(id: BookingId) -> String {
    format!("booking:{id}")
}
