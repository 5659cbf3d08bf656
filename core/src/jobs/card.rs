//! The search card: what the job search needs of a published posting, in a few dozen bytes.
//!
//! Searches read many postings to return a few, so they never decode the full JSON record of
//! a posting they may skip. Each published posting has a card (postcard-encoded, borrowing
//! its byte arrays without allocating) under its id and, when on-site, under its grid cell.
//! The card is written in the same transaction as the record, so both always agree.

use serde::{Deserialize, Serialize};

use super::model::{ExInRequirement, Job, JobId, Location, PayUnit};
use crate::error::{Error, Result};
use crate::geo::Coordinates;
use crate::orgs::OrgId;
use crate::text;

/// Bytes per indexed term in [`Card::terms`]: a 32-bit hash and a one-byte frequency.
const TERM_BYTES: usize = 5;

/// A published posting as the search sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Card<'a> {
    pub id: JobId,
    /// `None` for remote postings.
    pub point: Option<(f64, f64)>,
    pub org: OrgId,
    /// Publication time, µs since the epoch.
    pub published: i64,
    /// First instant the posting is no longer shown, µs since the epoch.
    pub expires: i64,
    pub contract: u8,
    pub requirement: u8,
    pub hours: (u8, u8),
    pub pay: Option<CardPay>,
    /// Two bytes per language code.
    #[serde(borrow)]
    pub languages: &'a [u8],
    /// Number of indexed terms (for BM25's length normalisation).
    pub length: u32,
    /// Sorted by hash: [`TERM_BYTES`] per term.
    #[serde(borrow)]
    pub terms: &'a [u8],
}

/// The leading fields of a card — all but its length and text terms — for readers that never
/// look at words (suggestions): postcard stores fields in order, so a card decodes as its head
/// and the terms are not even walked.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct CardHead<'a> {
    pub id: JobId,
    pub point: Option<(f64, f64)>,
    #[allow(dead_code)] // read to reach the fields after it
    pub org: OrgId,
    pub published: i64,
    pub expires: i64,
    pub contract: u8,
    pub requirement: u8,
    pub hours: (u8, u8),
    pub pay: Option<CardPay>,
    #[serde(borrow)]
    pub languages: &'a [u8],
}

impl CardHead<'_> {
    /// Reads the head of a stored card; the bytes must outlive it.
    pub fn decode(bytes: &[u8]) -> Result<CardHead<'_>> {
        postcard::from_bytes(bytes).map_err(|e| Error::storage(format!("a job search card does not decode: {e}")))
    }

    pub fn coordinates(&self) -> Option<Coordinates> {
        self.point.map(|(latitude, longitude)| Coordinates { latitude, longitude })
    }

    pub fn has_language(&self, code: &[u8; 2]) -> bool {
        self.languages.chunks_exact(2).any(|c| c == code)
    }

    pub fn requirement(&self) -> ExInRequirement {
        ExInRequirement::ALL.get(usize::from(self.requirement)).copied().unwrap_or(ExInRequirement::None)
    }
}

/// Pay, with what it takes to compare it across units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct CardPay {
    pub min: f64,
    pub upper: f64,
    pub unit: u8,
    pub currency: [u8; 3],
}

/// The terms a posting is found by, with their frequencies: the title counts twice.
pub(crate) fn index_terms(job: &Job) -> Vec<(String, u32)> {
    let language = job.languages.first().map(String::as_str);
    let mut counts: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    for token in text::analyse(&job.title, language) {
        *counts.entry(token.term).or_default() += 2;
    }
    for token in text::analyse(&job.description, language) {
        *counts.entry(token.term).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// Everything needed to build a card that is not in the card itself.
pub(crate) struct OwnedCard {
    pub languages: Vec<u8>,
    pub terms: Vec<u8>,
}

impl OwnedCard {
    /// The packed languages and terms of `job`.
    pub fn of(job: &Job, terms: &[(String, u32)]) -> Self {
        let languages = job.languages.iter().flat_map(|l| l.bytes().take(2)).collect();
        let mut hashed: Vec<(u32, u8)> =
            terms.iter().map(|(t, tf)| (text::term_hash(t), u8::try_from(*tf).unwrap_or(u8::MAX))).collect();
        hashed.sort_unstable();
        hashed.dedup_by_key(|(h, _)| *h);
        let terms = hashed.iter().flat_map(|(h, tf)| h.to_le_bytes().into_iter().chain([*tf])).collect();
        OwnedCard { languages, terms }
    }

    /// The card of `job`, published at `published` and shown until `expires` (µs).
    pub fn card<'a>(&'a self, job: &Job, published: i64, expires: i64, length: u32) -> Card<'a> {
        Card {
            id: job.id,
            point: match &job.location {
                Location::OnSite { coordinates, .. } => Some((coordinates.latitude, coordinates.longitude)),
                Location::Remote => None,
            },
            org: job.org,
            published,
            expires,
            contract: job.contract as u8,
            requirement: job.requirement as u8,
            hours: (clamp_u8(job.hours.min), clamp_u8(job.hours.max)),
            pay: job.pay.as_ref().map(|p| CardPay {
                min: p.min,
                upper: p.upper(),
                unit: p.unit as u8,
                currency: currency_bytes(&p.currency),
            }),
            languages: &self.languages,
            length,
            terms: &self.terms,
        }
    }
}

