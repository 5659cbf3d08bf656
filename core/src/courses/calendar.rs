//! iCalendar (RFC 5545) files of a course's sessions: `METHOD:PUBLISH`, one VEVENT per session
//! with a UID that never changes, a SEQUENCE that rises when the session moves or is
//! cancelled (then `STATUS:CANCELLED`), times in UTC, text escaped and lines folded at 75
//! octets, CRLF line ends.

use std::fmt::Write;

use super::model::*;
use super::records::CourseRecord;
use crate::clock::Timestamp;

/// The calendar of every session of `course`; `link` puts the online link into each event.
pub(crate) fn course(course: &CourseRecord, link: bool, now: Timestamp) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//trialog//courses//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(&course.title)));
    let held = course.held_sessions().count();
    let mut n = 0;
    for session in &course.sessions {
        if !session.cancelled {
            n += 1;
        }
        event(&mut out, course, session, (n, held), link, now);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, course: &CourseRecord, s: &Session, (n, held): (usize, usize), link: bool, now: Timestamp) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:course-{}-session-{}@trialog", course.id, s.id));
    line(out, &format!("DTSTAMP:{}", utc(now)));
    line(out, &format!("DTSTART:{}", utc(s.start)));
    line(out, &format!("DTEND:{}", utc(s.end)));
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
    line(out, &format!("X-TRIALOG-TIME-ZONE:{}", s.time_zone));
    line(out, "END:VEVENT");
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
