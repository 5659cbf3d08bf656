//! Meeting schedules: the iCalendar RRULE subset self-help directories use (weekly, every n
//! weeks, the nth weekday of a month; exceptions; valid from/until) and the next dates in a
//! time zone, correct across changes of summer time (a meeting at 18:00 stays at 18:00 local).

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::model::{Meeting, MeetingInput, Weekday};
use crate::error::{Error, Result};

/// Most schedules one group may have.
pub(crate) const MAX_MEETINGS: usize = 8;
/// Most exception dates one schedule may hold.
const MAX_EXCEPTIONS: usize = 100;

/// A parsed rule (stored in each group's timetable row, see [`super::timetable`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Rule {
    /// Every `interval` weeks (weeks start on Monday) on `days`.
    Weekly { interval: u32, days: Vec<Weekday> },
    /// Every `interval` months on the nth weekdays (`-1`: the last).
    Monthly { interval: u32, days: Vec<(i8, Weekday)> },
}

const CODES: [(&str, Weekday); 7] = [
    ("MO", Weekday::Monday),
    ("TU", Weekday::Tuesday),
    ("WE", Weekday::Wednesday),
    ("TH", Weekday::Thursday),
    ("FR", Weekday::Friday),
    ("SA", Weekday::Saturday),
    ("SU", Weekday::Sunday),
];

impl Weekday {
    pub(crate) fn code(self) -> &'static str {
        CODES.iter().find(|(_, d)| *d == self).map(|(c, _)| *c).unwrap_or("MO")
    }

    #[cfg(test)]
    fn from_chrono(day: chrono::Weekday) -> Weekday {
        CODES[day.num_days_from_monday() as usize].1
    }

    /// Days after Monday (Monday 0, Sunday 6).
    fn days_after_monday(self) -> u32 {
        CODES.iter().position(|(_, d)| *d == self).unwrap_or(0) as u32
    }

    fn english(self) -> &'static str {
        match self {
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
            Weekday::Sunday => "Sunday",
        }
    }
}

/// Parses `FREQ=…;INTERVAL=…;BYDAY=…`; anything else of RFC 5545 is refused by name.
pub(crate) fn parse_rule(field: &str, text: &str) -> Result<Rule> {
    let text = text.trim().trim_start_matches("RRULE:");
    let (mut freq, mut interval, mut byday) = (None, None, None);
    for part in text.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| Error::invalid(field, format!("'{part}' is not KEY=VALUE, as in FREQ=WEEKLY;BYDAY=TU")))?;
        let slot = match key.to_ascii_uppercase().as_str() {
            "FREQ" => &mut freq,
            "INTERVAL" => &mut interval,
            "BYDAY" => &mut byday,
            other => {
                return Err(Error::invalid(
                    field,
                    format!(
                        "{other} is not supported: the directory's rules use FREQ (WEEKLY or MONTHLY), INTERVAL \
                         and BYDAY; give an end date as valid_until and skipped dates as exceptions"
                    ),
                ));
            }
        };
        if slot.replace(value.trim().to_ascii_uppercase()).is_some() {
            return Err(Error::invalid(field, format!("{key} is given twice")));
        }
    }
    let interval = match interval {
        None => 1,
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=52).contains(n))
            .ok_or_else(|| Error::invalid(field, format!("INTERVAL={v} is not a number from 1 to 52")))?,
    };
    let byday = byday.ok_or_else(|| Error::invalid(field, "BYDAY is missing: name the weekdays, as in BYDAY=TU"))?;
    match freq.as_deref() {
        Some("WEEKLY") => {
            let mut days = Vec::new();
            for code in byday.split(',') {
                let day = weekday(field, code)?;
                if !days.contains(&day) {
                    days.push(day);
                }
            }
            days.sort();
            Ok(Rule::Weekly { interval, days })
        }
        Some("MONTHLY") => {
            if interval > 12 {
                return Err(Error::invalid(field, format!("INTERVAL={interval} is more than 12 months")));
            }
            let mut days = Vec::new();
            for code in byday.split(',') {
                let code = code.trim();
                let split = code.len().saturating_sub(2);
                let (n, day) = code.split_at(split);
                let n: i8 = n.parse().ok().filter(|n| matches!(n, 1..=5 | -1)).ok_or_else(|| {
                    Error::invalid(
                        field,
                        format!("'{code}' needs its week of the month, 1 to 5 or -1 (the last), as in 2TU"),
                    )
                })?;
                let day = (n, weekday(field, day)?);
                if !days.contains(&day) {
                    days.push(day);
                }
            }
            days.sort_by_key(|(n, d)| (if *n < 0 { 9 } else { *n }, *d));
            Ok(Rule::Monthly { interval, days })
        }
        Some(other) => {
            Err(Error::invalid(field, format!("FREQ={other} is not supported: meetings repeat WEEKLY or MONTHLY")))
        }
        None => Err(Error::invalid(field, "FREQ is missing: FREQ=WEEKLY or FREQ=MONTHLY")),
    }
}