impl Card<'_> {
    /// Encodes the card for storage.
    pub fn encode(&self) -> Result<Vec<u8>> {
        postcard::to_allocvec(self).map_err(|e| Error::Internal { detail: format!("cannot encode a job card: {e}") })
    }

    /// Reads a stored card; the bytes must outlive it.
    pub fn decode(bytes: &[u8]) -> Result<Card<'_>> {
        postcard::from_bytes(bytes).map_err(|e| Error::storage(format!("a job search card does not decode: {e}")))
    }

    pub fn coordinates(&self) -> Option<Coordinates> {
        self.point.map(|(latitude, longitude)| Coordinates { latitude, longitude })
    }

    pub fn has_language(&self, code: &[u8; 2]) -> bool {
        self.languages.chunks_exact(2).any(|c| c == code)
    }

    /// The frequency of the term with this hash, 0 when absent.
    pub fn frequency(&self, hash: u32) -> u32 {
        let count = self.terms.len() / TERM_BYTES;
        let at = |i: usize| {
            let b = &self.terms[i * TERM_BYTES..(i + 1) * TERM_BYTES];
            (u32::from_le_bytes([b[0], b[1], b[2], b[3]]), b[4])
        };
        let (mut lo, mut hi) = (0, count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (h, tf) = at(mid);
            match h.cmp(&hash) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return u32::from(tf),
            }
        }
        0
    }

    pub fn requirement(&self) -> ExInRequirement {
        ExInRequirement::ALL.get(usize::from(self.requirement)).copied().unwrap_or(ExInRequirement::None)
    }

    /// Pay per `unit` in the card's currency, upper end, converted at the posting's mean hours.
    pub fn upper_pay_per(&self, unit: PayUnit) -> Option<f64> {
        let pay = self.pay?;
        let own = PayUnit::ALL.get(usize::from(pay.unit)).copied()?;
        let hours = (f64::from(self.hours.0) + f64::from(self.hours.1)) / 2.0;
        Some(pay.upper * own.per_month(hours) / unit.per_month(hours))
    }
}

/// Three upper-case ASCII bytes of a currency code (validated before).
pub(crate) fn currency_bytes(code: &str) -> [u8; 3] {
    let mut out = [b' '; 3];
    for (slot, b) in out.iter_mut().zip(code.bytes()) {
        *slot = b;
    }
    out
}

fn clamp_u8(v: u32) -> u8 {
    u8::try_from(v).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn cards_round_trip_and_find_every_term(
            terms in proptest::collection::btree_map("[a-zäöü]{1,12}", 1u32..400, 0..60),
            lat in -90.0f64..90.0, lon in -180.0f64..180.0, remote: bool,
        ) {
            let terms: Vec<(String, u32)> = terms.into_iter().collect();
            let mut owned = OwnedCard { languages: b"deda".to_vec(), terms: Vec::new() };
            let mut hashed: Vec<(u32, u8)> = terms.iter().map(|(t, f)| (text::term_hash(t), (*f).min(255) as u8)).collect();
            hashed.sort_unstable();
            hashed.dedup_by_key(|(h, _)| *h);
            owned.terms = hashed.iter().flat_map(|(h, f)| h.to_le_bytes().into_iter().chain([*f])).collect();
            let card = Card {
                id: JobId(7), point: (!remote).then_some((lat, lon)), org: OrgId(3), published: 1, expires: 2,
                contract: 1, requirement: 2, hours: (19, 30), pay: None,
                languages: &owned.languages, length: 12, terms: &owned.terms,
            };
            let bytes = card.encode().unwrap();
            let back = Card::decode(&bytes).unwrap();
            prop_assert_eq!(&back, &card);
            for (h, f) in &hashed {
                prop_assert_eq!(back.frequency(*h), u32::from(*f));
            }
            prop_assert!(back.has_language(b"da") && !back.has_language(b"en"));
            let head = CardHead::decode(&bytes).unwrap();
            prop_assert_eq!(
                (head.id, head.point, head.published, head.expires, head.contract, head.hours, head.languages),
                (card.id, card.point, card.published, card.expires, card.contract, card.hours, card.languages)
            );
            prop_assert_eq!(head.requirement(), card.requirement());
        }
    }
}
