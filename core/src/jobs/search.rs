//! The job search: candidates from the cheapest index for the query (grid cells around the
//! place, the rarest word's postings, or publication order), each checked by the
//! [`Matcher`] on its card, then sorted and cut at a keyset cursor. Only the page's postings
//! are decoded in full.

use std::cmp::Ordering;

use crate::store::ReadTxn;

use super::card::{Card, OwnedCard, index_terms};
use super::index::{self, Corpus, Reading};
use super::matcher::Matcher;
use super::model::{JobId, PayUnit};
use super::query::{JobHit, JobQuery, JobSearchPage, JobSort};
use super::records::cards::{self, CellCards};
use super::{Jobs, load, org_jobs};
use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo::{self, grid};
use crate::orgs;
use crate::page::PageRequest;
use crate::policy::{self, Action};
use crate::text::QueryTerm;

/// A candidate that passed the matcher: its sort key (ascending), id and facts for the hit.
#[derive(Debug, Clone, Copy)]
struct Found {
    key: f64,
    id: JobId,
    /// Equal keys put the newer posting (higher id) first: set for the newest-first sort,
    /// the order `newest` walks the publication index in, so that a cursor inside a run of
    /// equal times (one import publishes thousands at one moment) resumes where its page
    /// ended. Other sorts break ties by ascending id.
    newer_first: bool,
    distance_km: Option<f64>,
    score: Option<f64>,
}

impl Found {
    fn cmp(&self, other: &Found) -> Ordering {
        let ties = if self.newer_first { other.id.cmp(&self.id) } else { self.id.cmp(&other.id) };
        self.key.total_cmp(&other.key).then(ties)
    }

    /// Where a page that ended at `cursor` resumes, in the order of `sort`.
    fn at(cursor: Cursor, sort: JobSort) -> Found {
        Found { key: cursor.key, id: cursor.id, newer_first: sort == JobSort::Newest, distance_km: None, score: None }
    }
}

/// Where the page starts: after this key and id.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    key: f64,
    id: JobId,
}

impl Jobs<'_> {
    /// Searches the board. Never returns drafts, withdrawn, filled or expired postings, except
    /// to an organisation's own staff (and admins) who set `org` and `include_unpublished`.
    pub fn search(&self, actor: &crate::Actor, query: &JobQuery, page: &PageRequest) -> Result<JobSearchPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewJobs, now)?;
            let limit = page.limit()?;
            let cursor = parse_cursor(page.cursor.as_deref())?;
            let (matcher, words) = Matcher::compile(txn, query)?;
            let sort = effective_sort(query.sort.unwrap_or_default(), &matcher);
            let scorer = Scorer::new(txn, &words)?;
            let found = if query.include_unpublished {
                own_postings(txn, subject, query, &matcher, &scorer, sort, now)?
            } else {
                Search { txn, matcher: &matcher, scorer: &scorer, sort, now: now.timestamp_micros(), cursor, limit }
                    .run()?
            };
            page_of(txn, found, cursor, sort, limit, now)
        })
    }
}

/// What the sort means for this query: relevance without text is nearest or newest first.
fn effective_sort(sort: JobSort, matcher: &Matcher) -> JobSort {
    match sort {
        JobSort::Relevance if matcher.terms.is_empty() && matcher.center.is_some() => JobSort::Distance,
        JobSort::Relevance if matcher.terms.is_empty() => JobSort::Newest,
        other => other,
    }
}

struct Search<'a> {
    txn: &'a ReadTxn,
    matcher: &'a Matcher,
    scorer: &'a Scorer,
    sort: JobSort,
    now: i64,
    cursor: Option<Cursor>,
    limit: usize,
}

