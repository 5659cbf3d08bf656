//! iCalendar (RFC 5545) files of courses' sessions: `METHOD:PUBLISH`, one VEVENT per session
//! with a UID that never changes, a SEQUENCE that rises when the session moves or is
//! cancelled (then `STATUS:CANCELLED`), text escaped and lines folded at 75 octets, CRLF line
//! ends. Times are local wall-clock times with the session's IANA zone as `TZID` (so a weekly
//! 18:00 session shows at 18:00 in a calendar set to another zone's rules too), and every zone
//! used gets a VTIMEZONE built from the tz database: its offset changes over the span of the
//! sessions, as RFC 5545 asks of every `TZID` a file names.
//!
//! The same writer makes the file of one course, of one registration and the feed of one
//! person (all their confirmed courses in one VCALENDAR).

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Duration, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use super::model::*;
use super::records::CourseRecord;
use crate::clock::Timestamp;

/// The calendar of every session of `course`; `link` puts the online link into each event.
pub(crate) fn course(course: &CourseRecord, link: bool, now: Timestamp) -> String {
    calendar(&course.title, &[(course, link)], now)
}

/// One person's feed: the sessions of every course in `courses`, each with the online link
/// when its flag says so.
pub(crate) fn feed(name: &str, courses: &[(&CourseRecord, bool)], now: Timestamp) -> String {
    calendar(name, courses, now)
}

fn calendar(name: &str, courses: &[(&CourseRecord, bool)], now: Timestamp) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//trialog//courses//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    for (zone, from, to) in zone_spans(courses).into_values() {
        time_zone(&mut out, zone, from, to);
    }
    for (course, link) in courses {
        let held = course.held_sessions().count();
        let mut n = 0;
        for session in &course.sessions {
            if !session.cancelled {
                n += 1;
            }
            event(&mut out, course, session, (n, held), *link, now);
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, course: &CourseRecord, s: &Session, (n, held): (usize, usize), link: bool, now: Timestamp) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:course-{}-session-{}@trialog", course.id, s.id));
    line(out, &format!("DTSTAMP:{}", utc(now)));
    line(out, &format!("DTSTART{}", zoned(s.start, &s.time_zone)));
    line(out, &format!("DTEND{}", zoned(s.end, &s.time_zone)));
    line(out, &format!("SEQUENCE:{}", s.sequence));
    line(out, if s.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
    let summary =
        if held > 1 && !s.cancelled { format!("{} ({n}/{held})", course.title) } else { course.title.clone() };
    line(out, &format!("SUMMARY:{}", text(&summary)));
    line(out, &format!("DESCRIPTION:{}", text(&course.description)));
    if let Some(place) = &course.place {
        let parts: Vec<&str> = [place.venue.as_deref(), place.postcode.as_deref(), place.locality.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !parts.is_empty() {
            line(out, &format!("LOCATION:{}", text(&parts.join(" "))));
        }
        line(out, &format!("GEO:{:.6};{:.6}", place.coordinates.latitude, place.coordinates.longitude));
    }
    if link && let Some(url) = &course.online_link {
        line(out, &format!("URL:{url}"));
        if course.place.is_none() {
            line(out, &format!("LOCATION:{}", text(url)));
        }
    }
    line(out, "END:VEVENT");
}

/// The zones the sessions use, each with the span of time its sessions cover.
fn zone_spans(courses: &[(&CourseRecord, bool)]) -> BTreeMap<&'static str, (Tz, Timestamp, Timestamp)> {
    let mut spans = BTreeMap::new();
    for s in courses.iter().flat_map(|(c, _)| c.sessions.iter()) {
        let Ok(zone) = s.time_zone.parse::<Tz>() else { continue };
        let span = spans.entry(zone.name()).or_insert((zone, s.start, s.end));
        span.1 = span.1.min(s.start);
        span.2 = span.2.max(s.end);
    }
    spans
}

/// `;TZID=Europe/Berlin:20270304T180000`, or UTC (`:20270304T170000Z`) for a zone the tz
/// database does not know (sessions are validated on input, so only an old record could).
fn zoned(t: Timestamp, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) => format!(";TZID={}:{}", tz.name(), t.with_timezone(&tz).naive_local().format("%Y%m%dT%H%M%S")),
        Err(_) => format!(":{}", utc(t)),
    }
}

/// A VTIMEZONE for `zone` from the tz database: the offset in force at `from`, and every
/// change of offset up to `to` as its own observance (STANDARD or DAYLIGHT).
fn time_zone(out: &mut String, zone: Tz, from: Timestamp, to: Timestamp) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", zone.name()));
    let offset = |t: Timestamp| zone.offset_from_utc_datetime(&t.naive_utc());
    let first = offset(from);
    observance(out, &first, first.fix().local_minus_utc(), from.with_timezone(&zone).naive_local());
    let mut at = from;
    while at < to {
        let next = (at + Duration::days(1)).min(to);
        if offset(next).fix() != offset(at).fix() {
            let change = first_change(&zone, at, next);
            let before = offset(change - Duration::seconds(1)).fix().local_minus_utc();
            // DTSTART of an observance is the local time before the change (RFC 5545 3.6.5).
            let local = change.naive_utc() + Duration::seconds(i64::from(before));
            observance(out, &offset(change), before, local);
        }
        at = next;
    }
    line(out, "END:VTIMEZONE");
}

/// The first second in `(from, to]` whose offset differs from that of `from` (a bisection).
fn first_change(zone: &Tz, mut from: Timestamp, mut to: Timestamp) -> Timestamp {
    let offset = |t: Timestamp| zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    let before = offset(from);
    while to - from > Duration::seconds(1) {
        let mid = from + (to - from) / 2;
        if offset(mid) == before {
            from = mid;
        } else {
            to = mid;
        }
    }
    to
}

fn observance(out: &mut String, offset: &chrono_tz::TzOffset, from_secs: i32, local: NaiveDateTime) {
    let kind = if offset.dst_offset().is_zero() { "STANDARD" } else { "DAYLIGHT" };
    line(out, &format!("BEGIN:{kind}"));
    line(out, &format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")));
    line(out, &format!("TZOFFSETFROM:{}", utc_offset(from_secs)));
    line(out, &format!("TZOFFSETTO:{}", utc_offset(offset.fix().local_minus_utc())));
    if let Some(name) = offset.abbreviation() {
        line(out, &format!("TZNAME:{}", text(name)));
    }
    line(out, &format!("END:{kind}"));
}

/// `+0100`, `-0330`.
fn utc_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}{:02}", secs / 3600, secs % 3600 / 60)
}

/// `20270304T170000Z`.
fn utc(t: Timestamp) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "ä".repeat(60));
        line(&mut out, &long);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets: {physical}", physical.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
