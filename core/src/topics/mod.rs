//! Topics: one thesaurus shared by every domain. Hierarchical topics (a parent each), with a
//! preferred label and alternative labels per language and related topics, edited by admins.
//! Articles carry topics now; forum boards, threads, postings and courses can carry the same
//! slugs, and the search expands a query word that is a topic's label to the topic's other
//! labels.
//!
//! Topics are named by a slug that never changes, so that records of other domains may keep
//! the slug itself; topics are never deleted. This module sits below the domains that use it
//! and imports none of them.

mod model;
pub(crate) mod records;
pub(crate) mod tables;

use std::collections::{BTreeMap, BTreeSet};

pub use model::{NewTopic, Topic, TopicId, TopicImport, TopicLabel, TopicRow, TopicUpdate};

use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::import::RowProblem;
use crate::page::{PageRequest, page_type};
use crate::policy::{self, Action};
use crate::store::{Reader, WriteTxn, next_id};
use crate::validate;

const MAX_SLUG: usize = 64;
const MAX_LABEL: usize = 120;
const MAX_ALT: usize = 40;
const MAX_RELATED: usize = 40;
page_type!(
    /// A page of topics, in the order they were added.
    TopicPage,
    Topic
);

/// Most topics an import file may hold (rows are one per topic and language).
const MAX_IMPORT_ROWS: usize = 20_000;

/// Topic operations, borrowed from a [`crate::Platform`].
pub struct Topics<'p> {
    pub(crate) ctx: &'p Context,
}

impl Topics<'_> {
    /// Adds a topic (admins).
    pub fn add(&self, actor: &Actor, new: &NewTopic) -> Result<Topic> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageTopics, now)?;
            let slug = slug("slug", &new.slug)?;
            if records::exists(txn, &slug)? {
                return Err(Error::conflict(format!("a topic '{slug}' exists already; edit it instead")));
            }
            let topic = Topic {
                id: model::TopicId(next_id(txn, "topics")?),
                slug,
                parent: None,
                labels: labels("labels", &new.labels)?,
                related: Vec::new(),
                updated_at: now,
            };
            records::save(txn, &topic)?;
            let change = TopicUpdate { parent: new.parent.clone(), labels: None, related: Some(new.related.clone()) };
            let topic = apply(txn, topic, &change, now)?;
            audit::append(txn, now, actor, "topic.add", &format!("topic:{}", topic.slug), None)?;
            Ok(topic)
        })
    }

    /// Changes a topic's parent, labels or related topics (admins).
    pub fn edit(&self, actor: &Actor, slug: &str, change: &TopicUpdate) -> Result<Topic> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageTopics, now)?;
            let topic = records::require(txn, slug)?;
            let topic = apply(txn, topic, change, now)?;
            audit::append(txn, now, actor, "topic.edit", &format!("topic:{}", topic.slug), None)?;
            Ok(topic)
        })
    }

    /// One topic by slug (public).
    pub fn get(&self, actor: &Actor, slug: &str) -> Result<Topic> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewTopics, now)?;
            records::require(txn, slug)
        })
    }

    /// Topics in the order they were added, one page at a time (public).
    pub fn list(&self, actor: &Actor, page: &PageRequest) -> Result<TopicPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewTopics, now)?;
            let limit = page.limit()?;
            let mut items = records::from(txn, page.first_id()?, limit)?;
            let next = (items.len() > limit).then(|| items[limit - 1].id.0);
            items.truncate(limit);
            Ok(TopicPage::new(items, next))
        })
    }

    /// Every topic as rows of a topics file, one per topic and language (public).
    pub fn export(&self, actor: &Actor) -> Result<Vec<TopicRow>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewTopics, now)?;
            let mut rows = Vec::new();
            for topic in records::all(txn)? {
                for label in &topic.labels {
                    rows.push(TopicRow {
                        line: rows.len() as u64 + 2,
                        topic: topic.slug.clone(),
                        parent: topic.parent.clone(),
                        lang: label.lang.clone(),
                        pref: label.pref.clone(),
                        alt: label.alt.join("|"),
                        related: topic.related.join("|"),
                    });
                }
            }
            Ok(rows)
        })
    }

    /// Imports the rows of a topics file (admins): a topic in the file gets exactly the file's
    /// labels, parent and related topics (the union of its rows'). All or nothing: with any
    /// problem nothing is written, and every problem is reported with its line and column.
    pub fn import(&self, actor: &Actor, rows: &[TopicRow], dry_run: bool) -> Result<TopicImport> {
        if rows.len() > MAX_IMPORT_ROWS {
            return Err(Error::invalid("rows", format!("{} rows; at most {MAX_IMPORT_ROWS} per file", rows.len())));
        }
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageTopics, now)?;
            let (parsed, mut problems) = parse_rows(rows);
            check_references(txn, &parsed, &mut problems)?;
            let mut report = TopicImport { created: 0, updated: 0, problems, dry_run };
            for slug in parsed.keys() {
                if records::exists(txn, slug)? {
                    report.updated += 1;
                } else {
                    report.created += 1;
                }
            }
            if dry_run || !report.problems.is_empty() {
                return Ok(report);
            }
            write_import(txn, &parsed, now)?;
            audit::append(txn, now, actor, "topic.import", "topics", Some(&format!("{} topics", parsed.len())))?;
            Ok(report)
        })
    }
}

