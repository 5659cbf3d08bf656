//! Finding groups: text and topic (through the thesaurus' synonyms), radius around a postcode
//! (online groups always), weekday and time of day, language, audience, accessibility and
//! status. Results are the public view: a confidential place never appears, and its distance
//! is to its postcode's centre rounded to whole kilometres.
//!
//! Searches read the search index (`card.rs`, filled by `records::save_group`), not every
//! record: a radius search the online groups and the grid cells its circle reaches, nearest
//! first, until the page is settled; a search by topic without a place the cards filed under
//! the query's topics (their id orders merged), until the page is full, so that a rare topic
//! reads its few groups and not the directory; other searches every card in id order until
//! the page is full. Records are decoded only for the page and for text words. The tests hold
//! it to the plain scan it replaced.

use std::collections::BTreeSet;

use super::card::{self, GroupCard};
use super::model::*;
use super::records::{self, GroupRecord};
use super::schedule;
use super::view::{self, Lens};
use super::{GroupHitPage, Groups};
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates, distance_km, grid};
use crate::page::PageRequest;
use crate::policy::{self, Action};
use crate::store::Reader;
use crate::topics;

/// The default and largest radius, in kilometres.
const DEFAULT_RADIUS: f64 = 25.0;
const MAX_RADIUS: f64 = 500.0;

/// A query with its words, topics and place resolved.
pub(crate) struct Plan {
    words: Vec<String>,
    /// Topic slugs any text word named (synonyms).
    word_topics: BTreeSet<String>,
    /// Slugs that satisfy the topic filter (the topic and its narrower topics).
    topic: Option<BTreeSet<String>>,
    near: Option<(Coordinates, f64)>,
    weekday: Option<Weekday>,
    after: Option<u32>,
    before: Option<u32>,
    language: Option<String>,
    audience: Option<GroupAudience>,
    accessibility: Vec<Accessibility>,
    status: Option<GroupStatus>,
}

impl Groups<'_> {
    /// Groups matching `query`, nearest first when a postcode is given, otherwise in id order.
    pub fn search(&self, actor: &Actor, query: &GroupQuery, page: &PageRequest) -> Result<GroupHitPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            let plan = plan(txn, query)?;
            let lens = Lens::new(txn, now)?;
            let limit = page.limit()?;
            let skip = page.cursor_id()?.unwrap_or(0) as usize;
            let need = skip.saturating_add(limit).saturating_add(1);
            let hits = match plan.near {
                Some(_) => nearest(txn, &plan, need)?,
                None => in_id_order(txn, &plan, need)?,
            };
            let next = (hits.len() > skip + limit).then(|| (skip + limit) as u64);
            let mut items = Vec::new();
            for hit in hits.into_iter().skip(skip).take(limit) {
                let group = records::load_group(txn, hit.id)?;
                items.push(GroupHit { group: view::public(&group, lens), distance_km: hit.distance });
            }
            Ok(GroupHitPage::new(items, next))
        })
    }
}

/// A matching group: its sort key (the shown distance, -1 for groups found online) and the
/// distance shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    pub key: f64,
    pub id: GroupId,
    pub distance: Option<f64>,
}

impl Hit {
    fn new(id: GroupId, distance: Option<f64>) -> Hit {
        Hit { key: distance.unwrap_or(-1.0), id, distance }
    }
}

/// The first `need` matches in id order: search cards are read in id order (only those of the
/// query's topics, when it has one), records only for text words.
fn in_id_order(txn: &impl Reader, plan: &Plan, need: usize) -> Result<Vec<Hit>> {
    if let Some(slugs) = &plan.topic {
        return of_topics(txn, plan, slugs, need);
    }
    let mut hits = Vec::new();
    records::scan_cards(txn, 0, |card| {
        if let Some(distance) = plan.matches_card_and_text(txn, &card)? {
            hits.push(Hit::new(card.id, distance));
        }
        Ok(hits.len() < need)
    })?;
    Ok(hits)
}

/// The first `need` matches among the groups filed under `slugs`, in id order: each topic's
/// cards in id order, merged, every other filter applied to each card.
fn of_topics(txn: &impl Reader, plan: &Plan, slugs: &BTreeSet<String>, need: usize) -> Result<Vec<Hit>> {
    let index = records::TopicCards::open(txn)?;
    let streams = slugs.iter().map(|slug| index.of(slug)).collect::<Result<Vec<_>>>()?;
    let mut cards = merge::InIdOrder::new(streams)?;
    let mut hits = Vec::new();
    while hits.len() < need
        && let Some(card) = cards.next_card()?
    {
        if let Some(distance) = plan.matches_card_and_text(txn, &card)? {
            hits.push(Hit::new(card.id, distance));
        }
    }
    Ok(hits)
}