impl Search<'_> {
    fn run(&self) -> Result<Vec<Found>> {
        if self.matcher.center.is_some() {
            return self.near();
        }
        let mut found = Vec::new();
        if let Some(ids) = self.text_candidates()? {
            cards::visit_cards_of(self.txn, &ids, |bytes| self.consider(bytes, &mut found))?;
            return Ok(found);
        }
        if self.sort == JobSort::Newest {
            return self.newest();
        }
        cards::visit_every_card(self.txn, |bytes| self.consider(bytes, &mut found))?;
        Ok(found)
    }

    /// Grid cells nearest first; sorted by distance, it stops once no further cell can hold
    /// a posting nearer than the page's last.
    fn near(&self) -> Result<Vec<Found>> {
        let center = self.matcher.center().expect("near() is only called with a center");
        let cells = CellCards::open(self.txn)?;
        let mut found = Vec::new();
        for (cell, bound) in grid::cells_within(center, self.matcher.radius_km) {
            if self.sort == JobSort::Distance && self.page_is_settled(&found, bound) {
                break;
            }
            cells.visit(cell, |bytes| self.consider(bytes, &mut found))?;
        }
        if self.matcher.include_remote {
            cards::visit_remote_cards(self.txn, |bytes| self.consider(bytes, &mut found))?;
        }
        Ok(found)
    }

    /// Whether a page is full of postings nearer than `bound`, the nearest any later cell can be.
    fn page_is_settled(&self, found: &[Found], bound: f64) -> bool {
        let mut keys: Vec<f64> = found.iter().filter(|f| self.after_cursor(f)).map(|f| f.key).collect();
        if keys.len() <= self.limit {
            return false;
        }
        let (_, kth, _) = keys.select_nth_unstable_by(self.limit, f64::total_cmp);
        *kth < bound
    }

    /// Newest first by publication order, stopping after one page past the cursor.
    fn newest(&self) -> Result<Vec<Found>> {
        // Within the cursor's moment, only lower ids come after it.
        let upper = self.cursor.map_or((i64::MAX, JobId(u64::MAX)), |c| ((-c.key) as i64, c.id));
        let mut found = Vec::new();
        cards::visit_newest_cards(self.txn, upper, |bytes| {
            self.consider(bytes, &mut found)?;
            Ok(found.iter().filter(|f| self.after_cursor(f)).count() <= self.limit)
        })?;
        Ok(found)
    }

    /// Ids holding the query's rarest word, when the query has words.
    fn text_candidates(&self) -> Result<Option<Vec<JobId>>> {
        let Some(rarest) = self.scorer.words.iter().min_by_key(|w| w.forms.iter().map(|f| f.docs).sum::<u64>()) else {
            return Ok(None);
        };
        let mut ids = Vec::new();
        for form in &rarest.forms {
            self.scorer.reading.for_each_posting(self.txn, &form.term, |p| ids.push(JobId(p.doc)))?;
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(Some(ids))
    }

    /// Decodes a card and keeps it if the matcher passes it.
    fn consider(&self, bytes: &[u8], found: &mut Vec<Found>) -> Result<()> {
        let card = Card::decode(bytes)?;
        if let Some(distance_km) = self.matcher.check(&card, self.now) {
            found.push(self.found(&card, distance_km));
        }
        Ok(())
    }

    fn found(&self, card: &Card<'_>, distance_km: Option<f64>) -> Found {
        let score = (!self.scorer.words.is_empty()).then(|| self.scorer.score(card));
        let newer_first = self.sort == JobSort::Newest;
        Found { key: sort_key(self.sort, card, distance_km, score), id: card.id, newer_first, distance_km, score }
    }

    fn after_cursor(&self, found: &Found) -> bool {
        self.cursor.is_none_or(|c| found.cmp(&Found::at(c, self.sort)).is_gt())
    }
}

/// The ascending sort key of a hit.
fn sort_key(sort: JobSort, card: &Card<'_>, distance_km: Option<f64>, score: Option<f64>) -> f64 {
    match sort {
        JobSort::Distance => distance_km.unwrap_or(f64::INFINITY),
        JobSort::Newest => -(card.published as f64),
        JobSort::Pay => card.upper_pay_per(PayUnit::Month).map_or(f64::INFINITY, |p| -p),
        JobSort::Relevance => -score.unwrap_or(0.0),
    }
}