fn weekday(field: &str, code: &str) -> Result<Weekday> {
    let code = code.trim();
    CODES.iter().find(|(c, _)| *c == code).map(|(_, d)| *d).ok_or_else(|| {
        Error::invalid(field, format!("'{code}' is not a weekday of BYDAY: MO, TU, WE, TH, FR, SA or SU"))
    })
}

impl Rule {
    /// The normalised RRULE text.
    pub(crate) fn text(&self) -> String {
        match self {
            Rule::Weekly { interval, days } => {
                let days: Vec<&str> = days.iter().map(|d| d.code()).collect();
                let interval = if *interval > 1 { format!(";INTERVAL={interval}") } else { String::new() };
                format!("FREQ=WEEKLY{interval};BYDAY={}", days.join(","))
            }
            Rule::Monthly { interval, days } => {
                let days: Vec<String> = days.iter().map(|(n, d)| format!("{n}{}", d.code())).collect();
                let interval = if *interval > 1 { format!(";INTERVAL={interval}") } else { String::new() };
                format!("FREQ=MONTHLY{interval};BYDAY={}", days.join(","))
            }
        }
    }

    /// The rule in words: "every 2nd and 4th Tuesday of the month".
    fn words(&self) -> String {
        match self {
            Rule::Weekly { interval, days } => {
                let days: Vec<&str> = days.iter().map(|d| d.english()).collect();
                let every = if *interval == 1 { "every".to_string() } else { format!("every {interval} weeks on") };
                format!("{every} {}", join_words(&days))
            }
            Rule::Monthly { interval, days } => {
                let mut groups: Vec<(Weekday, Vec<String>)> = Vec::new();
                for (n, d) in days {
                    let nth = ordinal(*n);
                    match groups.iter_mut().find(|(day, _)| day == d) {
                        Some((_, ns)) => ns.push(nth),
                        None => groups.push((*d, vec![nth])),
                    }
                }
                let parts: Vec<String> = groups
                    .iter()
                    .map(|(d, ns)| {
                        format!("{} {}", join_words(&ns.iter().map(String::as_str).collect::<Vec<_>>()), d.english())
                    })
                    .collect();
                let month =
                    if *interval == 1 { "of the month".to_string() } else { format!("of every {interval} months") };
                format!("every {} {month}", join_words(&parts.iter().map(String::as_str).collect::<Vec<_>>()))
            }
        }
    }

    /// Whether the rule holds on `date`, counting weeks and months from `anchor`: the day by
    /// day reference the tests hold [`Rule::dates`] to.
    #[cfg(test)]
    fn holds(&self, date: NaiveDate, anchor: NaiveDate) -> bool {
        let day = Weekday::from_chrono(date.weekday());
        match self {
            Rule::Weekly { interval, days } => {
                if !days.contains(&day) {
                    return false;
                }
                let week = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
                let weeks = (week(date) - week(anchor)).num_days() / 7;
                weeks.rem_euclid(i64::from(*interval)) == 0
            }
            Rule::Monthly { interval, days } => {
                let months = (date.year() - anchor.year()) * 12 + date.month() as i32 - anchor.month() as i32;
                if months.rem_euclid(*interval as i32) != 0 {
                    return false;
                }
                let nth = ((date.day() - 1) / 7 + 1) as i8;
                let last = (date + Duration::days(7)).month() != date.month();
                days.iter().any(|(n, d)| *d == day && (*n == nth || (*n == -1 && last)))
            }
        }
    }
}