/// A topic as one import file describes it.
struct Parsed {
    line: u64,
    parent: Option<String>,
    labels: Vec<TopicLabel>,
    related: BTreeSet<String>,
}

/// Groups rows by topic, checking each row and that the rows of a topic agree.
fn parse_rows(rows: &[TopicRow]) -> (BTreeMap<String, Parsed>, Vec<RowProblem>) {
    let mut parsed: BTreeMap<String, Parsed> = BTreeMap::new();
    let mut problems = Vec::new();
    for row in rows {
        match parse_row(row) {
            Err(e) => problems.push(RowProblem::from_error(row.line, &e)),
            Ok((topic, parent, label, related)) => {
                let entry = parsed.entry(topic).or_insert_with(|| Parsed {
                    line: row.line,
                    parent: parent.clone(),
                    labels: Vec::new(),
                    related: BTreeSet::new(),
                });
                if entry.parent != parent {
                    problems.push(RowProblem::new(row.line, "parent", "differs from the topic's earlier rows"));
                } else if entry.labels.iter().any(|l| l.lang == label.lang) {
                    problems.push(RowProblem::new(row.line, "lang", format!("a second row in '{}'", label.lang)));
                } else {
                    entry.labels.push(label);
                    entry.related.extend(related);
                }
            }
        }
    }
    (parsed, problems)
}

type ParsedRow = (String, Option<String>, TopicLabel, Vec<String>);

fn parse_row(row: &TopicRow) -> Result<ParsedRow> {
    let topic = slug("topic", &row.topic)?;
    let parent =
        row.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(|p| slug("parent", p)).transpose()?;
    if parent.as_deref() == Some(topic.as_str()) {
        return Err(Error::invalid("parent", "a topic cannot be its own parent"));
    }
    let alt: Vec<String> = split_list(&row.alt);
    let label = label("", &TopicLabel { lang: row.lang.clone(), pref: row.pref.clone(), alt })?;
    let related = split_list(&row.related).iter().map(|r| slug("related", r)).collect::<Result<Vec<_>>>()?;
    if related.contains(&topic) {
        return Err(Error::invalid("related", "a topic cannot be related to itself"));
    }
    Ok((topic, parent, label, related))
}

