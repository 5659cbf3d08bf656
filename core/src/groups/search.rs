//! Finding groups: text and topic (through the thesaurus' synonyms), radius around a postcode
//! (online groups always), weekday and time of day, language, audience, accessibility and
//! status. Results are the public view: a confidential place never appears, and its distance
//! is to its postcode's centre rounded to whole kilometres.

use std::collections::BTreeSet;

use super::model::*;
use super::records::{self, GroupRecord};
use super::schedule;
use super::view::{self, Lens};
use super::{GroupHitPage, Groups};
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates, distance_km};
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
            let mut hits: Vec<(f64, GroupRecord, Option<f64>)> = Vec::new();
            records::scan_groups(txn, 0, |g| {
                if let Some(distance) = plan.matches(&g) {
                    let key = distance.unwrap_or(-1.0);
                    hits.push((key, g, distance));
                }
                Ok(true)
            })?;
            if plan.near.is_some() {
                hits.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
            }
            let next = (hits.len() > skip + limit).then(|| (skip + limit) as u64);
            let items = hits
                .into_iter()
                .skip(skip)
                .take(limit)
                .map(|(_, g, distance)| GroupHit { group: view::public(&g, lens), distance_km: distance })
                .collect();
            Ok(GroupHitPage::new(items, next))
        })
    }
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
    /// it meets in person), `None` when it does not.
    pub(crate) fn matches(&self, g: &GroupRecord) -> Option<Option<f64>> {
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
        if !self.words.is_empty() && !self.text_matches(g) {
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

    fn time_matches(&self, g: &GroupRecord) -> bool {
        g.meetings.iter().any(|m| {
            let (days, start, end) = schedule::days_and_times(m);
            self.weekday.is_none_or(|d| days.contains(&d))
                && self.after.is_none_or(|a| start >= a)
                && self.before.is_none_or(|b| end <= b)
        })
    }

    fn distance(&self, g: &GroupRecord) -> Option<Option<f64>> {
        let Some((center, radius)) = self.near else { return Some(None) };
        let in_person = g
            .place
            .as_ref()
            .filter(|_| g.format.in_person())
            .map(|p| (distance_km(center, p.coordinates), p.confidential));
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