fn ordinal(n: i8) -> String {
    match n {
        -1 => "last".into(),
        1 => "1st".into(),
        2 => "2nd".into(),
        3 => "3rd".into(),
        n => format!("{n}th"),
    }
}

fn join_words(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A local time `HH:MM`.
pub(crate) fn local_time(field: &str, text: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a time of day such as 18:00")))
}

/// Checks and normalises the schedules of a group; `today` is the default start.
pub(crate) fn meetings(inputs: &[MeetingInput], today: NaiveDate) -> Result<Vec<Meeting>> {
    if inputs.len() > MAX_MEETINGS {
        return Err(Error::invalid("meetings", format!("{} schedules; at most {MAX_MEETINGS}", inputs.len())));
    }
    inputs.iter().enumerate().map(|(i, m)| meeting(&format!("meetings[{i}]"), m, today)).collect()
}

fn meeting(prefix: &str, input: &MeetingInput, today: NaiveDate) -> Result<Meeting> {
    let rule = parse_rule(&format!("{prefix}.rule"), &input.rule)?;
    let starts = local_time(&format!("{prefix}.starts"), &input.starts)?;
    let ends = local_time(&format!("{prefix}.ends"), &input.ends)?;
    if ends <= starts {
        return Err(Error::invalid(
            format!("{prefix}.ends"),
            format!("the meeting ends at {} before it starts at {}", ends.format("%H:%M"), starts.format("%H:%M")),
        ));
    }
    let valid_from = input.valid_from.unwrap_or(today);
    if let Some(until) = input.valid_until
        && until < valid_from
    {
        return Err(Error::invalid(
            format!("{prefix}.valid_until"),
            format!("{until} is before valid_from {valid_from}"),
        ));
    }
    if input.exceptions.len() > MAX_EXCEPTIONS {
        return Err(Error::invalid(format!("{prefix}.exceptions"), format!("at most {MAX_EXCEPTIONS} dates")));
    }
    let mut exceptions = input.exceptions.clone();
    exceptions.sort_unstable();
    exceptions.dedup();
    let (s, e) = (starts.format("%H:%M").to_string(), ends.format("%H:%M").to_string());
    let description = format!("{}, {s}–{e}", rule.words());
    Ok(Meeting {
        rule: rule.text(),
        starts: s,
        ends: e,
        valid_from,
        valid_until: input.valid_until,
        exceptions,
        description,
    })
}

impl Rule {
    /// Visits the dates of the rule from `first` to `last`, in order, until `visit` says stop,
    /// counting weeks and months from `anchor` (not after `first`): it jumps to the weeks or
    /// months the interval keeps and computes their days, instead of testing every day.
    pub(super) fn dates(
        &self,
        anchor: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
        mut visit: impl FnMut(NaiveDate) -> bool,
    ) {
        match self {
            Rule::Weekly { interval, days } => {
                let interval = i64::from(*interval);
                let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
                let mut week = monday(first);
                let behind = ((week - monday(anchor)).num_days() / 7).rem_euclid(interval);
                if behind != 0 {
                    week += Duration::weeks(interval - behind);
                }
                while week <= last {
                    for day in days {
                        let date = week + Duration::days(i64::from(day.days_after_monday()));
                        if date > last || (date >= first && !visit(date)) {
                            return;
                        }
                    }
                    week += Duration::weeks(interval);
                }
            }
            Rule::Monthly { interval, days } => {
                let interval = *interval as i32;
                let index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
                let mut month = index(first);
                let behind = (month - index(anchor)).rem_euclid(interval);
                if behind != 0 {
                    month += interval - behind;
                }
                loop {
                    let Some(start) = NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)
                    else {
                        return;
                    };
                    if start > last {
                        return;
                    }
                    let mut dates: Vec<NaiveDate> =
                        days.iter().filter_map(|(n, d)| nth_weekday(start, *n, *d)).collect();
                    dates.sort_unstable();
                    dates.dedup();
                    for date in dates {
                        if date > last || (date >= first && !visit(date)) {
                            return;
                        }
                    }
                    month += interval;
                }
            }
        }
    }
}

