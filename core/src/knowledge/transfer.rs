//! Import and export of folders of Markdown files (see [`super::markdown`] for the format).
//!
//! An import is all or nothing: every file is checked (front matter, topics, languages,
//! translation links, slugs), every problem is reported with its file, line and field, and
//! with any problem nothing is written. Translation links may point to files of the same
//! import or to articles already stored. A file whose slug exists updates that article (a new
//! revision when the text changed, which takes it back to draft); an unchanged file is left
//! alone.

use std::collections::BTreeMap;

use super::markdown::{self, Parsed, Render};
use super::model::{
    Article, ArticleFile, ArticleId, ArticleImport, ArticleState, ArticleUpdate, FileProblem, NewArticle,
};
use super::{Knowledge, create, edit, readable, records};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::policy::{self, Action};
use crate::store::{Ending, WriteTxn};

/// Most files one import takes.
const MAX_FILES: usize = 20_000;
/// Largest file, in bytes.
const MAX_FILE_BYTES: usize = 400_000;

impl Knowledge<'_> {
    /// Imports Markdown files with front matter (editors and admins); `submit` puts new and
    /// changed articles in review. All or nothing; see the module documentation.
    pub fn import(&self, actor: &Actor, files: &[ArticleFile], submit: bool, dry_run: bool) -> Result<ArticleImport> {
        if files.len() > MAX_FILES {
            return Err(Error::invalid("files", format!("{} files; at most {MAX_FILES} per import", files.len())));
        }
        let now = self.platform.now();
        self.platform.store().write_or_roll_back(|txn| {
            let subject = self.platform.resolve(txn, actor)?;
            policy::check(&subject, Action::WriteArticles, now)?;
            let mut report = ArticleImport {
                valid_files: 0,
                created: Vec::new(),
                updated: Vec::new(),
                unchanged: 0,
                problems: Vec::new(),
                dry_run,
            };
            let parsed = parse_all(files, &mut report.problems);
            for (path, file) in order(&parsed) {
                match import_file(txn, &subject, file, submit, now) {
                    Ok(Outcome::Created(id)) => report.created.push(id),
                    Ok(Outcome::Updated(id)) => report.updated.push(id),
                    Ok(Outcome::Unchanged) => report.unchanged += 1,
                    Err(e @ (Error::Storage { .. } | Error::Internal { .. })) => return Err(e),
                    Err(e) => report.problems.push(problem(path, file, &e)),
                }
            }
            report.valid_files = (files.len()
                - report.problems.iter().map(|p| &p.file).collect::<std::collections::BTreeSet<_>>().len())
                as u64;
            if dry_run || !report.problems.is_empty() {
                report.created.clear();
                report.updated.clear();
                report.unchanged = 0;
                // Rolling back is how a dry run or a refused import leaves nothing behind.
                return Ok((report, Ending::RollBack));
            }
            let note = format!("{} created, {} updated", report.created.len(), report.updated.len());
            audit::append(txn, now, actor, "article.import", "knowledge", Some(&note))?;
            Ok((report, Ending::Commit))
        })
    }

    /// Every article the actor may read, as Markdown files named `<language>/<slug>.md`.
    pub fn export(&self, actor: &Actor) -> Result<Vec<ArticleFile>> {
        self.platform.read(actor, |txn, subject, now| {
            let mut files = Vec::new();
            let mut firsts: BTreeMap<ArticleId, String> = BTreeMap::new();
            records::scan(txn, 0, |article| {
                if readable(subject, now, &article) {
                    if article.translation_group == article.id {
                        firsts.insert(article.id, article.slug.clone());
                    }
                    files.push(article);
                }
                Ok(true)
            })?;
            let mut out = Vec::with_capacity(files.len());
            for a in &files {
                let of = match a.translation_group {
                    g if g == a.id => None,
                    g => Some(match firsts.get(&g) {
                        Some(slug) => slug.clone(),
                        None => records::load(txn, g)?.slug,
                    }),
                };
                out.push(ArticleFile { path: format!("{}/{}.md", a.language, a.slug), text: render(a, of.as_deref()) });
            }
            Ok(out)
        })
    }
}

fn render(a: &Article, translation_of: Option<&str>) -> String {
    markdown::render(&Render {
        title: &a.title,
        language: &a.language,
        topics: &a.topics,
        audience: &a.audience,
        summary: a.summary.as_deref(),
        slug: &a.slug,
        translation_of,
        body: &a.body,
    })
}

enum Outcome {
    Created(ArticleId),
    Updated(ArticleId),
    Unchanged,
}

