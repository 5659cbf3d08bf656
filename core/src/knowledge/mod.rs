//! The knowledge base: checked articles on peer work, EX-IN, self-help, relatives, contracts
//! and recovery, in several languages.
//!
//! Editorial workflow (four eyes): an editor writes a draft and submits it; a second editor
//! approves it (never its author, nor the author of its latest revision); then it is
//! published. Approval sets "checked on" and "next check due" (12 months later unless the
//! editor chose a date); `due` lists published articles whose check has fallen due, and an
//! editor confirms a check with `mark_checked`. Changing the text of an article in review,
//! published or archived takes it back to draft, so readers only see approved text. Every text
//! change is a revision with its author and time; `diff` compares two.
//!
//! Language versions share a translation group; a group holds at most one article per
//! language. Listings show one version per group, in the reader's language when there is one.

mod diff;
mod figures;
mod markdown;
mod model;
pub(crate) mod records;
pub(crate) mod tables;
mod transfer;

use chrono::{Months, NaiveDate};

pub use model::{
    Article, ArticleDetail, ArticleDiff, ArticleFile, ArticleFilter, ArticleId, ArticleImport, ArticleRevision,
    ArticleState, ArticleSummary, ArticleUpdate, Attachment, DiffLine, DiffOp, FileProblem, Link, NewArticle,
};

use crate::accounts::AccountId;
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::forums::{Audience, markup};
use crate::orgs;
use crate::page::{PageRequest, cursor_for_keys, page_type};
use crate::policy::{self, Action};
use crate::store::figures::month_of;
use crate::store::{Reader, WriteTxn, next_id};
use crate::topics;
use crate::validate;

const MAX_TITLE: usize = 200;
const MAX_SUMMARY: usize = 600;
const MAX_BODY: usize = 100_000;
const MAX_TOPICS: usize = 20;
const MAX_LINKS: usize = 30;
const MAX_URL: usize = 2_000;
page_type!(
    /// A page of knowledge-base articles, one language version per article.
    ArticlePage,
    ArticleSummary
);

/// Months from a check to the next one, unless the editor chooses.
pub const CHECK_INTERVAL_MONTHS: u32 = 12;

/// Knowledge-base operations, borrowed from a [`crate::Platform`].
pub struct Knowledge<'p> {
    pub(crate) ctx: &'p Context,
}