/// The `n`th `day` of the month beginning on `start` (`-1`: the last), if the month has one.
fn nth_weekday(start: NaiveDate, n: i8, day: Weekday) -> Option<NaiveDate> {
    let wanted = i64::from(day.days_after_monday());
    if n < 0 {
        let last = start.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
        let back = (i64::from(last.weekday().num_days_from_monday()) - wanted).rem_euclid(7);
        return Some(last - Duration::days(back));
    }
    let ahead = (wanted - i64::from(start.weekday().num_days_from_monday())).rem_euclid(7);
    let date = start + Duration::days(ahead + 7 * (i64::from(n) - 1));
    (date.month() == start.month()).then_some(date)
}

/// The weekdays and local start/end minutes of a schedule, for searching by day and time.
pub(crate) fn days_and_times(m: &Meeting) -> (Vec<Weekday>, u32, u32) {
    let days = match parse_rule("rule", &m.rule) {
        Ok(Rule::Weekly { days, .. }) => days,
        Ok(Rule::Monthly { days, .. }) => days.into_iter().map(|(_, d)| d).collect(),
        Err(_) => Vec::new(),
    };
    let minutes = |t: &str| local_time("t", t).map(minutes_of).unwrap_or(0);
    (days, minutes(&m.starts), minutes(&m.ends))
}

