//! Suggestions between postings and seekers: the published postings that suit a seeker
//! ([`Jobs::suggest_for_seeker`]) and the findable seekers that suit a posting
//! ([`Seekers::suggest_for_job`]), each with the reasons, so that a person sees why.
//!
//! Both directions apply the same hard filters and the same score, so a seeker suggested for a
//! posting would see that posting among their own suggestions with the same points.
//!
//! **Hard filters.** A posting is out when
//! - it is on-site farther from the seeker's home than their maximum distance
//!   ([`DEFAULT_REACH_KM`] when the profile gives none), or the seeker gave no home;
//! - it is remote and the seeker is not open to remote work;
//! - the seeker listed contract types and the posting's is not among them;
//! - it shares no working language with the seeker;
//! - the seeker does not meet its EX-IN requirement ("certificate required" needs a certified
//!   seeker, "training accepted" a certified one or one in training).
//!
//! **Score.** Five criteria, each worth up to its weight in points ([`SuggestionWeights`], a
//! platform setting with documented defaults): distance, hours fit, pay, requirement fit and
//! recency. Every suggestion lists the points of each criterion with a short reason; the
//! score is their sum. Order: highest score first, then lowest id.
//!
//! **Cost.** Job suggestions read only the search cards of the grid cells within the seeker's
//! reach (and of remote postings, when the seeker is open to them), and of each card only its
//! head, not its words; reasons are written and postings decoded in full only for the
//! suggestions returned.

use serde::{Deserialize, Serialize};

use super::card::{CardHead, CardPay};
use super::model::{ExInRequirement, ExInStatus, Job, JobId, JobState, Location, PayUnit};
use super::query::{DEFAULT_RADIUS_KM, MinPay};
use super::records::{self, cards, cards::CellCards};
use super::seekers::{self, SeekerProfile};
use super::weights;
use super::{DEFAULT_DAYS_SHOWN, Jobs, Seekers};
use crate::accounts::AccountId;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates, grid};
use crate::matching::ScorePart;
use crate::orgs;
use crate::policy::{self, Action};

/// How far a seeker is taken to travel when their profile gives no maximum distance.
pub const DEFAULT_REACH_KM: f64 = DEFAULT_RADIUS_KM;
/// Suggestions returned when the caller gives no limit.
pub const DEFAULT_SUGGESTIONS: u32 = 20;
/// The most suggestions one call returns.
pub const MAX_SUGGESTIONS: u32 = 200;
/// The largest weight a criterion may have.
pub const MAX_WEIGHT: f64 = 1000.0;

/// The most points each criterion gives a suggestion: a platform setting
/// ([`crate::Settings::set_suggestion_weights`], admins). The defaults add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SuggestionWeights {
    /// Full points at the seeker's home (or for remote work), falling linearly to none at
    /// their maximum distance (default 30).
    pub distance: f64,
    /// The share of the seeker's wanted weekly hours the posting's range covers; full points
    /// when the seeker named no hours (default 20).
    pub hours: f64,
    /// Full points when the upper end of the pay reaches the seeker's minimum (or any pay is
    /// stated and the seeker named no minimum), in proportion below it; none without pay
    /// (default 20).
    pub pay: f64,
    /// Full points when the posting asks for exactly the EX-IN level the seeker has, a third
    /// less per level it asks below it (default 15).
    pub requirement: f64,
    /// Full points on the day of publication, falling linearly to none after 60 days
    /// (default 15).
    pub recency: f64,
}

impl Default for SuggestionWeights {
    fn default() -> Self {
        SuggestionWeights { distance: 30.0, hours: 20.0, pay: 20.0, requirement: 15.0, recency: 15.0 }
    }
}

impl SuggestionWeights {
    /// Checks every weight: a finite number from 0 to [`MAX_WEIGHT`], and not all zero.
    pub fn validate(&self) -> Result<SuggestionWeights> {
        for (name, value) in self.named() {
            if !(value.is_finite() && (0.0..=MAX_WEIGHT).contains(&value)) {
                return Err(Error::invalid(
                    format!("weights.{name}"),
                    format!("is {value}; a weight is a number from 0 to {MAX_WEIGHT}"),
                ));
            }
        }
        if self.named().iter().all(|(_, v)| *v == 0.0) {
            return Err(Error::invalid("weights", "are all 0; at least one criterion must count"));
        }
        Ok(*self)
    }