impl Knowledge<'_> {
    /// Writes a new article as a draft (editors and admins).
    pub fn create(&self, actor: &Actor, new: &NewArticle) -> Result<Article> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::WriteArticles, now)?;
            let article = create(txn, subject, new, now)?;
            audit::append(txn, now, actor, "article.create", &target(article.id), None)?;
            Ok(article)
        })
    }

    /// Changes an article (editors and admins). A changed title, summary or body is a new
    /// revision and takes an article in review, published or archived back to draft.
    pub fn edit(&self, actor: &Actor, id: ArticleId, change: &ArticleUpdate) -> Result<Article> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::WriteArticles, now)?;
            let before = records::load(txn, id)?;
            let article = edit(txn, subject, &before, change, now)?;
            if article != before {
                audit::append(txn, now, actor, "article.edit", &target(id), None)?;
            }
            Ok(article)
        })
    }

    /// Submits a draft for review by a second editor.
    pub fn submit(&self, actor: &Actor, id: ArticleId) -> Result<Article> {
        self.transition(actor, id, "article.submit", |_, article, _| {
            require_state(article, &[ArticleState::Draft], "submit")?;
            article.state = ArticleState::InReview;
            Ok(())
        })
    }

    /// Approves the current revision of an article in review: a second editor, never its
    /// author nor the author of the revision (four eyes). Sets the check dates.
    pub fn approve(&self, actor: &Actor, id: ArticleId, next_check_due: Option<NaiveDate>) -> Result<Article> {
        self.ctx.write(actor, |txn, subject, now| {
            let before = records::load(txn, id)?;
            let latest = records::revision(txn, id, before.revision)?;
            policy::check(subject, Action::ApproveArticle { author: before.author, reviser: latest.author }, now)?;
            require_state(&before, &[ArticleState::InReview], "approve")?;
            let mut article = before.clone();
            article.approved_by = account_of(subject);
            article.approved_revision = Some(article.revision);
            set_checked(&mut article, now, next_check_due)?;
            article.updated_at = now;
            records::save(txn, &article, Some(&before))?;
            audit::append(txn, now, actor, "article.approve", &target(id), None)?;
            Ok(article)
        })
    }

    /// Publishes an article in review whose current revision a second editor approved.
    pub fn publish(&self, actor: &Actor, id: ArticleId) -> Result<Article> {
        self.transition(actor, id, "article.publish", |_, article, now| {
            require_state(article, &[ArticleState::InReview], "publish")?;
            if article.approved_revision != Some(article.revision) {
                return Err(Error::conflict(format!(
                    "article {id} needs a second editor's approval of revision {} first (`trialog knowledge approve {id}`)",
                    article.revision
                )));
            }
            article.state = ArticleState::Published;
            article.published_at = Some(now);
            Ok(())
        })
    }

    /// Withdraws an article from readers, keeping it and its history.
    pub fn archive(&self, actor: &Actor, id: ArticleId) -> Result<Article> {
        self.transition(actor, id, "article.archive", |_, article, _| {
            if article.state == ArticleState::Archived {
                return Err(Error::conflict(format!("article {id} is archived already")));
            }
            article.state = ArticleState::Archived;
            Ok(())
        })
    }

    /// Confirms that a published article is still correct: checked today, next check due on
    /// `next_check_due` or in 12 months.
    pub fn mark_checked(&self, actor: &Actor, id: ArticleId, next_check_due: Option<NaiveDate>) -> Result<Article> {
        self.transition(actor, id, "article.checked", |_, article, now| {
            require_state(article, &[ArticleState::Published], "mark as checked")?;
            set_checked(article, now, next_check_due)
        })
    }

    fn transition(
        &self,
        actor: &Actor,
        id: ArticleId,
        what: &str,
        change: impl Fn(&Subject, &mut Article, Timestamp) -> Result<()>,
    ) -> Result<Article> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::WriteArticles, now)?;
            let before = records::load(txn, id)?;
            let mut article = before.clone();
            change(subject, &mut article, now)?;
            article.updated_at = now;
            records::save(txn, &article, Some(&before))?;
            audit::append(txn, now, actor, what, &target(id), None)?;
            Ok(article)
        })
    }

    /// One article with its HTML and its other language versions the reader may see.
    pub fn get(&self, actor: &Actor, id: ArticleId) -> Result<ArticleDetail> {
        self.ctx.read(actor, |txn, subject, now| detail(txn, subject, now, records::load(txn, id)?))
    }

    /// Counts one view of a published article for the reports (anyone who may read it; who
    /// read is not stored). Hosts call it when they show an article; editors' views of drafts
    /// are not counted.
    pub fn record_view(&self, actor: &Actor, id: ArticleId) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            let article = records::load(txn, id)?;
            policy::check(subject, Action::ReadArticle { audience: &article.audience, state: article.state }, now)?;
            if article.state == ArticleState::Published {
                records::count_view(txn, month_of(now), article.org)?;
            }
            Ok(())
        })
    }

    /// One article by its slug.
    pub fn get_by_slug(&self, actor: &Actor, slug: &str) -> Result<ArticleDetail> {
        self.ctx.read(actor, |txn, subject, now| {
            let article = records::find_slug(txn, slug)?.ok_or_else(|| Error::not_found("article", slug))?;
            detail(txn, subject, now, article)
        })
    }

    /// Articles in the order they were written, one version per translation group (in the
    /// reader's language when there is one); readers see published articles of their
    /// audience, editors every state.
    pub fn list(&self, actor: &Actor, filter: &ArticleFilter, page: &PageRequest) -> Result<ArticlePage> {
        self.ctx.read(actor, |txn, subject, now| {
            let limit = page.limit()?;
            let first = page.first_id()?;
            let language = preferred_language(subject, filter.language.as_deref())?;
            let editor = policy::allows(subject, Action::ViewEditorial, now);
            let topic_ids = filter.topic.as_deref().map(|t| narrower(txn, t)).transpose()?;
            let mut items: Vec<(ArticleId, ArticleSummary)> = Vec::new();
            let mut more = false;
            let mut consider = |article: Article| -> Result<bool> {
                if let Some(summary) = listed(txn, subject, now, &article, filter, language.as_deref(), editor)? {
                    if items.len() == limit {
                        more = true;
                        return Ok(false);
                    }
                    items.push((article.id, summary));
                }
                Ok(true)
            };
            match &topic_ids {
                Some(ids) => {
                    let mut all: Vec<ArticleId> = Vec::new();
                    for t in ids {
                        all.extend(records::with_topic(txn, *t, first)?);
                    }
                    all.sort();
                    all.dedup();
                    for id in all {
                        if !consider(records::load(txn, id)?)? {
                            break;
                        }
                    }
                }
                None => records::scan(txn, first, consider)?,
            }
            // The cursor is the id the scan stopped at (a group's first version), not the
            // id of the version shown for it.
            let next_cursor = if more { items.last().map(|(id, _)| id.0) } else { None };
            Ok(ArticlePage::new(items.into_iter().map(|(_, s)| s).collect(), next_cursor))
        })
    }

    /// Every revision of an article, oldest first (editors).
    pub fn revisions(&self, actor: &Actor, id: ArticleId) -> Result<Vec<ArticleRevision>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewEditorial, now)?;
            records::load(txn, id)?;
            records::revisions(txn, id)
        })
    }

    /// The line differences from revision `from` to revision `to` (editors).
    pub fn diff(&self, actor: &Actor, id: ArticleId, from: u32, to: u32) -> Result<ArticleDiff> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewEditorial, now)?;
            let old = records::revision(txn, id, from)?;
            let new = records::revision(txn, id, to)?;
            Ok(ArticleDiff { article: id, from, to, lines: diff::lines(&revision_text(&old), &revision_text(&new)) })
        })
    }

    /// Published articles whose check is due on or before `on` (default today), soonest due
    /// first (editors).
    pub fn due(&self, actor: &Actor, on: Option<NaiveDate>, page: &PageRequest) -> Result<ArticlePage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewEditorial, now)?;
            let limit = page.limit()?;
            let after = page.cursor_keys(2)?.map(|k| (k[0], k[1]));
            let on = on.unwrap_or_else(|| now.date_naive());
            let mut found = records::due(txn, on, after, limit)?;
            let more = found.len() > limit;
            found.truncate(limit);
            let cursor = if more {
                found.last().and_then(|a| a.next_check_due.map(|d| cursor_for_keys(&[records::day(d), a.id.0])))
            } else {
                None
            };
            let items = found.iter().map(|a| summary(a, Vec::new())).collect();
            Ok(ArticlePage { items, next_cursor: cursor })
        })
    }
}