/// Parses every file, reporting bad ones and slugs that two files claim.
fn parse_all<'f>(files: &'f [ArticleFile], problems: &mut Vec<FileProblem>) -> Vec<(&'f str, Parsed)> {
    let mut out: Vec<(&str, Parsed)> = Vec::new();
    let mut slugs: BTreeMap<String, &str> = BTreeMap::new();
    for file in files {
        if file.text.len() > MAX_FILE_BYTES {
            problems.push(FileProblem {
                file: file.path.clone(),
                line: 0,
                field: String::new(),
                reason: format!("is {} bytes; at most {MAX_FILE_BYTES}", file.text.len()),
            });
            continue;
        }
        match markdown::parse(&file.path, &file.text) {
            Err(found) => problems.extend(found),
            Ok(parsed) => {
                if let Some(other) = slugs.insert(parsed.slug.clone(), &file.path) {
                    problems.push(FileProblem {
                        file: file.path.clone(),
                        line: parsed.lines.get("slug").copied().unwrap_or(0),
                        field: "slug".into(),
                        reason: format!("'{}' is also the slug of {other}", parsed.slug),
                    });
                    continue;
                }
                out.push((&file.path, parsed));
            }
        }
    }
    out
}

/// Files in an order where every translation comes after the file it translates (when that
/// is in the import): originals first, then translations of originals, and so on.
fn order<'a>(parsed: &'a [(&'a str, Parsed)]) -> Vec<(&'a str, &'a Parsed)> {
    let in_batch: BTreeMap<&str, &Parsed> = parsed.iter().map(|(_, p)| (p.slug.as_str(), p)).collect();
    let depth = |p: &Parsed| {
        let mut d = 0;
        let mut at = p;
        while let Some(next) = at.translation_of.as_deref().and_then(|s| in_batch.get(s)) {
            d += 1;
            if d > parsed.len() {
                break;
            }
            at = next;
        }
        d
    };
    let mut out: Vec<(usize, &str, &Parsed)> = parsed.iter().map(|(path, p)| (depth(p), *path, p)).collect();
    out.sort_by_key(|(d, _, _)| *d);
    out.into_iter().map(|(_, path, p)| (path, p)).collect()
}

fn import_file(txn: &WriteTxn, subject: &Subject, file: &Parsed, submit: bool, now: Timestamp) -> Result<Outcome> {
    let translation_of = match &file.translation_of {
        Some(slug) => Some(
            records::find_slug(txn, slug)?
                .ok_or_else(|| Error::invalid("translation_of", format!("no article or file has the slug '{slug}'")))?,
        ),
        None => None,
    };
    let outcome = match records::find_slug(txn, &file.slug)? {
        Some(existing) => {
            if let Some(of) = &translation_of
                && of.translation_group != existing.translation_group
            {
                return Err(Error::invalid(
                    "translation_of",
                    format!(
                        "'{}' is stored as a version of another article; translation links are set once",
                        file.slug
                    ),
                ));
            }
            if existing.language != file.language.trim().to_ascii_lowercase() {
                return Err(Error::invalid(
                    "language",
                    format!("'{}' is stored in '{}'; languages do not change", file.slug, existing.language),
                ));
            }
            let change = ArticleUpdate {
                title: Some(file.title.clone()),
                summary: Some(file.summary.clone().unwrap_or_default()),
                body: Some(file.body.clone()),
                topics: Some(file.topics.clone()),
                audience: Some(file.audience.clone()),
                ..ArticleUpdate::default()
            };
            let after = edit(txn, subject, &existing, &change, now)?;
            if after == existing {
                return Ok(Outcome::Unchanged);
            }
            Outcome::Updated(after.id)
        }
        None => {
            let new = NewArticle {
                title: file.title.clone(),
                body: file.body.clone(),
                language: file.language.clone(),
                slug: Some(file.slug.clone()),
                summary: file.summary.clone(),
                topics: file.topics.clone(),
                audience: Some(file.audience.clone()),
                org: None,
                links: Vec::new(),
                attachments: Vec::new(),
                translation_of: translation_of.map(|a| a.id),
            };
            Outcome::Created(create(txn, subject, &new, now)?.id)
        }
    };
    if submit {
        let id = match outcome {
            Outcome::Created(id) | Outcome::Updated(id) => id,
            Outcome::Unchanged => return Ok(outcome),
        };
        let before = records::load(txn, id)?;
        if before.state == ArticleState::Draft {
            let after = Article { state: ArticleState::InReview, updated_at: now, ..before.clone() };
            records::save(txn, &after, Some(&before))?;
        }
    }
    Ok(outcome)
}

/// A problem of a file, placed on the line of the front matter key at fault.
fn problem(path: &str, file: &Parsed, error: &Error) -> FileProblem {
    let (field, reason) = match error {
        Error::InvalidInput { field, reason } => (field.clone(), reason.clone()),
        other => (String::new(), other.to_string()),
    };
    let key = field.split('.').next().unwrap_or("");
    let line = file.lines.iter().find(|(k, _)| **k == key).map_or(0, |(_, l)| *l);
    FileProblem { file: path.to_string(), line, field, reason }
}
