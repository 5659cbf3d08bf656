//! Places and the waitlist: registering, confirming, waiting in commit order, offers that
//! lapse, cancelling and moving by hand. Every change of who holds a place goes through the
//! course's [`Seats`] row in the same transaction, so capacity holds under concurrent writers.

use chrono::Duration;

use super::model::*;
use super::records::{self, CourseRecord, Seats};
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::inbox::{self, Event};
use crate::store::WriteTxn;

/// Registers `group` (the first is the one asking) with ids from `first` on.
pub(crate) fn register(
    txn: &WriteTxn,
    course: &CourseRecord,
    group: &[AccountId],
    first: RegistrationId,
    now: Timestamp,
) -> Result<Vec<Registration>> {
    open_for_registration(course, now)?;
    for (i, account) in group.iter().enumerate() {
        let field = if i == 0 { "course".to_string() } else { format!("with[{}]", i - 1) };
        if let Some(existing) = records::live_registration(txn, *account, course.id)? {
            return Err(Error::invalid(
                field,
                format!("account {account} is already registered (registration {})", existing.id),
            ));
        }
        for prerequisite in &course.prerequisites {
            if !super::attendance::has_completed(txn, *account, *prerequisite)? {
                return Err(Error::invalid(
                    field,
                    format!("account {account} has not completed the prerequisite course {prerequisite}"),
                ));
            }
        }
    }
    let mut seats = records::load_seats(txn, course.id)?;
    let size = group.len() as u32;
    let fits = seats.waiting == 0 && course.capacity.saturating_sub(seats.taken) >= size;
    let (state, position) = if fits {
        seats.taken += size;
        (RegistrationState::Confirmed, None)
    } else {
        seats.next_position += 1;
        seats.waiting += 1;
        (RegistrationState::Waiting, Some(seats.next_position))
    };
    let group_id = (group.len() > 1).then_some(first);
    let mut out = Vec::with_capacity(group.len());
    for (i, account) in group.iter().enumerate() {
        let reg = Registration {
            id: RegistrationId(first.0 + i as u64),
            course: course.id,
            account: *account,
            state,
            position,
            offer_expires_at: None,
            group: group_id,
            registered_at: now,
            updated_at: now,
        };
        records::save_registration(txn, course, &reg)?;
        out.push(reg);
    }
    if let Some(position) = position {
        let ids: Vec<RegistrationId> = out.iter().map(|r| r.id).collect();
        records::put_waitlist(txn, course.id, position, &ids)?;
    }
    records::save_seats(txn, course.id, &seats)?;
    let notice = if fits { CourseNotice::Confirmed } else { CourseNotice::Waitlisted };
    let events = out.iter().map(|r| (r.account, event(course, notice, Some(r.id), None, None))).collect();
    inbox::deliver_all(txn, events, now)?;
    Ok(out)
}

fn open_for_registration(course: &CourseRecord, now: Timestamp) -> Result<()> {
    if course.state != CourseState::Published {
        return Err(Error::invalid(
            "course",
            format!("the course is {:?}; only published courses take registrations", course.state),
        ));
    }
    if let Some(opens) = course.registration_opens
        && now < opens
    {
        return Err(Error::invalid("registration_opens", format!("registration opens {}", opens.to_rfc3339())));
    }
    let closes = course.registration_closes.or(course.first_start());
    if let Some(closes) = closes
        && now >= closes
    {
        return Err(Error::invalid("registration_closes", format!("registration closed {}", closes.to_rfc3339())));
    }
    Ok(())
}

/// Participants may cancel until `cancel_hours` before the first session; waiting is given up
/// at any time.
pub(crate) fn within_cancel_deadline(course: &CourseRecord, reg: &Registration, now: Timestamp) -> Result<()> {
    if !reg.state.holds_place() {
        return Ok(());
    }
    let Some(first) = course.first_start() else { return Ok(()) };
    let deadline = first - Duration::hours(i64::from(course.settings.cancel_hours));
    if now > deadline {
        return Err(Error::invalid(
            "registration",
            format!("cancellations closed {}; ask the organiser", deadline.to_rfc3339()),
        ));
    }
    Ok(())
}