    fn named(&self) -> [(&'static str, f64); 5] {
        [
            ("distance", self.distance),
            ("hours", self.hours),
            ("pay", self.pay),
            ("requirement", self.requirement),
            ("recency", self.recency),
        ]
    }
}

/// A posting suggested to a seeker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JobSuggestion {
    pub job: Job,
    /// The sum of the breakdown's points.
    pub score: f64,
    /// From the seeker's home; absent for remote postings.
    pub distance_km: Option<f64>,
    /// One part per criterion: distance, hours, pay, requirement, recency.
    pub breakdown: Vec<ScorePart>,
}

/// A seeker suggested for a posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeekerSuggestion {
    pub seeker: SeekerProfile,
    /// The sum of the breakdown's points.
    pub score: f64,
    /// From the seeker's home; absent for remote postings.
    pub distance_km: Option<f64>,
    /// One part per criterion: distance, hours, pay, requirement, recency.
    pub breakdown: Vec<ScorePart>,
}

impl Jobs<'_> {
    /// The published, unexpired postings that suit the seeker `account`, best first (the
    /// seeker, admins and the operator). At most `limit` ([`DEFAULT_SUGGESTIONS`] when absent,
    /// up to [`MAX_SUGGESTIONS`]).
    ///
    /// The profile needs a working language, and a home or openness to remote work:
    /// otherwise nothing could pass the filters, and the error names the field to fill in.
    pub fn suggest_for_seeker(
        &self,
        actor: &Actor,
        account: AccountId,
        limit: Option<u32>,
    ) -> Result<Vec<JobSuggestion>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::EditSeekerProfile { account }, now)?;
            let limit = suggestion_limit(limit)?;
            let profile = seekers::load(txn, account)?;
            let wish = Wish::of(&profile);
            wish.check_usable()?;
            let weights = weights::suggestion_weights(txn)?;
            let scorer = Scorer { weights, now: now.timestamp_micros() };
            let mut found = Vec::with_capacity(1024);
            let mut consider = |card: &CardHead<'_>| {
                if card.expires <= scorer.now || !wish.shares_language(|code| card.has_language(code)) {
                    return;
                }
                let facts = Facts::of_card(card);
                if let Some(distance_km) = wish.admits(&facts) {
                    found.push(Candidate {
                        id: card.id,
                        score: scorer.score(&wish, &facts, distance_km),
                        facts,
                        distance_km,
                    });
                }
            };
            if let Some(home) = wish.home {
                let cells = CellCards::open(txn)?;
                for (cell, _) in grid::cells_within(home, wish.reach_km) {
                    cells.visit(cell, |bytes| {
                        consider(&CardHead::decode(bytes)?);
                        Ok(())
                    })?;
                }
            }
            if wish.remote {
                cards::visit_remote_cards(txn, |bytes| {
                    consider(&CardHead::decode(bytes)?);
                    Ok(())
                })?;
            }
            best_first(&mut found, limit);
            found
                .into_iter()
                .map(|c| {
                    Ok(JobSuggestion {
                        job: super::load(txn, c.id, now)?,
                        score: c.score,
                        distance_km: c.distance_km,
                        breakdown: scorer.explain(&wish, &c.facts, c.distance_km),
                    })
                })
                .collect()
        })
    }
}

