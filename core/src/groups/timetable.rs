//! A group's meetings as the next dates need them: each schedule parsed once, when the group
//! is saved, into a small row of its own (`group_timetables`), so that the next dates of many
//! groups read neither the group records nor any text; and the next dates themselves, in the
//! platform's time zone, correct across changes of summer time.
//!
//! The time zone is not stored in the row: it is the directory's setting, read once per call,
//! so that changing it needs no rewrite of every row.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::model::{Meeting, MeetingDate};
use super::schedule::{self, Rule};
use crate::clock::Timestamp;

/// How far ahead the next dates are looked for: a schedule with none in this span has ended.
const HORIZON_DAYS: i64 = 800;

/// A group's schedules, parsed: what `group_timetables` stores under the group's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Timetable {
    pub slots: Vec<Slot>,
}

/// One schedule, parsed: its rule, local times as minutes after midnight and dates as days
/// since the common era, so that a read decodes integers only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Slot {
    pub rule: Rule,
    pub starts: u16,
    pub ends: u16,
    pub valid_from: i32,
    pub valid_until: Option<i32>,
    /// Sorted.
    pub exceptions: Vec<i32>,
}

impl Timetable {
    /// The timetable of a group's meetings (a schedule that does not parse, which the input
    /// checks never let through, has no dates, as before).
    pub(crate) fn of(meetings: &[Meeting]) -> Timetable {
        Timetable { slots: meetings.iter().filter_map(Slot::of).collect() }
    }

    /// The first `count` meetings that end after `now`, in time order.
    pub(crate) fn next(&self, instants: &mut Instants, now: Timestamp, count: usize) -> Vec<MeetingDate> {
        let mut all = Vec::new();
        for slot in &self.slots {
            slot.next(instants, now, count, &mut all);
        }
        if self.slots.len() > 1 {
            all.sort_by_key(|d| d.start);
            all.truncate(count);
        }
        all
    }
}

impl Slot {
    fn of(m: &Meeting) -> Option<Slot> {
        let rule = schedule::parse_rule("rule", &m.rule).ok()?;
        let minutes = |t: &str| schedule::local_time("time", t).ok().map(|t| schedule::minutes_of(t) as u16);
        let mut exceptions: Vec<i32> = m.exceptions.iter().map(|d| d.num_days_from_ce()).collect();
        exceptions.sort_unstable();
        Some(Slot {
            rule,
            starts: minutes(&m.starts)?,
            ends: minutes(&m.ends)?,
            valid_from: m.valid_from.num_days_from_ce(),
            valid_until: m.valid_until.map(|d| d.num_days_from_ce()),
            exceptions,
        })
    }

    /// Appends its first `count` meetings that end after `now` to `out`.
    fn next(&self, instants: &mut Instants, now: Timestamp, count: usize, out: &mut Vec<MeetingDate>) {
        let (Some(anchor), Some(until)) = (day(self.valid_from), self.valid_until.map_or(Some(NaiveDate::MAX), day))
        else {
            return;
        };
        let today = instants.today(now);
        let first = today.max(anchor);
        let Some(horizon) = today.checked_add_signed(Duration::days(HORIZON_DAYS)) else { return };
        let last = until.min(horizon);
        if first > last {
            return;
        }
        let mut found = 0;
        self.rule.dates(anchor, first, last, |date| {
            if self.exceptions.binary_search(&date.num_days_from_ce()).is_err() {
                let end = instants.at(date, self.ends);
                if end > now {
                    out.push(MeetingDate { start: instants.at(date, self.starts), end });
                    found += 1;
                }
            }
            found < count
        });
    }
}

fn day(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// The UTC instants of local times in one zone, remembered per local date and time: the
/// groups of one call meet on few distinct dates, and the zone's rules are searched once for
/// each.
pub(crate) struct Instants {
    zone: Tz,
    /// Fx, not SipHash: the keys are dates and minutes the call computes, not input.
    seen: FxHashMap<(NaiveDate, u16), Timestamp>,
    /// The local date of the last `now` asked, with it: a call asks with one `now`.
    today: Option<(Timestamp, NaiveDate)>,
}

impl Instants {
    pub(crate) fn new(zone: Tz) -> Instants {
        Instants { zone, seen: FxHashMap::default(), today: None }
    }

    /// The local date of `now` in the zone.
    fn today(&mut self, now: Timestamp) -> NaiveDate {
        match self.today {
            Some((at, date)) if at == now => date,
            _ => {
                let date = now.with_timezone(&self.zone).date_naive();
                self.today = Some((now, date));
                date
            }
        }
    }

    fn at(&mut self, date: NaiveDate, minutes: u16) -> Timestamp {
        let zone = self.zone;
        *self.seen.entry((date, minutes)).or_insert_with(|| {
            let time =
                NaiveTime::from_hms_opt(u32::from(minutes) / 60, u32::from(minutes) % 60, 0).unwrap_or(NaiveTime::MIN);
            instant(zone, date, time)
        })
    }
}

/// The first `count` meetings of all `schedules` that end after `now`, in time order, in
/// time zone `zone`.
pub(crate) fn next_dates(schedules: &[Meeting], zone: Tz, now: Timestamp, count: usize) -> Vec<MeetingDate> {
    Timetable::of(schedules).next(&mut Instants::new(zone), now, count)
}

/// The UTC instant of a local time: a time skipped by the spring change is taken an hour
/// later, a repeated one at its first occurrence.
fn instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> Timestamp {
    let local = date.and_time(time);
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.with_timezone(&chrono::Utc),
        chrono::LocalResult::None => {
            let later = local + Duration::hours(1);
            zone.from_local_datetime(&later)
                .earliest()
                .map_or_else(|| chrono::Utc.from_utc_datetime(&local), |t| t.with_timezone(&chrono::Utc))
        }
    }
}