/// Creates an article inside a transaction; used by `create` and the import.
fn create(txn: &WriteTxn, subject: &Subject, new: &NewArticle, now: Timestamp) -> Result<Article> {
    let title = validate::required_line("title", &new.title, MAX_TITLE)?;
    let slug = match &new.slug {
        Some(s) => topics::slug("slug", s)?,
        None => slug_from(&title)?,
    };
    if records::find_slug(txn, &slug)?.is_some() {
        return Err(Error::invalid("slug", format!("'{slug}' is taken by another article; choose another slug")));
    }
    let language = language(&new.language)?;
    let id = ArticleId(next_id(txn, "knowledge_articles")?);
    let translation_group = match new.translation_of {
        Some(of) => translation_group(txn, of, &language)?,
        None => id,
    };
    let article = Article {
        id,
        slug,
        title,
        summary: validate::optional_line("summary", new.summary.as_deref(), MAX_SUMMARY)?,
        body: validate::required_text("body", &new.body, MAX_BODY)?,
        language,
        topics: topic_slugs(txn, &new.topics)?,
        audience: audience(txn, new.audience.clone().unwrap_or(Audience::Public))?,
        org: new.org.map(|org| orgs::require_exists(txn, org).map(|_| org)).transpose()?,
        links: links("links", &new.links, |l| (&l.title, &l.url))?,
        attachments: links("attachments", &new.attachments, |a| (&a.name, &a.url))?,
        state: ArticleState::Draft,
        revision: 1,
        author: account_of(subject),
        approved_by: None,
        approved_revision: None,
        checked_on: None,
        next_check_due: None,
        translation_group,
        created_at: now,
        updated_at: now,
        published_at: None,
    };
    records::save(txn, &article, None)?;
    records::save_revision(txn, &revision_of(&article, account_of(subject), now))?;
    Ok(article)
}