/// Ends a live registration (`Cancelled`, `Declined`, `Expired`): it leaves the waitlist or
/// gives up its place, which passes on.
pub(crate) fn end(
    txn: &WriteTxn,
    course: &CourseRecord,
    mut reg: Registration,
    to: RegistrationState,
    now: Timestamp,
) -> Result<Registration> {
    if !reg.state.is_live() {
        return Err(Error::invalid("registration", format!("registration {} is already {:?}", reg.id, reg.state)));
    }
    let mut seats = records::load_seats(txn, course.id)?;
    release(txn, &mut seats, &reg)?;
    reg.state = to;
    reg.position = None;
    reg.offer_expires_at = None;
    reg.updated_at = now;
    records::save_registration(txn, course, &reg)?;
    let notice = match to {
        RegistrationState::Expired => CourseNotice::OfferExpired,
        _ => CourseNotice::RegistrationCancelled,
    };
    // The person's notice and the offers of the place go out in one delivery (one id
    // reservation, one write of the inbox).
    let mut events = Vec::new();
    if to != RegistrationState::Declined {
        events.push((reg.account, event(course, notice, Some(reg.id), None, None)));
    }
    offer_places(txn, course, &mut seats, now, &mut events)?;
    inbox::deliver_all(txn, events, now)?;
    records::save_seats(txn, course.id, &seats)?;
    Ok(reg)
}

/// Takes a registration out of the bookkeeping: its place, its offer, its waitlist entry.
pub(crate) fn release(txn: &WriteTxn, seats: &mut Seats, reg: &Registration) -> Result<()> {
    if reg.state.holds_place() {
        seats.taken = seats.taken.saturating_sub(1);
    }
    if reg.offer_expires_at.is_some() {
        records::remove_offer(txn, reg.course, reg.id)?;
    }
    if let Some(position) = reg.position {
        leave_waitlist(txn, seats, reg.course, position, reg.id)?;
    }
    Ok(())
}

fn leave_waitlist(
    txn: &WriteTxn,
    seats: &mut Seats,
    course: CourseId,
    position: u64,
    id: RegistrationId,
) -> Result<()> {
    let Some(mut ids) = records::waitlist_entry(txn, course, position)? else { return Ok(()) };
    ids.retain(|r| *r != id);
    if ids.is_empty() {
        records::remove_waitlist(txn, course, position)?;
        seats.waiting = seats.waiting.saturating_sub(1);
    } else {
        records::put_waitlist(txn, course, position, &ids)?;
    }
    Ok(())
}

/// Offers free places to the waitlist in order. A group is offered places only all together;
/// one that does not fit keeps its position while the people behind it who fit are offered
/// the places.
pub(crate) fn promote(txn: &WriteTxn, course: &CourseRecord, seats: &mut Seats, now: Timestamp) -> Result<u32> {
    let mut events = Vec::new();
    let offered = offer_places(txn, course, seats, now, &mut events)?;
    inbox::deliver_all(txn, events, now)?;
    Ok(offered)
}

/// [`promote`], adding the offers' notices to `events` for the caller to deliver.
fn offer_places(
    txn: &WriteTxn,
    course: &CourseRecord,
    seats: &mut Seats,
    now: Timestamp,
    events: &mut Vec<(AccountId, Event)>,
) -> Result<u32> {
    if !matches!(course.state, CourseState::Published | CourseState::Running) {
        return Ok(0);
    }
    let free = course.capacity.saturating_sub(seats.taken);
    let mut offered = 0;
    if free == 0 || seats.waiting == 0 {
        return Ok(0);
    }
    let expires = now + Duration::hours(i64::from(course.settings.offer_hours));
    // The entries that get places, read lazily: the walk stops once the free places are given.
    let mut chosen = Vec::new();
    let mut left = free;
    records::visit_waitlist(txn, course.id, |position, ids| {
        let size = ids.len() as u32;
        if size <= left {
            left -= size;
            chosen.push((position, ids));
        }
        left > 0
    })?;
    for (position, ids) in chosen {
        let size = ids.len() as u32;
        for id in ids {
            let mut reg = records::load_registration_of(txn, course.id, id)?;
            reg.state = RegistrationState::Offered;
            reg.position = None;
            reg.offer_expires_at = Some(expires);
            reg.updated_at = now;
            records::save_registration(txn, course, &reg)?;
            records::add_offer(txn, seats, &reg, expires)?;
            events.push((reg.account, event(course, CourseNotice::PlaceOffered, Some(reg.id), None, Some(expires))));
        }
        records::remove_waitlist(txn, course.id, position)?;
        seats.waiting = seats.waiting.saturating_sub(1);
        seats.taken += size;
        offered += size;
    }
    Ok(offered)
}

