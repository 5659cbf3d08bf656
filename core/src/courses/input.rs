//! What organisers enter, checked field by field: texts, languages, places, fees, session
//! series in local time. Every error names the field.

use chrono::{Duration, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::model::*;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates};
use crate::store::Reader;
use crate::validate;

const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 10_000;
const MAX_TOPICS: usize = 20;
const MAX_SESSIONS: usize = 200;
const MAX_CAPACITY: u32 = 10_000;
const MAX_PREREQUISITES: usize = 10;
/// A session lasts at most this long (a whole-day seminar, not a month).
const MAX_SESSION_HOURS: i64 = 24;

pub(crate) fn title(value: &str) -> Result<String> {
    validate::required_line("title", value, MAX_TITLE)
}

pub(crate) fn description(value: &str) -> Result<String> {
    validate::required_text("description", value, MAX_DESCRIPTION)
}

/// Topic slugs: lower-case letters, digits and hyphens, each once.
pub(crate) fn topics(values: &[String]) -> Result<Vec<String>> {
    if values.len() > MAX_TOPICS {
        return Err(Error::invalid("topics", format!("{} topics; at most {MAX_TOPICS}", values.len())));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, raw) in values.iter().enumerate() {
        let slug = raw.trim().to_lowercase();
        let ok = !slug.is_empty()
            && slug.len() <= 60
            && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(Error::invalid(
                format!("topics[{i}]"),
                "must be a slug of letters a-z, digits and hyphens, at most 60 long (`self-help-groups`)",
            ));
        }
        if out.contains(&slug) {
            return Err(Error::invalid(format!("topics[{i}]"), format!("'{slug}' is listed twice")));
        }
        out.push(slug);
    }
    Ok(out)
}

/// An ISO 639-1 code, lower-cased.
pub(crate) fn language(value: &str) -> Result<String> {
    let code = value.trim().to_ascii_lowercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(code)
    } else {
        Err(Error::invalid("language", format!("'{value}' is not a two-letter ISO 639-1 code such as de or da")))
    }
}

pub(crate) fn audience(value: &CourseAudience) -> Result<CourseAudience> {
    if let CourseAudience::Perspectives { perspectives } = value {
        if perspectives.is_empty() {
            return Err(Error::invalid("audience", "name at least one perspective, or choose everyone"));
        }
        let mut clean = perspectives.clone();
        clean.sort_by_key(|p| format!("{p:?}"));
        clean.dedup();
        return Ok(CourseAudience::Perspectives { perspectives: clean });
    }
    Ok(value.clone())
}

pub(crate) fn capacity(value: u32) -> Result<u32> {
    if value == 0 || value > MAX_CAPACITY {
        return Err(Error::invalid("capacity", format!("{value} places; a course has 1 to {MAX_CAPACITY}")));
    }
    Ok(value)
}

pub(crate) fn fee(value: &Fee) -> Result<Fee> {
    match value {
        Fee::Free => Ok(Fee::Free),
        Fee::Amount { amount_cents, currency } => {
            let code = currency.trim().to_ascii_uppercase();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(Error::invalid("fee.currency", format!("'{currency}' is not an ISO 4217 code (EUR, DKK)")));
            }
            if *amount_cents == 0 {
                return Err(Error::invalid("fee.amount_cents", "is 0: choose a free course instead"));
            }
            if *amount_cents > 100_000_000 {
                return Err(Error::invalid("fee.amount_cents", "is more than a million"));
            }
            Ok(Fee::Amount { amount_cents: *amount_cents, currency: code })
        }
    }
}

/// An `https` link (or `http` for a local meeting server); at most 500 characters.
pub(crate) fn online_link(value: Option<&str>) -> Result<Option<String>> {
    let Some(link) = value.map(str::trim).filter(|l| !l.is_empty()) else { return Ok(None) };
    let ok = (link.starts_with("https://") || link.starts_with("http://"))
        && link.len() <= 500
        && !link.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(Error::invalid("online_link", "must be an https:// address without spaces, at most 500 long"));
    }
    Ok(Some(link.to_string()))
}

pub(crate) fn place(txn: &impl Reader, value: &PlaceInput) -> Result<CoursePlace> {
    match value {
        PlaceInput::Postcode { country, postcode, venue } => {
            let found = geo::resolve(txn, country, postcode)?;
            Ok(CoursePlace {
                coordinates: found.coordinates,
                venue: validate::optional_line("place.venue", venue.as_deref(), 200)?,
                locality: found.names.first().cloned(),
                postcode: Some(found.postcode),
                country: Some(found.country),
            })
        }
        PlaceInput::Coordinates { latitude, longitude, venue } => Ok(CoursePlace {
            coordinates: Coordinates::new(*latitude, *longitude)?,
            venue: validate::optional_line("place.venue", venue.as_deref(), 200)?,
            locality: None,
            postcode: None,
            country: None,
        }),
    }
}