/// Applies `change` inside a transaction; used by `edit` and the import.
fn edit(
    txn: &WriteTxn,
    subject: &Subject,
    before: &Article,
    change: &ArticleUpdate,
    now: Timestamp,
) -> Result<Article> {
    let mut a = before.clone();
    if let Some(title) = &change.title {
        a.title = validate::required_line("title", title, MAX_TITLE)?;
    }
    if let Some(summary) = &change.summary {
        a.summary = validate::optional_line("summary", Some(summary), MAX_SUMMARY)?;
    }
    if let Some(body) = &change.body {
        a.body = validate::required_text("body", body, MAX_BODY)?;
    }
    if let Some(t) = &change.topics {
        a.topics = topic_slugs(txn, t)?;
    }
    if let Some(audience_) = &change.audience {
        a.audience = audience(txn, audience_.clone())?;
    }
    if change.clear_org {
        a.org = None;
    } else if let Some(org) = change.org {
        orgs::require_exists(txn, org)?;
        a.org = Some(org);
    }
    if let Some(l) = &change.links {
        a.links = links("links", l, |l| (&l.title, &l.url))?;
    }
    if let Some(l) = &change.attachments {
        a.attachments = links("attachments", l, |a| (&a.name, &a.url))?;
    }
    if a == *before {
        return Ok(a);
    }
    let text_changed = (&a.title, &a.summary, &a.body) != (&before.title, &before.summary, &before.body);
    if text_changed {
        a.revision += 1;
        a.state = ArticleState::Draft;
        a.approved_by = None;
        a.approved_revision = None;
        records::save_revision(txn, &revision_of(&a, account_of(subject), now))?;
    }
    a.updated_at = now;
    records::save(txn, &a, Some(before))?;
    Ok(a)
}

fn revision_of(a: &Article, author: Option<AccountId>, at: Timestamp) -> ArticleRevision {
    ArticleRevision {
        article: a.id,
        number: a.revision,
        author,
        at,
        title: a.title.clone(),
        summary: a.summary.clone(),
        body: a.body.clone(),
    }
}

/// The text a diff compares: title, summary, then the body.
fn revision_text(r: &ArticleRevision) -> String {
    format!("# {}\n{}\n\n{}", r.title, r.summary.as_deref().unwrap_or(""), r.body)
}

fn require_state(article: &Article, allowed: &[ArticleState], what: &str) -> Result<()> {
    if allowed.contains(&article.state) {
        return Ok(());
    }
    let hint = match article.state {
        ArticleState::Draft => "submit it first (`trialog knowledge submit`)",
        ArticleState::InReview => "it waits for a second editor's approval",
        ArticleState::Published => "it is published",
        ArticleState::Archived => "it is archived; edit it to start a new draft",
    };
    Err(Error::conflict(format!("cannot {what} article {} in state {}: {hint}", article.id, article.state)))
}