impl Seekers<'_> {
    /// The findable seekers that suit posting `job`, best first (its organisation's staff once
    /// the organisation is verified, admins and the operator). Seekers who did not opt in to
    /// be findable are never considered. The posting may be a draft or published; at most
    /// `limit` ([`DEFAULT_SUGGESTIONS`] when absent, up to [`MAX_SUGGESTIONS`]).
    pub fn suggest_for_job(&self, actor: &Actor, job: JobId, limit: Option<u32>) -> Result<Vec<SeekerSuggestion>> {
        self.ctx.read(actor, |txn, subject, now| {
            let posting = super::load(txn, job, now)?;
            let org = orgs::load(txn, posting.org)?;
            policy::check(subject, Action::ManageJobs { org: &org }, now)?;
            let limit = suggestion_limit(limit)?;
            if !matches!(posting.state, JobState::Draft | JobState::Published) {
                return Err(Error::conflict(format!(
                    "posting {job} is {}; seekers are suggested for drafts and published postings",
                    posting.state
                )));
            }
            let facts = Facts::of_job(&posting);
            let scorer = Scorer { weights: weights::suggestion_weights(txn)?, now: now.timestamp_micros() };
            let mut found = Vec::new();
            let mut profiles = Vec::new();
            records::seekers::visit_findable(txn, AccountId(0), |profile| {
                let wish = Wish::of(&profile);
                if !wish.shares_language(|code| posting.languages.iter().any(|l| l.as_bytes() == code)) {
                    return Ok(true);
                }
                if let Some(distance_km) = wish.admits(&facts) {
                    let score = scorer.score(&wish, &facts, distance_km);
                    found.push(Candidate { id: profile.account, score, facts, distance_km });
                    profiles.push(profile);
                }
                Ok(true)
            })?;
            best_first(&mut found, limit);
            Ok(found
                .into_iter()
                .map(|c| {
                    let seeker =
                        profiles.iter().find(|p| p.account == c.id).expect("a candidate has its profile").clone();
                    let breakdown = scorer.explain(&Wish::of(&seeker), &c.facts, c.distance_km);
                    SeekerSuggestion { seeker, score: c.score, distance_km: c.distance_km, breakdown }
                })
                .collect())
        })
    }
}

/// A seeker's profile in the form postings are checked against.
struct Wish {
    home: Option<Coordinates>,
    reach_km: f64,
    remote: bool,
    /// Contract bits; 0 means any.
    contracts: u8,
    languages: Vec<[u8; 2]>,
    exin: ExInStatus,
    hours: Option<(u32, u32)>,
    min_pay: Option<MinPay>,
}

impl Wish {
    fn of(profile: &SeekerProfile) -> Wish {
        Wish {
            home: profile.location.as_ref().and_then(Location::coordinates),
            reach_km: profile.max_distance_km.map_or(DEFAULT_REACH_KM, f64::from),
            remote: profile.open_to_remote,
            contracts: profile.contracts.iter().fold(0, |bits, c| bits | c.bit()),
            languages: profile.languages.iter().filter_map(|l| <[u8; 2]>::try_from(l.as_bytes()).ok()).collect(),
            exin: profile.exin,
            hours: profile.hours.map(|h| (h.min, h.max)),
            min_pay: profile.min_pay.clone(),
        }
    }

    /// Refuses a profile that no posting could pass, naming what to fill in.
    fn check_usable(&self) -> Result<()> {
        if self.languages.is_empty() {
            return Err(Error::invalid(
                "languages",
                "the seeker profile names no working language; add at least one, such as de",
            ));
        }
        if self.home.is_none() && !self.remote {
            return Err(Error::invalid(
                "location",
                "the seeker profile has no home and is not open to remote work; give either",
            ));
        }
        Ok(())
    }

    fn shares_language(&self, has: impl Fn(&[u8; 2]) -> bool) -> bool {
        self.languages.iter().any(has)
    }

    /// The hard filters but language: `Some(distance)` when the posting passes (the distance
    /// is `None` for remote work).
    fn admits(&self, facts: &Facts) -> Option<Option<f64>> {
        if self.contracts != 0 && self.contracts & (1 << facts.contract) == 0 {
            return None;
        }
        if !self.exin.meets(facts.requirement) {
            return None;
        }
        match (facts.point, self.home) {
            (Some(point), Some(home)) => {
                let d = geo::distance_km(home, point);
                (d <= self.reach_km).then_some(Some(d))
            }
            (Some(_), None) => None,
            (None, _) => self.remote.then_some(None),
        }
    }
}

/// What the score needs of a posting, read from its card or its record.
#[derive(Debug, Clone, Copy)]
struct Facts {
    point: Option<Coordinates>,
    contract: u8,
    requirement: ExInRequirement,
    hours: (u32, u32),
    pay: Option<CardPay>,
    /// Publication time in µs; `None` for a draft.
    published: Option<i64>,
}

impl Facts {
    fn of_card(card: &CardHead<'_>) -> Facts {
        Facts {
            point: card.coordinates(),
            contract: card.contract,
            requirement: card.requirement(),
            hours: (u32::from(card.hours.0), u32::from(card.hours.1)),
            pay: card.pay,
            published: Some(card.published),
        }
    }