/// The matches of a radius search, online groups first, then nearest first (ties by id), at
/// least the first `need` of them: the online groups are read whole, then the cells the
/// circle reaches nearest first, until no further cell can hold a group that would come
/// before the `need`th hit.
fn nearest(txn: &impl Reader, plan: &Plan, need: usize) -> Result<Vec<Hit>> {
    let Some((center, radius)) = plan.near else { return in_id_order(txn, plan, need) };
    let topics: Vec<Option<&str>> = match &plan.topic {
        Some(slugs) => slugs.iter().map(|s| Some(s.as_str())).collect(),
        None => vec![None],
    };
    let index = records::CellCards::open(txn)?;
    let mut seen = std::collections::HashSet::new();
    let mut hits: Vec<Hit> = Vec::new();
    let mut read = |cell: u32, hits: &mut Vec<Hit>| -> Result<()> {
        for topic in &topics {
            index.visit(*topic, cell, |card| {
                if seen.insert(card.id)
                    && let Some(distance) = plan.matches_card_and_text(txn, &card)?
                {
                    hits.push(Hit::new(card.id, distance));
                }
                Ok(())
            })?;
        }
        Ok(())
    };
    read(card::ONLINE, &mut hits)?;
    for (cell, bound) in grid::cells_within(center, radius) {
        if settled(&mut hits, need, bound) {
            break;
        }
        read(cell, &mut hits)?;
    }
    hits.sort_by(|a, b| a.key.total_cmp(&b.key).then(a.id.cmp(&b.id)));
    Ok(hits)
}

/// Whether the first `need` hits are surely before anything in a cell at least `bound` km
/// away: a shown distance is rounded by at most half a kilometre, so a group there shows at
/// least `bound - 0.5`.
fn settled(hits: &mut [Hit], need: usize, bound: f64) -> bool {
    if hits.len() < need {
        return false;
    }
    let (_, nth, _) = hits.select_nth_unstable_by(need - 1, |a, b| a.key.total_cmp(&b.key));
    nth.key < bound - 0.5
}

/// Resolves a query: words, topics with their synonyms and narrower topics, the postcode.
pub(crate) fn plan(txn: &impl Reader, q: &GroupQuery) -> Result<Plan> {
    let thesaurus = topics::all(txn)?;
    let label_of = |word: &str| -> Vec<String> {
        thesaurus
            .iter()
            .filter(|t| {
                t.slug == word
                    || t.labels
                        .iter()
                        .any(|l| l.pref.to_lowercase() == word || l.alt.iter().any(|a| a.to_lowercase() == word))
            })
            .map(|t| t.slug.clone())
            .collect()
    };
    let text = q.text.as_deref().unwrap_or("").to_lowercase();
    if text.chars().count() > 200 {
        return Err(Error::invalid("text", "at most 200 characters"));
    }
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).map(str::to_string).collect();
    let mut word_topics = BTreeSet::new();
    for w in &words {
        word_topics.extend(label_of(w));
    }
    with_narrower(&thesaurus, &mut word_topics);
    let topic = match q.topic.as_deref().map(|t| t.trim().to_lowercase()) {
        None => None,
        Some(t) if t.is_empty() => None,
        Some(t) => {
            let mut slugs: BTreeSet<String> = label_of(&t).into_iter().collect();
            if slugs.is_empty() {
                return Err(Error::invalid(
                    "topic",
                    format!("'{t}' is no topic's slug or label; `trialog topics list` shows them"),
                ));
            }
            with_narrower(&thesaurus, &mut slugs);
            Some(slugs)
        }
    };
    let near = match (&q.postcode, &q.country) {
        (Some(postcode), Some(country)) => {
            let radius = q.radius_km.unwrap_or(DEFAULT_RADIUS);
            if !(radius > 0.0 && radius <= MAX_RADIUS) {
                return Err(Error::invalid("radius_km", format!("{radius}; give 0 to {MAX_RADIUS} km")));
            }
            let place = geo::resolve(txn, country, postcode)?;
            Some((place.coordinates, radius))
        }
        (None, None) if q.radius_km.is_some() => {
            return Err(Error::invalid("radius_km", "needs a postcode and country"));
        }
        (None, None) => None,
        (Some(_), None) => return Err(Error::invalid("country", "a postcode needs its country, such as DE")),
        (None, Some(_)) => return Err(Error::invalid("postcode", "a country needs a postcode")),
    };
    let minutes = |field: &str, v: &Option<String>| -> Result<Option<u32>> {
        v.as_deref().map(|t| schedule::local_time(field, t).map(schedule::minutes_of)).transpose()
    };
    let language = match &q.language {
        Some(l) => Some(crate::validate::languages("language", std::slice::from_ref(l))?.remove(0)),
        None => None,
    };
    Ok(Plan {
        words,
        word_topics,
        topic,
        near,
        weekday: q.weekday,
        after: minutes("starts_after", &q.starts_after)?,
        before: minutes("ends_before", &q.ends_before)?,
        language,
        audience: q.audience,
        accessibility: q.accessibility.clone(),
        status: q.status,
    })
}