/// Sets "checked on" to today. The next check is `next` when given; else a next check that is
/// still ahead (set by an import's `checked_on`) stays; else it falls 12 months from today.
fn set_checked(article: &mut Article, now: Timestamp, next: Option<NaiveDate>) -> Result<()> {
    let today = now.date_naive();
    let next = match next {
        Some(d) if d <= today => {
            return Err(Error::invalid("next_check_due", format!("{d} is not after today ({today})")));
        }
        Some(d) => d,
        None => match article.next_check_due {
            Some(due) if due > today && article.state != ArticleState::Published => due,
            _ => today.checked_add_months(Months::new(CHECK_INTERVAL_MONTHS)).unwrap_or(today),
        },
    };
    article.checked_on = Some(today);
    article.next_check_due = Some(next);
    Ok(())
}

/// The check dates an imported file states: checked on `date`, next check 12 months later.
fn set_check_dates(article: &mut Article, date: NaiveDate) {
    article.checked_on = Some(date);
    article.next_check_due = Some(date.checked_add_months(Months::new(CHECK_INTERVAL_MONTHS)).unwrap_or(date));
}

fn account_of(subject: &Subject) -> Option<AccountId> {
    match subject {
        Subject::Member(me) => Some(me.id),
        _ => None,
    }
}

/// The group `of` belongs to, refusing a second version in one language.
fn translation_group(txn: &impl Reader, of: ArticleId, language: &str) -> Result<ArticleId> {
    let original =
        records::load(txn, of).map_err(|_| Error::invalid("translation_of", format!("article {of} does not exist")))?;
    for version in records::versions(txn, original.translation_group)? {
        if version.language == language {
            return Err(Error::invalid(
                "translation_of",
                format!("article {of} already has a version in '{language}' (article {})", version.id),
            ));
        }
    }
    Ok(original.translation_group)
}

fn language(value: &str) -> Result<String> {
    Ok(validate::languages("language", &[value.to_string()])?.remove(0))
}

fn topic_slugs(txn: &impl Reader, slugs: &[String]) -> Result<Vec<String>> {
    if slugs.len() > MAX_TOPICS {
        return Err(Error::invalid("topics", format!("{} topics; at most {MAX_TOPICS}", slugs.len())));
    }
    topics::require_all(txn, "topics", slugs)
}

fn audience(txn: &impl Reader, audience: Audience) -> Result<Audience> {
    match &audience {
        Audience::Perspectives { perspectives } if perspectives.is_empty() => {
            Err(Error::invalid("audience", "a perspectives audience needs at least one perspective"))
        }
        Audience::Organisation { org } => orgs::require_exists(txn, *org).map(|_| audience.clone()),
        _ => Ok(audience),
    }
}

/// Links or attachments: a non-empty name and an `https://` address each.
fn links<T: Clone>(field: &str, items: &[T], parts: impl Fn(&T) -> (&String, &String)) -> Result<Vec<T>> {
    if items.len() > MAX_LINKS {
        return Err(Error::invalid(field, format!("{} entries; at most {MAX_LINKS}", items.len())));
    }
    for item in items {
        let (name, url) = parts(item);
        validate::required_line(&format!("{field}.name"), name, MAX_TITLE)?;
        https_url(&format!("{field}.url"), url)?;
    }
    Ok(items.to_vec())
}

fn https_url(field: &str, value: &str) -> Result<()> {
    let ok = value.len() <= MAX_URL
        && value.strip_prefix("https://").is_some_and(|rest| {
            let host = rest.split('/').next().unwrap_or("");
            host.contains('.') && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, "is not an https:// address (files are referenced by address, never stored)"))
    }
}