/// Minutes after midnight.
pub(crate) fn minutes_of(t: NaiveTime) -> u32 {
    use chrono::Timelike;
    t.hour() * 60 + t.minute()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<Rule>) -> String {
        match r {
            Err(Error::InvalidInput { field, reason }) => format!("{field}: {reason}"),
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn the_subset_parses_and_prints_back() {
        for (given, normal) in [
            ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
            ("RRULE:freq=weekly;interval=2;byday=mo", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
            ("FREQ=MONTHLY;BYDAY=4TU,2TU", "FREQ=MONTHLY;BYDAY=2TU,4TU"),
            ("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"),
        ] {
            assert_eq!(parse_rule("rule", given).unwrap().text(), normal);
        }
    }

    #[test]
    fn rules_outside_the_subset_name_what_is_wrong() {
        assert!(field(parse_rule("m.rule", "FREQ=DAILY;BYDAY=TU")).contains("FREQ=DAILY"));
        assert!(field(parse_rule("m.rule", "FREQ=WEEKLY;COUNT=3;BYDAY=TU")).contains("COUNT"));
        assert!(field(parse_rule("m.rule", "FREQ=WEEKLY")).contains("BYDAY"));
        assert!(field(parse_rule("m.rule", "FREQ=MONTHLY;BYDAY=TU")).contains("week of the month"));
        assert!(field(parse_rule("m.rule", "FREQ=WEEKLY;BYDAY=XX")).contains("XX"));
        assert!(field(parse_rule("m.rule", "FREQ=WEEKLY;INTERVAL=0;BYDAY=TU")).starts_with("m.rule"));
        assert!(field(parse_rule("m.rule", "FREQ=WEEKLY;FREQ=WEEKLY;BYDAY=TU")).contains("twice"));
    }

    #[test]
    fn descriptions_read_as_directories_write_them() {
        let m = |rule: &str| {
            let input = MeetingInput {
                rule: rule.into(),
                starts: "18:00".into(),
                ends: "20:00".into(),
                valid_from: None,
                valid_until: None,
                exceptions: vec![],
            };
            meeting("m", &input, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).unwrap().description
        };
        assert_eq!(m("FREQ=MONTHLY;BYDAY=2TU,4TU"), "every 2nd and 4th Tuesday of the month, 18:00–20:00");
        assert_eq!(m("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"), "every 2 weeks on Monday, 18:00–20:00");
        assert_eq!(m("FREQ=WEEKLY;BYDAY=MO,TH"), "every Monday and Thursday, 18:00–20:00");
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The dates of `rule` the day by day way the directory first computed them.
    fn day_by_day(rule: &Rule, anchor: NaiveDate, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
        first.iter_days().take_while(|d| *d <= last).filter(|d| rule.holds(*d, anchor)).collect()
    }

    fn jumped(rule: &Rule, anchor: NaiveDate, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        rule.dates(anchor, first, last, |d| {
            out.push(d);
            true
        });
        out
    }

    proptest::proptest! {
        #[test]
        fn jumping_to_the_dates_finds_what_testing_every_day_finds(
            monthly in proptest::bool::ANY,
            interval in 1u32..6,
            codes in proptest::collection::vec((-1i8..=5, 0usize..7), 1..4),
            anchor in 0i64..3_000,
            later in 0i64..400,
            span in 0i64..500,
        ) {
            let text = if monthly {
                let days: Vec<String> =
                    codes.iter().map(|(n, d)| format!("{}{}", if *n == 0 { 5 } else { *n }, CODES[*d].0)).collect();
                format!("FREQ=MONTHLY;INTERVAL={interval};BYDAY={}", days.join(","))
            } else {
                let days: Vec<&str> = codes.iter().map(|(_, d)| CODES[*d].0).collect();
                format!("FREQ=WEEKLY;INTERVAL={interval};BYDAY={}", days.join(","))
            };
            let rule = parse_rule("rule", &text).unwrap();
            let anchor = day(2024, 1, 1) + Duration::days(anchor);
            let first = anchor + Duration::days(later);
            let last = first + Duration::days(span);
            proptest::prop_assert_eq!(jumped(&rule, anchor, first, last), day_by_day(&rule, anchor, first, last), "{}", text);
        }
    }

    fn schedule(rule: &str, starts: &str, ends: &str, from: NaiveDate) -> Meeting {
        let input = MeetingInput {
            rule: rule.into(),
            starts: starts.into(),
            ends: ends.into(),
            valid_from: Some(from),
            valid_until: None,
            exceptions: vec![],
        };
        meeting("m", &input, from).unwrap()
    }

    fn starts(m: &Meeting, now: &str, count: usize) -> Vec<String> {
        super::super::timetable::next_dates(
            std::slice::from_ref(m),
            chrono_tz::Europe::Berlin,
            now.parse().unwrap(),
            count,
        )
        .iter()
        .map(|d| d.start.format("%Y-%m-%d %H:%M").to_string())
        .collect()
    }

    #[test]
    fn a_time_the_spring_change_skips_is_an_hour_later_and_a_repeated_one_is_the_first() {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST, so 02:30 is taken as 03:30 CEST (01:30
        // UTC); 25 October: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice: the first
        // (CEST, 00:30 UTC) counts.
        let m = schedule("FREQ=WEEKLY;BYDAY=SU", "02:30", "04:00", day(2026, 3, 1));
        assert_eq!(starts(&m, "2026-03-23T00:00:00Z", 2), ["2026-03-29 01:30", "2026-04-05 00:30"]);
        assert_eq!(starts(&m, "2026-10-19T00:00:00Z", 2), ["2026-10-25 00:30", "2026-11-01 01:30"]);
    }

    #[test]
    fn the_fifth_and_the_last_weekday_of_a_month_and_every_second_month() {
        // Tuesdays of March 2026: 3, 10, 17, 24, 31; April has four; May: 5 … 26.
        let fifth = schedule("FREQ=MONTHLY;BYDAY=5TU", "18:00", "19:00", day(2026, 3, 1));
        assert_eq!(starts(&fifth, "2026-03-02T00:00:00Z", 2), ["2026-03-31 16:00", "2026-06-30 16:00"]);
        let last = schedule("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1TU,1TU", "18:00", "19:00", day(2026, 3, 1));
        assert_eq!(
            starts(&last, "2026-03-02T00:00:00Z", 4),
            ["2026-03-03 17:00", "2026-03-31 16:00", "2026-05-05 16:00", "2026-05-26 16:00"]
        );
    }

    #[test]
    fn a_meeting_under_way_is_still_next_and_exceptions_and_the_end_date_hold() {
        let mut m = schedule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "18:00", "20:00", day(2026, 3, 2));
        m.exceptions = vec![day(2026, 3, 5)];
        m.valid_until = Some(day(2026, 3, 19));
        // 2 March 18:00 CET is 17:00 UTC; at 18:00 UTC the meeting is under way.
        assert_eq!(
            starts(&m, "2026-03-02T18:00:00Z", 10),
            ["2026-03-02 17:00", "2026-03-16 17:00", "2026-03-19 17:00"]
        );
        assert_eq!(starts(&m, "2026-03-19T19:00:00Z", 10), Vec::<String>::new(), "ended on its last day");
    }
}