/// An organisation's own postings in every state, for its staff.
fn own_postings(
    txn: &ReadTxn,
    subject: &Subject,
    query: &JobQuery,
    matcher: &Matcher,
    scorer: &Scorer,
    sort: JobSort,
    now: Timestamp,
) -> Result<Vec<Found>> {
    let org = query.org.ok_or_else(|| Error::invalid("include_unpublished", "needs `org`: your own organisation"))?;
    let organisation = orgs::load(txn, org)?;
    policy::check(subject, Action::ManageJobs { org: &organisation }, now)?;
    let mut found = Vec::new();
    for job in org_jobs(txn, org, now)? {
        let terms = index_terms(&job);
        let owned = OwnedCard::of(&job, &terms);
        let published = job.published_at.unwrap_or(job.created_at).timestamp_micros();
        let card = owned.card(&job, published, i64::MAX, terms.iter().map(|(_, tf)| tf).sum());
        let distance_km = match (matcher.center(), card.coordinates()) {
            (Some(c), Some(p)) => Some(geo::distance_km(c, p)),
            _ => None,
        };
        if matcher.check_fields(&card) && distance_km.is_none_or(|d| d <= matcher.radius_km) {
            let score = (!scorer.words.is_empty()).then(|| scorer.score(&card));
            let key = sort_key(sort, &card, distance_km, score);
            found.push(Found { key, id: job.id, newer_first: sort == JobSort::Newest, distance_km, score });
        }
    }
    Ok(found)
}

fn page_of(
    txn: &ReadTxn,
    mut found: Vec<Found>,
    cursor: Option<Cursor>,
    sort: JobSort,
    limit: usize,
    now: Timestamp,
) -> Result<JobSearchPage> {
    if let Some(c) = cursor {
        let start = Found::at(c, sort);
        found.retain(|f| f.cmp(&start).is_gt());
    }
    found.sort_unstable_by(Found::cmp);
    let more = found.len() > limit;
    found.truncate(limit);
    let next_cursor = more.then(|| found.last().map(encode_cursor)).flatten();
    let items = found
        .iter()
        .map(|f| {
            let job = load(txn, f.id, now)?;
            let coordinates = job.location.coordinates();
            Ok(JobHit { job, distance_km: f.distance_km, coordinates, score: f.score })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(JobSearchPage { items, next_cursor })
}

fn encode_cursor(f: &Found) -> String {
    format!("j{:016x}.{}", f.key.to_bits(), f.id)
}

fn parse_cursor(cursor: Option<&str>) -> Result<Option<Cursor>> {
    let Some(text) = cursor else { return Ok(None) };
    let bad = || Error::invalid("cursor", "is not a cursor returned by a previous job search; start again without one");
    let (key, id) = text.strip_prefix('j').and_then(|t| t.split_once('.')).ok_or_else(bad)?;
    let key = u64::from_str_radix(key, 16).map(f64::from_bits).map_err(|_| bad())?;
    let id = JobId(id.parse().map_err(|_| bad())?);
    if key.is_nan() {
        return Err(bad());
    }
    Ok(Some(Cursor { key, id }))
}

/// BM25 over the query's words, each taking the best of its forms present in a posting.
struct Scorer {
    words: Vec<Word>,
    corpus: Corpus,
    /// The text index's view for every form of every word (the candidates are read from it).
    reading: Reading<'static>,
}

struct Word {
    forms: Vec<Form>,
}

struct Form {
    term: String,
    hash: u32,
    docs: u64,
}

impl Scorer {
    fn new(txn: &ReadTxn, words: &[QueryTerm]) -> Result<Self> {
        let forms: Vec<&str> = words.iter().flat_map(|w| w.variants.iter().map(String::as_str)).collect();
        let reading = index::reading(txn, &forms)?;
        let words = words
            .iter()
            .map(|w| {
                let forms = w
                    .variants
                    .iter()
                    .map(|v| {
                        let docs = reading.document_frequency(txn, v)?;
                        Ok(Form { term: v.clone(), hash: crate::text::term_hash(v), docs })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Word { forms })
            })
            .collect::<Result<Vec<_>>>()?;
        let corpus = reading.corpus(txn)?;
        Ok(Scorer { words, corpus, reading })
    }

    fn score(&self, card: &Card<'_>) -> f64 {
        let mut total = 0.0;
        for word in &self.words {
            let best = word
                .forms
                .iter()
                .map(|f| {
                    let tf = card.frequency(f.hash);
                    if tf == 0 {
                        0.0
                    } else {
                        crate::text::bm25(
                            tf,
                            f.docs.max(1),
                            self.corpus.docs.max(1),
                            card.length,
                            self.corpus.average_length,
                        )
                    }
                })
                .fold(0.0, f64::max);
            total += best;
        }
        total
    }
}
