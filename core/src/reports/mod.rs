//! Reports for funders and partner organisations: the platform's figures per month, quarter
//! and year, for the whole platform or one organisation, with disclosure control.
//!
//! Each domain registers a `figures` function in `crate::DOMAINS` that turns its own tables
//! into [`crate::store::figures::Observation`]s; this module reads no domain's tables. It builds one
//! disclosure release per calendar year ([`release`]) — every month, quarter and the year,
//! the platform and every organisation — and cuts every report from it, so that no count of
//! 1 to k people can be seen or recovered by subtraction across the reports the platform
//! publishes ([`crate::disclosure`]).
//!
//! ```
//! use trialog_core::{Actor, Platform};
//! let platform = Platform::in_memory()?;
//! let rows = platform.reports().platform(&Actor::Operator, "2026-Q2")?;
//! assert!(rows.iter().all(|row| row.withheld == row.value.is_none()));
//! # Ok::<(), trialog_core::Error>(())
//! ```

#[cfg(test)]
mod cost;
mod html;
mod release;

use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::context::Context;
use crate::disclosure;
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::policy::{self, Action};
use crate::store::ReadTxn;

/// The figures a report may hold, in the order reports show them: (name, what it counts).
pub const FIGURES: &[Figure] = &[
    Figure { name: "forum_views", label: "Forum thread views" },
    Figure { name: "forum_readers", label: "Unique forum readers" },
    Figure { name: "knowledge_views", label: "Knowledge-base article views" },
    Figure { name: "job_views", label: "Job-board views" },
    Figure { name: "job_postings", label: "Job postings published" },
    Figure { name: "counsel_enquiries", label: "Counselling enquiries" },
    Figure { name: "counsel_first_responses", label: "First responses given" },
    Figure { name: "counsel_first_response_hours_median", label: "Hours to first response (median)" },
    Figure { name: "counsel_first_response_hours_p90", label: "Hours to first response (90th percentile)" },
    Figure { name: "counsel_sla_breaches", label: "SLA breaches" },
    Figure { name: "moderation_actions", label: "Moderation actions" },
    Figure { name: "moderation_hours_to_action_median", label: "Hours from report to action (median)" },
    Figure { name: "moderation_hours_to_action_p90", label: "Hours from report to action (90th percentile)" },
    Figure { name: "course_registrations", label: "Course registrations" },
    Figure { name: "course_attendances", label: "Course attendances (people × sessions)" },
    Figure { name: "course_completions", label: "Course completions (certificates)" },
    Figure { name: "group_contact_requests", label: "Contact requests to self-help groups" },
];

/// A figure's name and its label in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub name: &'static str,
    pub label: &'static str,
}

/// How long a row's period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Span {
    Month,
    Quarter,
    Year,
}

/// One figure of one period: the record of every report (one row per period and figure, as
/// pandas takes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FigureRow {
    /// `2026-04`, `2026-Q2` or `2026`.
    pub period: String,
    pub span: Span,
    /// A name of [`FIGURES`], such as `forum_views`.
    pub figure: String,
    /// The organisation; absent for the whole platform.
    pub org: Option<OrgId>,
    /// One category of a breakdown (`contract:permanent`, `region:DE-1`); absent for the
    /// figure's total.
    pub category: Option<String>,
    /// Absent when withheld.
    pub value: Option<f64>,
    /// Whether disclosure control withheld the value (1 to k people, or a cell it could be
    /// recovered from).
    pub withheld: bool,
}

/// A calendar period: a month, a quarter or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Period {
    /// (year, 1..=12)
    Month(u32, u32),
    /// (year, 1..=4)
    Quarter(u32, u32),
    Year(u32),
}