/// The place and link a format needs: in person needs a place, online a link, hybrid both.
pub(crate) fn format_needs(format: CourseFormat, place: &Option<CoursePlace>, link: &Option<String>) -> Result<()> {
    let wants_place = matches!(format, CourseFormat::InPerson | CourseFormat::Hybrid);
    let wants_link = matches!(format, CourseFormat::Online | CourseFormat::Hybrid);
    if wants_place && place.is_none() {
        return Err(Error::invalid("place", "an in-person or hybrid course needs a place (a postcode or coordinates)"));
    }
    if wants_link && link.is_none() {
        return Err(Error::invalid("online_link", "an online or hybrid course needs a link to its meeting"));
    }
    Ok(())
}

pub(crate) fn settings(value: CourseSettings) -> Result<CourseSettings> {
    let hours = [
        ("settings.offer_hours", value.offer_hours, 1, 24 * 30),
        ("settings.reminder_hours", value.reminder_hours, 0, 24 * 14),
        ("settings.cancel_hours", value.cancel_hours, 0, 24 * 60),
    ];
    for (field, v, min, max) in hours {
        if !(min..=max).contains(&v) {
            return Err(Error::invalid(field, format!("{v} hours is not between {min} and {max}")));
        }
    }
    if !(1..=100).contains(&value.completion_percent) {
        return Err(Error::invalid("settings.completion_percent", "must be between 1 and 100"));
    }
    Ok(value)
}

pub(crate) fn window(opens: Option<Timestamp>, closes: Option<Timestamp>) -> Result<()> {
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        return Err(Error::invalid("registration_closes", "must be after registration_opens"));
    }
    Ok(())
}

pub(crate) fn prerequisites(values: &[CourseId], own: Option<CourseId>) -> Result<Vec<CourseId>> {
    if values.len() > MAX_PREREQUISITES {
        return Err(Error::invalid("prerequisites", format!("at most {MAX_PREREQUISITES} courses")));
    }
    let mut out = values.to_vec();
    out.sort();
    out.dedup();
    if own.is_some_and(|id| out.contains(&id)) {
        return Err(Error::invalid("prerequisites", "a course cannot be its own prerequisite"));
    }
    Ok(out)
}

/// A time zone by its IANA name.
pub(crate) fn time_zone(field: &str, name: &str) -> Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| {
        Error::invalid(field, format!("'{name}' is not an IANA time zone such as Europe/Berlin or Europe/Copenhagen"))
    })
}

/// Expands session inputs (with their series) into (start, end, zone) in UTC, checking each:
/// an end after its start, at most a day long, no overlap with another session.
pub(crate) fn sessions(inputs: &[SessionInput]) -> Result<Vec<(Timestamp, Timestamp, String)>> {
    let mut out = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("sessions[{i}].{name}");
        let zone = time_zone(&field("time_zone"), &input.time_zone)?;
        let start = local(&field("start"), &input.start)?;
        let end = local(&field("end"), &input.end)?;
        if end <= start {
            return Err(Error::invalid(field("end"), format!("{} is not after the start {}", input.end, input.start)));
        }
        if end - start > Duration::hours(MAX_SESSION_HOURS) {
            return Err(Error::invalid(field("end"), "a session lasts at most 24 hours; make a series instead"));
        }
        let (every, count) = match input.repeat {
            None => (0, 1),
            Some(Repeat { every_days, count }) => {
                if !(1..=366).contains(&every_days) {
                    return Err(Error::invalid(field("repeat.every_days"), "must be between 1 and 366"));
                }
                if !(2..=100).contains(&count) {
                    return Err(Error::invalid(field("repeat.count"), "must be between 2 and 100"));
                }
                (i64::from(every_days), count)
            }
        };
        for n in 0..i64::from(count) {
            let shift = Duration::days(every * n);
            let s = in_zone(&field("start"), zone, start + shift)?;
            let e = in_zone(&field("end"), zone, end + shift)?;
            out.push((s, e, zone.name().to_string()));
        }
        if out.len() > MAX_SESSIONS {
            return Err(Error::invalid("sessions", format!("more than {MAX_SESSIONS} sessions")));
        }
    }
    Ok(out)
}

/// Refuses a session that overlaps another of the same course (touching ends are fine).
pub(crate) fn no_overlap(sessions: &[Session]) -> Result<()> {
    let mut held: Vec<&Session> = sessions.iter().filter(|s| !s.cancelled).collect();
    held.sort_by_key(|s| s.start);
    for pair in held.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(Error::invalid(
                "sessions",
                format!(
                    "the sessions starting {} and {} overlap",
                    pair[0].start.to_rfc3339(),
                    pair[1].start.to_rfc3339()
                ),
            ));
        }
    }
    Ok(())
}

fn local(field: &str, text: &str) -> Result<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a local date and time such as 2027-03-04T18:00")))
}

/// The UTC instant of a local wall-clock time; a time skipped or repeated by a change of
/// summer time is refused rather than guessed.
fn in_zone(field: &str, zone: Tz, at: NaiveDateTime) -> Result<Timestamp> {
    match zone.from_local_datetime(&at) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&chrono::Utc)),
        _ => Err(Error::invalid(
            field,
            format!(
                "{at} does not exist or is ambiguous in {} (a change of summer time); pick another time",
                zone.name()
            ),
        )),
    }
}