/// A slug made of the title's letters and digits.
fn slug_from(title: &str) -> Result<String> {
    let folded = crate::text::fold(title);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    topics::slug("slug", slug.trim_end_matches('-'))
        .map_err(|_| Error::invalid("slug", "cannot be made from the title; give one"))
}

/// The reader's language: the filter's, else the account's first.
fn preferred_language(subject: &Subject, asked: Option<&str>) -> Result<Option<String>> {
    match asked {
        Some(l) => language(l).map(Some),
        None => Ok(match subject {
            Subject::Member(me) => me.languages.first().cloned(),
            _ => None,
        }),
    }
}

/// The topic and every topic below it.
fn narrower(txn: &impl Reader, slug: &str) -> Result<Vec<topics::TopicId>> {
    let wanted = topics::narrower_slugs(txn, slug)?;
    Ok(topics::all(txn)?.iter().filter(|t| wanted.contains(&t.slug)).map(|t| t.id).collect())
}

fn readable(subject: &Subject, now: Timestamp, article: &Article) -> bool {
    policy::allows(subject, Action::ReadArticle { audience: &article.audience, state: article.state }, now)
}

/// The summary a listing shows for `article`, or `None` when it is filtered out or another
/// version of its group stands for it.
fn listed(
    txn: &impl Reader,
    subject: &Subject,
    now: Timestamp,
    article: &Article,
    filter: &ArticleFilter,
    language: Option<&str>,
    editor: bool,
) -> Result<Option<ArticleSummary>> {
    let state_ok = match filter.state {
        Some(s) => article.state == s && (editor || s == ArticleState::Published),
        None => editor || article.state == ArticleState::Published,
    };
    if !state_ok || filter.org.is_some_and(|o| article.org != Some(o)) || !readable(subject, now, article) {
        return Ok(None);
    }
    let Some(language) = language else { return Ok(Some(summary(article, Vec::new()))) };
    let group: Vec<Article> = records::versions(txn, article.translation_group)?
        .into_iter()
        .filter(|v| filter.state.is_none_or(|s| v.state == s) && (editor || v.state == ArticleState::Published))
        .filter(|v| filter.org.is_none_or(|o| v.org == Some(o)) && readable(subject, now, v))
        .collect();
    let chosen = group.iter().find(|v| v.language == language).or_else(|| group.first());
    let first = group.iter().map(|v| v.id).min();
    if chosen.is_none() || first != Some(article.id) {
        return Ok(None);
    }
    let chosen = chosen.cloned().unwrap_or_else(|| article.clone());
    let others = group.iter().filter(|v| v.id != chosen.id).map(|v| v.language.clone()).collect();
    Ok(Some(summary(&chosen, others)))
}

/// An article as a listing shows it.
pub(crate) fn summary(a: &Article, other_languages: Vec<String>) -> ArticleSummary {
    ArticleSummary {
        id: a.id,
        slug: a.slug.clone(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        language: a.language.clone(),
        topics: a.topics.clone(),
        state: a.state,
        next_check_due: a.next_check_due,
        other_languages,
        updated_at: a.updated_at,
    }
}

fn detail(txn: &impl Reader, subject: &Subject, now: Timestamp, article: Article) -> Result<ArticleDetail> {
    policy::check(subject, Action::ReadArticle { audience: &article.audience, state: article.state }, now)?;
    let translations = records::versions(txn, article.translation_group)?
        .into_iter()
        .filter(|v| v.id != article.id && readable(subject, now, v))
        .map(|v| summary(&v, Vec::new()))
        .collect();
    Ok(ArticleDetail { html: markup::to_html(&article.body), article, translations })
}

fn target(id: ArticleId) -> String {
    format!("article:{id}")
}

/// Registration of the knowledge domain: its tables, integrity check and figures.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "knowledge",
    tick: crate::store::Domain::nothing_due,
    personal: None,
    figures: Some(figures::gather),
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found| {
        let n = records::check_integrity(txn, &mut found.problems)?;
        found.count("knowledge_articles", n);
        Ok(())
    },
};
