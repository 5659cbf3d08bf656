//! When a first response is due: the organisation's hours after the enquiry, counted on every
//! day or on business days only (Monday to Friday, UTC).

use chrono::{Datelike, Duration, NaiveTime, Weekday};

use crate::clock::Timestamp;

/// `hours` after `start`, skipping weekends when `business_days` is set.
pub(crate) fn due_at(start: Timestamp, hours: u32, business_days: bool) -> Timestamp {
    let mut left = Duration::hours(i64::from(hours));
    if !business_days {
        return start + left;
    }
    let mut at = start;
    loop {
        let midnight = (at.date_naive() + Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
        if matches!(at.weekday(), Weekday::Sat | Weekday::Sun) {
            at = midnight;
            continue;
        }
        let today = midnight - at;
        if left <= today {
            return at + left;
        }
        left -= today;
        at = midnight;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn business_days_skip_the_weekend() {
        // Friday 2026-03-06 12:00 + 48 business hours → Tuesday 12:00.
        assert_eq!(due_at(at("2026-03-06T12:00:00Z"), 48, true), at("2026-03-10T12:00:00Z"));
        assert_eq!(due_at(at("2026-03-06T12:00:00Z"), 48, false), at("2026-03-08T12:00:00Z"));
        // Saturday counts from Monday morning.
        assert_eq!(due_at(at("2026-03-07T09:00:00Z"), 24, true), at("2026-03-10T00:00:00Z"));
    }
}