/// Adds the narrower topics (children, their children…) of `slugs`.
fn with_narrower(thesaurus: &[topics::Topic], slugs: &mut BTreeSet<String>) {
    loop {
        let narrower: Vec<String> = thesaurus
            .iter()
            .filter(|c| c.parent.as_ref().is_some_and(|p| slugs.contains(p)) && !slugs.contains(&c.slug))
            .map(|c| c.slug.clone())
            .collect();
        if narrower.is_empty() {
            break;
        }
        slugs.extend(narrower);
    }
}

impl Plan {
    /// `Some(distance)` when the group matches (the distance when searched by postcode and
    /// it meets in person), `None` when it does not: the reference the tests hold the
    /// indexed search to.
    #[cfg(test)]
    pub(crate) fn matches(&self, g: &GroupRecord) -> Option<Option<f64>> {
        if !self.words.is_empty() && !self.text_matches(g) {
            return None;
        }
        self.matches_card(&GroupCard::of(g))
    }

    /// [`Plan::matches`] from a search card, reading the record only when there are text words.
    fn matches_card_and_text(&self, txn: &impl Reader, card: &GroupCard) -> Result<Option<Option<f64>>> {
        let Some(distance) = self.matches_card(card) else { return Ok(None) };
        if !self.words.is_empty() && !self.text_matches(&records::load_group(txn, card.id)?) {
            return Ok(None);
        }
        Ok(Some(distance))
    }

    /// Every filter but the text words.
    fn matches_card(&self, g: &GroupCard) -> Option<Option<f64>> {
        match self.status {
            Some(s) if g.status != s => return None,
            None if g.status == GroupStatus::Ended => return None,
            _ => {}
        }
        if let Some(l) = &self.language
            && !g.languages.contains(l)
        {
            return None;
        }
        if let Some(a) = self.audience
            && g.audience != a
            && g.audience != GroupAudience::Both
        {
            return None;
        }
        if !self.accessibility.iter().all(|a| g.accessibility.contains(a)) {
            return None;
        }
        if let Some(slugs) = &self.topic
            && !g.topics.iter().any(|t| slugs.contains(t))
        {
            return None;
        }
        if (self.weekday.is_some() || self.after.is_some() || self.before.is_some()) && !self.time_matches(g) {
            return None;
        }
        self.distance(g)
    }

    fn text_matches(&self, g: &GroupRecord) -> bool {
        if g.topics.iter().any(|t| self.word_topics.contains(t)) {
            return true;
        }
        let name = g.name.to_lowercase();
        let description = g.description.to_lowercase();
        self.words.iter().all(|w| {
            name.contains(w.as_str())
                || description.contains(w.as_str())
                || g.keywords.iter().any(|k| k.contains(w.as_str()))
        })
    }

    fn time_matches(&self, g: &GroupCard) -> bool {
        g.times.iter().any(|(days, start, end)| {
            self.weekday.is_none_or(|d| days.contains(&d))
                && self.after.is_none_or(|a| *start >= a)
                && self.before.is_none_or(|b| *end <= b)
        })
    }

    fn distance(&self, g: &GroupCard) -> Option<Option<f64>> {
        let Some((center, radius)) = self.near else { return Some(None) };
        let in_person = g.place.map(|(at, confidential)| (distance_km(center, at), confidential));
        match in_person {
            Some((d, confidential)) if d <= radius => {
                let shown = if confidential { d.round() } else { (d * 10.0).round() / 10.0 };
                Some(Some(shown))
            }
            _ if g.format.online() => Some(None),
            _ => None,
        }
    }
}

mod merge;
#[cfg(test)]
mod tests;