/// After a capacity change: new places go to the waitlist.
pub(crate) fn capacity_changed(txn: &WriteTxn, course: &CourseRecord, now: Timestamp) -> Result<()> {
    let mut seats = records::load_seats(txn, course.id)?;
    if promote(txn, course, &mut seats, now)? > 0 {
        records::save_seats(txn, course.id, &seats)?;
    }
    Ok(())
}

/// Accepts or declines an offered place.
pub(crate) fn answer_offer(
    txn: &WriteTxn,
    course: &CourseRecord,
    mut reg: Registration,
    accept: bool,
    now: Timestamp,
) -> Result<Registration> {
    if reg.state != RegistrationState::Offered {
        return Err(Error::invalid(
            "registration",
            format!("registration {} has no open offer (it is {:?})", reg.id, reg.state),
        ));
    }
    let expires = reg.offer_expires_at.unwrap_or(now);
    if now >= expires {
        return Err(Error::conflict(format!("the offer lapsed {}; the place has passed on", expires.to_rfc3339())));
    }
    if !accept {
        return end(txn, course, reg, RegistrationState::Declined, now);
    }
    records::remove_offer(txn, course.id, reg.id)?;
    reg.state = RegistrationState::Confirmed;
    reg.offer_expires_at = None;
    reg.updated_at = now;
    records::save_registration(txn, course, &reg)?;
    inbox::deliver(txn, reg.account, event(course, CourseNotice::Confirmed, Some(reg.id), None, None), now)?;
    Ok(reg)
}

/// The scheduler's look at a course's open offers, due at `at` (µs): the offers that lapsed by
/// `now` lapse, their places passing on, and the course's next look is due by the first offer
/// still open (none when there is none). How many lapsed.
pub(crate) fn lapse_offers(txn: &WriteTxn, id: CourseId, at: i64, now: Timestamp) -> Result<u64> {
    let mut seats = records::load_seats(txn, id)?;
    if seats.offer_check != Some(at) {
        return Ok(0); // not the course's row (the index and the places row disagree): leave both
    }
    seats.offer_check = None;
    records::save_seats(txn, id, &seats)?;
    let course = records::load_course(txn, id)?;
    let mut lapsed = 0;
    for (reg, _) in records::open_offers(txn, id)? {
        let reg = records::load_registration_of(txn, id, reg)?;
        if reg.state == RegistrationState::Offered && reg.offer_expires_at.is_some_and(|at| at <= now) {
            end(txn, &course, reg, RegistrationState::Expired, now)?;
            lapsed += 1;
        }
    }
    // The places row as the lapses left it (their new offers may have a look due already).
    let mut seats = records::load_seats(txn, id)?;
    if let Some(first) = records::open_offers(txn, id)?.into_iter().map(|(_, at)| at).min() {
        records::check_offers_by(txn, &mut seats, id, first)?;
        records::save_seats(txn, id, &seats)?;
    }
    Ok(lapsed)
}