fn split_list(text: &str) -> Vec<String> {
    text.split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// Parents and related topics must be in the file or in the store; parents must not loop.
fn check_references(
    txn: &impl Reader,
    parsed: &BTreeMap<String, Parsed>,
    problems: &mut Vec<RowProblem>,
) -> Result<()> {
    for (slug, topic) in parsed {
        for (field, other) in
            topic.parent.iter().map(|p| ("parent", p)).chain(topic.related.iter().map(|r| ("related", r)))
        {
            if !parsed.contains_key(other) && !records::exists(txn, other)? {
                problems.push(RowProblem::new(
                    topic.line,
                    field,
                    format!("'{other}' is not a topic in the file or the thesaurus"),
                ));
            }
        }
        let parent_of = |s: &str| -> Result<Option<String>> {
            match parsed.get(s) {
                Some(p) => Ok(p.parent.clone()),
                None => Ok(records::find(txn, s)?.and_then(|t| t.parent)),
            }
        };
        if loops(slug, topic.parent.clone(), parent_of)? {
            problems.push(RowProblem::new(topic.line, "parent", format!("'{slug}' would become its own ancestor")));
        }
    }
    Ok(())
}

/// Whether following parents from `parent` reaches `slug`.
fn loops(slug: &str, mut parent: Option<String>, parent_of: impl Fn(&str) -> Result<Option<String>>) -> Result<bool> {
    let mut seen = BTreeSet::new();
    while let Some(p) = parent {
        if p == slug {
            return Ok(true);
        }
        if !seen.insert(p.clone()) {
            return Ok(false);
        }
        parent = parent_of(&p)?;
    }
    Ok(false)
}

fn write_import(txn: &WriteTxn, parsed: &BTreeMap<String, Parsed>, now: Timestamp) -> Result<()> {
    for (slug, p) in parsed {
        let mut labels = p.labels.clone();
        labels.sort_by(|a, b| a.lang.cmp(&b.lang));
        let topic = match records::find(txn, slug)? {
            Some(t) => Topic { parent: p.parent.clone(), labels, updated_at: now, ..t },
            None => Topic {
                id: model::TopicId(next_id(txn, "topics")?),
                slug: slug.clone(),
                parent: p.parent.clone(),
                labels,
                related: Vec::new(),
                updated_at: now,
            },
        };
        records::save(txn, &topic)?;
    }
    // Related terms are mutual: a relation named on either side of two topics of the file
    // holds for both, so that setting one topic's list does not undo another's.
    let mut related: BTreeMap<&str, BTreeSet<String>> =
        parsed.iter().map(|(slug, p)| (slug.as_str(), p.related.clone())).collect();
    for (slug, p) in parsed {
        for r in &p.related {
            if let Some(other) = related.get_mut(r.as_str()) {
                other.insert(slug.clone());
            }
        }
    }
    for (slug, wanted) in related {
        let topic = records::require(txn, slug)?;
        set_related(txn, topic, wanted.into_iter().collect(), now)?;
    }
    Ok(())
}

/// Applies `change` to a stored topic and saves it, keeping related topics mutual.
fn apply(txn: &WriteTxn, mut topic: Topic, change: &TopicUpdate, now: Timestamp) -> Result<Topic> {
    if let Some(parent) = &change.parent {
        let parent = parent.trim();
        topic.parent = if parent.is_empty() {
            None
        } else {
            let parent = records::require(txn, &slug("parent", parent)?).map_err(|_| {
                Error::invalid("parent", format!("'{parent}' is not a topic; add it first with `trialog topics add`"))
            })?;
            if loops(&topic.slug, Some(parent.slug.clone()), |s| Ok(records::find(txn, s)?.and_then(|t| t.parent)))? {
                return Err(Error::invalid("parent", format!("'{}' would become its own ancestor", topic.slug)));
            }
            Some(parent.slug)
        };
    }
    if let Some(new) = &change.labels {
        topic.labels = labels("labels", new)?;
    }
    topic.updated_at = now;
    records::save(txn, &topic)?;
    match &change.related {
        Some(related) => set_related(txn, topic, related.clone(), now),
        None => Ok(topic),
    }
}

/// Sets a topic's related topics and mirrors the change on the other side.
fn set_related(txn: &WriteTxn, mut topic: Topic, related: Vec<String>, now: Timestamp) -> Result<Topic> {
    if related.len() > MAX_RELATED {
        return Err(Error::invalid("related", format!("{} topics; at most {MAX_RELATED}", related.len())));
    }
    let mut wanted = BTreeSet::new();
    for r in &related {
        let r = slug("related", r)?;
        if r == topic.slug {
            return Err(Error::invalid("related", "a topic cannot be related to itself"));
        }
        records::find(txn, &r)?
            .ok_or_else(|| Error::invalid("related", format!("'{r}' is not a topic; add it first")))?;
        wanted.insert(r);
    }
    let before: BTreeSet<String> = topic.related.iter().cloned().collect();
    for gone in before.difference(&wanted) {
        mirror(txn, gone, &topic.slug, false, now)?;
    }
    for added in wanted.difference(&before) {
        mirror(txn, added, &topic.slug, true, now)?;
    }
    topic.related = wanted.into_iter().collect();
    topic.updated_at = now;
    records::save(txn, &topic)?;
    Ok(topic)
}

fn mirror(txn: &WriteTxn, on: &str, other: &str, add: bool, now: Timestamp) -> Result<()> {
    let Some(mut topic) = records::find(txn, on)? else { return Ok(()) };
    let has = topic.related.iter().any(|r| r == other);
    if add == has {
        return Ok(());
    }
    if add {
        topic.related.push(other.to_string());
        topic.related.sort();
    } else {
        topic.related.retain(|r| r != other);
    }
    topic.updated_at = now;
    records::save(txn, &topic)
}

/// A topic slug: 1 to 64 lower-case letters, digits and inner `-`.
pub fn slug(field: &str, value: &str) -> Result<String> {
    let s = value.trim();
    let ok = !s.is_empty()
        && s.len() <= MAX_SLUG
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if !ok {
        return Err(Error::invalid(
            field,
            format!(
                "'{value}' is not a slug: 1 to {MAX_SLUG} lower-case letters, digits and inner '-', such as peer-support"
            ),
        ));
    }
    Ok(s.to_string())
}

/// Labels, one per language, sorted by language.
fn labels(field: &str, values: &[TopicLabel]) -> Result<Vec<TopicLabel>> {
    if values.is_empty() {
        return Err(Error::invalid(field, "a topic needs a label in at least one language"));
    }
    let mut out: Vec<TopicLabel> = Vec::new();
    for value in values {
        let l = label(&format!("{field}."), value)?;
        if out.iter().any(|o| o.lang == l.lang) {
            return Err(Error::invalid(format!("{field}.lang"), format!("two labels in '{}'", l.lang)));
        }
        out.push(l);
    }
    out.sort_by(|a, b| a.lang.cmp(&b.lang));
    Ok(out)
}

/// One label, its fields named with `prefix` (`labels.pref`, or `pref` in a file).
fn label(prefix: &str, value: &TopicLabel) -> Result<TopicLabel> {
    let lang = validate::languages(&format!("{prefix}lang"), std::slice::from_ref(&value.lang))?.remove(0);
    let pref = validate::required_line(&format!("{prefix}pref"), &value.pref, MAX_LABEL)?;
    if value.alt.len() > MAX_ALT {
        return Err(Error::invalid(format!("{prefix}alt"), format!("{} labels; at most {MAX_ALT}", value.alt.len())));
    }
    let mut alt: Vec<String> = Vec::new();
    for a in &value.alt {
        let a = validate::required_line(&format!("{prefix}alt"), a, MAX_LABEL)?;
        if a != pref && !alt.contains(&a) {
            alt.push(a);
        }
    }
    Ok(TopicLabel { lang, pref, alt })
}

/// Checks that every slug names a topic, for the records of other domains; returns them
/// cleaned, de-duplicated, order kept.
pub(crate) fn require_all(txn: &impl Reader, field: &str, slugs: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for s in slugs {
        let s = slug(field, s)?;
        if !records::exists(txn, &s)? {
            return Err(Error::invalid(
                field,
                format!(
                    "'{s}' is not a topic; `trialog topics list` shows them, an admin adds one with `trialog topics add`"
                ),
            ));
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The id of a topic slug, for the indexes of other domains.
pub(crate) fn id_of(txn: &impl Reader, slug: &str) -> Result<Option<TopicId>> {
    records::id_of(txn, slug)
}

/// The slug of topic `slug` (which must exist) and of every topic below it, at any depth.
pub(crate) fn narrower_slugs(txn: &impl Reader, slug: &str) -> Result<Vec<String>> {
    let root = self::slug("topic", slug)?;
    let all = records::all(txn)?;
    if !all.iter().any(|t| t.slug == root) {
        return Err(Error::invalid("topic", format!("'{root}' is not a topic; `trialog topics list` shows them")));
    }
    let mut wanted = vec![root];
    let mut i = 0;
    while i < wanted.len() {
        for t in &all {
            if t.parent.as_deref() == Some(wanted[i].as_str()) && !wanted.contains(&t.slug) {
                wanted.push(t.slug.clone());
            }
        }
        i += 1;
    }
    Ok(wanted)
}

/// Every topic (the thesaurus, for search expansion).
pub(crate) fn all(txn: &impl Reader) -> Result<Vec<Topic>> {
    records::all(txn)
}

/// Registration of the topics domain: its tables and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "topics",
    tick: crate::store::Domain::nothing_due,
    personal: None,
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found| {
        let n = records::check_integrity(txn, &mut found.problems)?;
        found.count("topics", n);
        Ok(())
    },
    figures: None,
};