    fn of_job(job: &Job) -> Facts {
        Facts {
            point: job.location.coordinates(),
            contract: job.contract as u8,
            requirement: job.requirement,
            hours: (job.hours.min, job.hours.max),
            pay: job.pay.as_ref().map(|p| CardPay {
                min: p.min,
                upper: p.upper(),
                unit: p.unit as u8,
                currency: super::card::currency_bytes(&p.currency),
            }),
            published: job.published_at.map(|t| t.timestamp_micros()),
        }
    }

    /// The upper end of the pay per `unit`, converted at the posting's mean weekly hours.
    fn upper_pay_per(&self, unit: PayUnit) -> Option<f64> {
        let pay = self.pay?;
        let own = PayUnit::ALL.get(usize::from(pay.unit)).copied()?;
        let hours = f64::from(self.hours.0 + self.hours.1) / 2.0;
        Some(pay.upper * own.per_month(hours) / unit.per_month(hours))
    }
}

/// A posting (or seeker) that passed the filters, with its score; `Id` is the posting's or
/// the seeker's account id.
struct Candidate<Id> {
    id: Id,
    score: f64,
    facts: Facts,
    distance_km: Option<f64>,
}

/// Keeps the `limit` best candidates, highest score first, then lowest id.
fn best_first<Id: Ord>(found: &mut Vec<Candidate<Id>>, limit: usize) {
    let order = |a: &Candidate<Id>, b: &Candidate<Id>| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id));
    if found.len() > limit {
        found.select_nth_unstable_by(limit, order);
        found.truncate(limit);
    }
    found.sort_unstable_by(order);
}

fn suggestion_limit(limit: Option<u32>) -> Result<usize> {
    match limit.unwrap_or(DEFAULT_SUGGESTIONS) {
        n @ 1..=MAX_SUGGESTIONS => Ok(n as usize),
        n => Err(Error::invalid("limit", format!("{n} is not between 1 and {MAX_SUGGESTIONS}"))),
    }
}

/// Scores pairs with the platform's weights at one instant.
struct Scorer {
    weights: SuggestionWeights,
    /// µs since the epoch.
    now: i64,
}

/// A criterion's share of its weight (0 to 1) and, when asked for, the reason.
type Share = (f64, String);

impl Scorer {
    /// The score: the sum of the rounded points of every criterion, as [`Scorer::explain`] lists them.
    fn score(&self, wish: &Wish, facts: &Facts, distance_km: Option<f64>) -> f64 {
        round(self.points(wish, facts, distance_km).iter().map(|(_, p)| p).sum())
    }

    /// Every criterion's points with the reason.
    fn explain(&self, wish: &Wish, facts: &Facts, distance_km: Option<f64>) -> Vec<ScorePart> {
        let shares = [
            distance_share(wish, distance_km, true),
            hours_share(wish, facts, true),
            pay_share(wish, facts, true),
            requirement_share(wish, facts, true),
            recency_share(facts, self.now, true),
        ];
        self.named_points(shares.iter().map(|(s, _)| *s))
            .into_iter()
            .zip(shares)
            .map(|((criterion, points), (_, reason))| ScorePart { criterion: criterion.into(), points, reason })
            .collect()
    }