impl Period {
    /// Reads `2026`, `2026-Q2` or `2026-04`; anything else is an error naming `period`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                "period",
                format!("'{text}' is not a year, quarter or month such as 2026, 2026-Q2 or 2026-04"),
            )
        };
        let year_of = |y: &str| y.parse::<u32>().ok().filter(|y| (2000..=9999).contains(y) && y.to_string().len() == 4);
        let text = text.trim();
        match text.split_once('-') {
            None => year_of(text).map(Period::Year).ok_or_else(bad),
            Some((y, rest)) => {
                let year = year_of(y).ok_or_else(bad)?;
                if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                    let q = q.parse().ok().filter(|q| (1..=4).contains(q)).ok_or_else(bad)?;
                    Ok(Period::Quarter(year, q))
                } else {
                    let m = rest.parse().ok().filter(|m| (1..=12).contains(m) && rest.len() == 2).ok_or_else(bad)?;
                    Ok(Period::Month(year, m))
                }
            }
        }
    }

    pub fn year(self) -> u32 {
        match self {
            Period::Month(y, _) | Period::Quarter(y, _) | Period::Year(y) => y,
        }
    }

    pub fn label(self) -> String {
        match self {
            Period::Month(y, m) => format!("{y:04}-{m:02}"),
            Period::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Period::Year(y) => format!("{y:04}"),
        }
    }

    pub fn span(self) -> Span {
        match self {
            Period::Month(..) => Span::Month,
            Period::Quarter(..) => Span::Quarter,
            Period::Year(_) => Span::Year,
        }
    }

    /// The period this one adds up into.
    pub fn parent(self) -> Option<Period> {
        match self {
            Period::Month(y, m) => Some(Period::Quarter(y, m.div_ceil(3))),
            Period::Quarter(y, _) => Some(Period::Year(y)),
            Period::Year(_) => None,
        }
    }

    /// This period and every one it adds up into.
    pub fn and_parents(self) -> Vec<Period> {
        std::iter::successors(Some(self), |p| p.parent()).collect()
    }

    /// Whether `other` is this period or lies within it.
    pub fn contains(self, other: Period) -> bool {
        other.and_parents().contains(&self)
    }
}

/// Reports, borrowed from a [`Platform`].
pub struct Reports<'p> {
    pub(crate) ctx: &'p Context,
}

impl Reports<'_> {
    /// The whole platform's figures of `period` (`2026`, `2026-Q2`, `2026-04`) and of the
    /// months and quarters within it (admins and supervisors).
    pub fn platform(&self, actor: &Actor, period: &str) -> Result<Vec<FigureRow>> {
        let period = Period::parse(period)?;
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewPlatformReport, now)?;
            Ok(year_release(txn, period.year())?.rows(None, period))
        })
    }

    /// One organisation's figures of `period` and the periods within it (admins, the
    /// organisation's supervisors and staff).
    pub fn org(&self, actor: &Actor, org: OrgId, period: &str) -> Result<Vec<FigureRow>> {
        let period = Period::parse(period)?;
        self.ctx.read(actor, |txn, subject, now| {
            crate::orgs::load(txn, org)?;
            policy::check(subject, Action::ViewOrgReport { org }, now)?;
            Ok(year_release(txn, period.year())?.rows(Some(org), period))
        })
    }

    /// A self-contained HTML report of `period` with SVG charts, for the platform or one
    /// organisation (whoever may see its figures): no script, style sheet or font is loaded
    /// from elsewhere, so it can be mailed to a funder.
    pub fn html(&self, actor: &Actor, period: &str, org: Option<OrgId>) -> Result<String> {
        let rows = match org {
            Some(org) => self.org(actor, org, period)?,
            None => self.platform(actor, period)?,
        };
        let k = self.ctx.read(actor, |txn, _, _| Ok(disclosure::threshold(txn)?.k()))?;
        Ok(html::render(&Period::parse(period)?.label(), org, &rows, k))
    }
}

/// Every domain's observations of `year`, as one suppressed release.
fn year_release(txn: &ReadTxn, year: u32) -> Result<release::YearRelease> {
    let mut observations = Vec::new();
    for domain in crate::DOMAINS {
        if let Some(gather) = domain.figures {
            observations.extend(gather(txn, year as i32)?);
        }
    }
    Ok(release::YearRelease::build(year as i32, observations, disclosure::threshold(txn)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_nest() {
        assert_eq!(Period::parse("2026-Q2").unwrap(), Period::Quarter(2026, 2));
        assert_eq!(Period::parse("2026-04").unwrap(), Period::Month(2026, 4));
        assert_eq!(Period::parse("2026").unwrap(), Period::Year(2026));
        for bad in ["2026-13", "2026-Q5", "26", "2026-4", "März", ""] {
            assert!(
                matches!(Period::parse(bad), Err(Error::InvalidInput { ref field, .. }) if field == "period"),
                "{bad}"
            );
        }
        assert!(Period::Quarter(2026, 2).contains(Period::Month(2026, 5)));
        assert!(!Period::Quarter(2026, 2).contains(Period::Month(2026, 7)));
        assert!(Period::Year(2026).contains(Period::Quarter(2026, 4)));
    }
}
