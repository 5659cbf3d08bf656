//! A [`JobQuery`] checked and compiled into a [`Matcher`]: the one predicate that both the
//! search and the alerts apply to search cards, so a saved search alerts exactly on what the
//! same search would find.

use serde::{Deserialize, Serialize};

use super::card::{Card, currency_bytes};
use super::model::{ExInStatus, LocationInput, PayUnit};
use super::query::{DEFAULT_RADIUS_KM, JobQuery, MAX_RADIUS_KM};
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates};
use crate::orgs::OrgId;
use crate::store::Reader;
use crate::text;

/// A validated query in the form cards are checked against. Stored (postcard) with saved
/// searches, so fields are only ever added at the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Matcher {
    pub center: Option<(f64, f64)>,
    pub radius_km: f64,
    pub include_remote: bool,
    /// Contract bits; 0 means any.
    pub contracts: u8,
    pub hours: Option<(u8, u8)>,
    pub min_pay: Option<(f64, u8, [u8; 3])>,
    pub exin: Option<u8>,
    pub language: Option<[u8; 2]>,
    pub org: Option<OrgId>,
    pub published_since: Option<i64>,
    /// Per query word, the hashes of the forms it may take in a posting.
    pub terms: Vec<Vec<u32>>,
}

impl Matcher {
    /// Checks `query` and resolves its place inside `txn`.
    pub fn compile(txn: &impl Reader, query: &JobQuery) -> Result<(Matcher, Vec<text::QueryTerm>)> {
        let center = match &query.near {
            None => None,
            Some(near) => Some(resolve_center(txn, near)?),
        };
        let radius_km = radius(query.radius_km, center.is_some())?;
        let words = query.text.as_deref().map(text::query_terms).unwrap_or_default();
        let terms = words.iter().map(|w| w.variants.iter().map(|v| text::term_hash(v)).collect()).collect();
        let matcher = Matcher {
            center: center.map(|c| (c.latitude, c.longitude)),
            radius_km,
            include_remote: query.include_remote || center.is_none(),
            contracts: query.contracts.iter().fold(0, |bits, c| bits | c.bit()),
            hours: query
                .hours
                .map(|h| super::validate_hours("hours", h))
                .transpose()?
                .map(|h| (h.min as u8, h.max as u8)),
            min_pay: query.min_pay.as_ref().map(|p| min_pay(p.amount, p.unit, &p.currency)).transpose()?,
            exin: query.exin.map(|s| s as u8),
            language: query.language.as_deref().map(language).transpose()?,
            org: query.org,
            published_since: query.published_since.map(|t| t.timestamp_micros()),
            terms,
        };
        Ok((matcher, words))
    }

    pub fn center(&self) -> Option<Coordinates> {
        self.center.map(|(latitude, longitude)| Coordinates { latitude, longitude })
    }

    /// Whether `card` is shown at `now` (µs) and satisfies every criterion. `Some(distance)`
    /// when it does (the distance is `None` without a place or for a remote posting).
    pub fn check(&self, card: &Card<'_>, now: i64) -> Option<Option<f64>> {
        if card.expires <= now {
            return None;
        }
        let distance = match (self.center(), card.coordinates()) {
            (Some(center), Some(point)) => {
                let d = geo::distance_km(center, point);
                if d > self.radius_km {
                    return None;
                }
                Some(d)
            }
            (_, None) if !self.include_remote => return None,
            _ => None,
        };
        self.check_fields(card).then_some(distance)
    }

    /// Every criterion but place and expiry (for an organisation's own unpublished postings).
    pub fn check_fields(&self, card: &Card<'_>) -> bool {
        (self.contracts == 0 || self.contracts & (1 << card.contract) != 0)
            && self.hours.is_none_or(|(min, max)| card.hours.0 <= max && min <= card.hours.1)
            && self.min_pay.is_none_or(|p| pays_at_least(card, p))
            && self.exin.is_none_or(|s| exin_status(s).meets(card.requirement()))
            && self.language.is_none_or(|l| card.has_language(&l))
            && self.org.is_none_or(|o| card.org == o)
            && self.published_since.is_none_or(|t| card.published >= t)
            && self.terms.iter().all(|forms| forms.iter().any(|h| card.frequency(*h) > 0))
    }
}

pub(crate) fn resolve_center(txn: &impl Reader, near: &LocationInput) -> Result<Coordinates> {
    match near {
        LocationInput::Postcode { country, postcode } => Ok(geo::resolve(txn, country, postcode)?.coordinates),
        LocationInput::Coordinates { latitude, longitude, .. } => Coordinates::new(*latitude, *longitude),
        LocationInput::Remote => Err(Error::invalid("near", "must be a postcode or coordinates, not remote")),
    }
}

fn radius(given: Option<f64>, has_center: bool) -> Result<f64> {
    let Some(r) = given else { return Ok(DEFAULT_RADIUS_KM) };
    if !has_center {
        return Err(Error::invalid("radius_km", "needs a place to measure from: give `near` too"));
    }
    if r.is_nan() || r <= 0.0 || r > MAX_RADIUS_KM {
        return Err(Error::invalid("radius_km", format!("{r} is not in (0, {MAX_RADIUS_KM}] km")));
    }
    Ok(r)
}

fn min_pay(amount: f64, unit: PayUnit, currency: &str) -> Result<(f64, u8, [u8; 3])> {
    if !amount.is_finite() || amount < 0.0 {
        return Err(Error::invalid("min_pay.amount", format!("{amount} is not a non-negative amount")));
    }
    let currency = super::validate_currency("min_pay.currency", currency)?;
    Ok((amount, unit as u8, currency_bytes(&currency)))
}

fn language(code: &str) -> Result<[u8; 2]> {
    let clean = crate::validate::languages("language", &[code.to_string()])?;
    let b = clean[0].as_bytes();
    Ok([b[0], b[1]])
}

fn pays_at_least(card: &Card<'_>, (amount, unit, currency): (f64, u8, [u8; 3])) -> bool {
    let Some(pay) = card.pay else { return false };
    let unit = PayUnit::ALL.get(usize::from(unit)).copied().unwrap_or(PayUnit::Month);
    // A cent of tolerance: converted figures are not exact.
    pay.currency == currency && card.upper_pay_per(unit).is_some_and(|p| p + 0.005 >= amount)
}

fn exin_status(code: u8) -> ExInStatus {
    ExInStatus::ALL.get(usize::from(code)).copied().unwrap_or_default()
}