    fn points(&self, wish: &Wish, facts: &Facts, distance_km: Option<f64>) -> [(&'static str, f64); 5] {
        let shares = [
            distance_share(wish, distance_km, false).0,
            hours_share(wish, facts, false).0,
            pay_share(wish, facts, false).0,
            requirement_share(wish, facts, false).0,
            recency_share(facts, self.now, false).0,
        ];
        self.named_points(shares.into_iter())
    }

    fn named_points(&self, shares: impl Iterator<Item = f64>) -> [(&'static str, f64); 5] {
        let mut out = self.weights.named();
        for ((_, weight), share) in out.iter_mut().zip(shares) {
            *weight = round(*weight * share.clamp(0.0, 1.0));
        }
        out
    }
}

/// Builds a reason only when it is wanted: scoring thousands of candidates needs none.
fn reason(wanted: bool, text: impl FnOnce() -> String) -> String {
    if wanted { text() } else { String::new() }
}

fn distance_share(wish: &Wish, distance_km: Option<f64>, why: bool) -> Share {
    let Some(km) = distance_km else {
        return (1.0, reason(why, || "remote work, which you are open to".into()));
    };
    let share = if wish.reach_km > 0.0 { 1.0 - km / wish.reach_km } else { 1.0 };
    (share, reason(why, || format!("{km:.1} km from home, within {:.0} km", wish.reach_km)))
}

fn hours_share(wish: &Wish, facts: &Facts, why: bool) -> Share {
    let (min, max) = facts.hours;
    let offered = || if min == max { format!("{min} h a week") } else { format!("{min}–{max} h a week") };
    let Some((want_min, want_max)) = wish.hours else {
        return (1.0, reason(why, || format!("{}; no hours asked for", offered())));
    };
    let common = (max.min(want_max) + 1).saturating_sub(min.max(want_min));
    let share = f64::from(common) / f64::from(want_max - want_min + 1);
    let text = || {
        let wanted = if want_min == want_max { want_min.to_string() } else { format!("{want_min}–{want_max}") };
        match common {
            0 => format!("{}, outside the {wanted} h wanted", offered()),
            _ if share >= 1.0 => format!("{}, covers the {wanted} h wanted", offered()),
            _ => format!("{}, {common} of the {wanted} h wanted", offered()),
        }
    };
    (share, reason(why, text))
}

fn pay_share(wish: &Wish, facts: &Facts, why: bool) -> Share {
    let Some(pay) = facts.pay else {
        return (0.0, reason(why, || "no pay stated (volunteer post)".into()));
    };
    let currency = || String::from_utf8_lossy(&pay.currency).into_owned();
    let Some(floor) = &wish.min_pay else {
        let unit = PayUnit::ALL.get(usize::from(pay.unit)).copied().unwrap_or(PayUnit::Month);
        let text = || format!("up to {} {}/{unit}; no minimum asked for", amount(pay.upper), currency());
        return (1.0, reason(why, text));
    };
    // Both codes are validated upper-case ASCII: compared as bytes, no string is built per posting.
    if floor.currency.as_bytes() != pay.currency {
        return (0.0, reason(why, || format!("paid in {}, not in {}", currency(), floor.currency)));
    }
    let upper = facts.upper_pay_per(floor.unit).unwrap_or(0.0);
    let unit = floor.unit;
    let offered = || format!("up to {} {}/{unit}", amount(upper), currency());
    // A cent of tolerance: converted figures are not exact.
    if upper + 0.005 >= floor.amount {
        return (1.0, reason(why, || format!("{}, at least the {} asked for", offered(), amount(floor.amount))));
    }
    let share = if floor.amount > 0.0 { upper / floor.amount } else { 1.0 };
    (share, reason(why, || format!("{}, below the {} asked for", offered(), amount(floor.amount))))
}

fn requirement_share(wish: &Wish, facts: &Facts, why: bool) -> Share {
    let asked = facts.requirement as u8;
    let best = wish.exin as u8; // ExInStatus and ExInRequirement share their order: none, training, certificate
    let share = 1.0 - f64::from(best.saturating_sub(asked)) / 3.0;
    let text = || {
        let asks = match facts.requirement {
            ExInRequirement::None => "asks for no EX-IN training",
            ExInRequirement::TrainingAccepted => "accepts EX-IN training in progress",
            ExInRequirement::CertificateRequired => "asks for an EX-IN certificate",
        };
        let has = match wish.exin {
            ExInStatus::None => "you have none",
            ExInStatus::InTraining => "you are in training",
            ExInStatus::Certified => "you are certified",
        };
        format!("{asks}; {has}")
    };
    (share, reason(why, text))
}

fn recency_share(facts: &Facts, now: i64, why: bool) -> Share {
    let Some(published) = facts.published else {
        return (1.0, reason(why, || "not published yet".into()));
    };
    let days = ((now - published).max(0) as f64) / 86_400e6;
    let share = 1.0 - days / DEFAULT_DAYS_SHOWN as f64;
    let text = || match days.floor() as u64 {
        0 => "published today".to_string(),
        1 => "published yesterday".to_string(),
        n => format!("published {n} days ago"),
    };
    (share, reason(why, text))
}

/// Points to two decimals, so that scores print and compare cleanly.
fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

/// `3600`, or `18.50` when there are cents.
fn amount(value: f64) -> String {
    if (value - value.round()).abs() < 0.005 { format!("{value:.0}") } else { format!("{value:.2}") }
}