/// An organiser's move. Confirming needs a free place: capacity is never exceeded.
pub(crate) fn move_by_hand(
    txn: &WriteTxn,
    course: &CourseRecord,
    mut reg: Registration,
    to: MoveTo,
    now: Timestamp,
) -> Result<Registration> {
    if to == MoveTo::Cancelled {
        return end(txn, course, reg, RegistrationState::Cancelled, now);
    }
    if matches!(course.state, CourseState::Completed | CourseState::Cancelled) {
        return Err(Error::invalid("course", format!("the course is {:?}", course.state)));
    }
    if !reg.state.is_live()
        && let Some(other) = records::live_registration(txn, reg.account, course.id)?
    {
        return Err(Error::invalid("registration", format!("the person has another live registration ({})", other.id)));
    }
    let mut seats = records::load_seats(txn, course.id)?;
    match to {
        MoveTo::Confirmed => {
            if reg.state == RegistrationState::Confirmed {
                return Err(Error::invalid("to", "the registration is already confirmed"));
            }
            if reg.state != RegistrationState::Offered {
                if course.capacity.saturating_sub(seats.taken) == 0 {
                    return Err(Error::conflict("the course is full; capacity is never exceeded: raise it first"));
                }
                seats.taken += 1;
            }
            release_keeping_place(txn, &mut seats, &reg)?;
            reg.state = RegistrationState::Confirmed;
            reg.position = None;
            reg.offer_expires_at = None;
        }
        MoveTo::HeadOfWaitlist => {
            if reg.state.holds_place() {
                return Err(Error::invalid("to", "the registration holds a place; cancel it or confirm it instead"));
            }
            if let Some(position) = reg.position {
                leave_waitlist(txn, &mut seats, course.id, position, reg.id)?;
            }
            let head = records::first_position(txn, course.id)?.unwrap_or(seats.next_position + 1);
            let position =
                head.checked_sub(1).ok_or_else(|| Error::conflict("the waitlist cannot take another head"))?;
            records::put_waitlist(txn, course.id, position, &[reg.id])?;
            seats.waiting += 1;
            reg.state = RegistrationState::Waiting;
            reg.position = Some(position);
            reg.group = None;
        }
        MoveTo::Cancelled => unreachable!("handled above"),
    }
    reg.updated_at = now;
    records::save_registration(txn, course, &reg)?;
    records::save_seats(txn, course.id, &seats)?;
    let notice =
        if reg.state == RegistrationState::Confirmed { CourseNotice::Confirmed } else { CourseNotice::Waitlisted };
    inbox::deliver(txn, reg.account, event(course, notice, Some(reg.id), None, None), now)?;
    Ok(reg)
}

/// Like [`release`] for a registration that is about to hold a place: its offer and waitlist
/// entry go, the place it holds (if any) stays.
fn release_keeping_place(txn: &WriteTxn, seats: &mut Seats, reg: &Registration) -> Result<()> {
    if reg.offer_expires_at.is_some() {
        records::remove_offer(txn, reg.course, reg.id)?;
    }
    if let Some(position) = reg.position {
        leave_waitlist(txn, seats, reg.course, position, reg.id)?;
    }
    Ok(())
}

/// A cancelled course: every live registration ends and everyone is told, trainers too.
pub(crate) fn end_all(txn: &WriteTxn, course: &CourseRecord, now: Timestamp) -> Result<()> {
    let mut events = Vec::new();
    for mut reg in records::course_registrations(txn, course.id, 0)? {
        if !reg.state.is_live() {
            continue;
        }
        if reg.offer_expires_at.is_some() {
            records::remove_offer(txn, course.id, reg.id)?;
        }
        if let Some(position) = reg.position {
            records::remove_waitlist(txn, course.id, position)?;
        }
        reg.state = RegistrationState::Cancelled;
        reg.position = None;
        reg.offer_expires_at = None;
        reg.updated_at = now;
        records::save_registration(txn, course, &reg)?;
        events.push((reg.account, event(course, CourseNotice::CourseCancelled, Some(reg.id), None, None)));
    }
    for trainer in &course.trainers {
        events.push((*trainer, event(course, CourseNotice::CourseCancelled, None, None, None)));
    }
    // Nothing is held or waiting any more; the scheduler's look, if due, finds no offers.
    let offer_check = records::load_seats(txn, course.id)?.offer_check;
    records::save_seats(txn, course.id, &Seats { offer_check, ..Seats::default() })?;
    inbox::deliver_all(txn, events, now)
}

/// Tells confirmed participants (and the trainers) about a session.
pub(crate) fn tell_participants(
    txn: &WriteTxn,
    course: &CourseRecord,
    notice: CourseNotice,
    session: Option<SessionId>,
    at: Option<Timestamp>,
    now: Timestamp,
) -> Result<()> {
    let mut events = Vec::new();
    for reg in records::course_registrations(txn, course.id, 0)? {
        if reg.state == RegistrationState::Confirmed {
            events.push((reg.account, event(course, notice, Some(reg.id), session, at)));
        }
    }
    for trainer in &course.trainers {
        events.push((*trainer, event(course, notice, None, session, at)));
    }
    inbox::deliver_all(txn, events, now)
}

pub(crate) fn event(
    course: &CourseRecord,
    notice: CourseNotice,
    registration: Option<RegistrationId>,
    session: Option<SessionId>,
    at: Option<Timestamp>,
) -> Event {
    Event::Course {
        course: course.id.0,
        title: course.title.clone(),
        notice,
        registration: registration.map(|r| r.0),
        session: session.map(|s| s.0),
        at,
    }
}
