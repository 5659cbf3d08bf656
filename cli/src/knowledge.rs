//! `trialog knowledge ...` and `trialog topics ...`: the knowledge base's articles, their
//! editorial workflow (four eyes), revisions, review dates and Markdown folders; the topics
//! thesaurus and its CSV file.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use trialog_core::OrgId;
use trialog_core::{
    Article, ArticleDetail, ArticleFile, ArticleFilter, ArticleId, ArticleState, ArticleSummary, ArticleUpdate,
    Audience, DiffOp, NewArticle, NewTopic, Topic, TopicLabel, TopicRow, TopicUpdate,
};

use crate::args::PageArgs;
use crate::failure::{EXIT_USER, Failure};
use crate::forums::{BodyArgs, body_text};
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash, when};
use crate::permissions::write_private_new;
use crate::session::Session;

/// `trialog knowledge ...`.
#[derive(Debug, Subcommand)]
pub enum KnowledgeCommand {
    /// Write a new article as a draft (editors: --as).
    New(ArticleNew),
    /// Change an article; a changed title, summary or body is a new revision and back to draft.
    Edit(ArticleEdit),
    /// Submit a draft for review by a second editor.
    Submit(IdArg),
    /// Approve an article in review (a second editor, never its author: --as).
    Approve(CheckArgs),
    /// Publish an article in review whose current revision was approved.
    Publish(IdArg),
    /// Withdraw an article from readers, keeping its history.
    Archive(IdArg),
    /// Confirm a published article is still correct (sets checked on and the next check).
    Checked(CheckArgs),
    /// Show one article (by id or slug) with its language versions; a published article's
    /// view is counted for the reports.
    Show {
        /// The article's id or slug.
        article: String,
    },
    /// List articles, one language version each (the reader's language when there is one).
    List(ArticleList),
    /// List the revisions of an article with author and time (editors).
    Revisions(IdArg),
    /// Show the line differences between two revisions (editors).
    Diff {
        /// The article's id.
        id: u64,
        /// The earlier revision number.
        from: u32,
        /// The later revision number.
        to: u32,
    },
    /// List published articles whose check is due (editors).
    Due {
        /// Due on or before this date (YYYY-MM-DD); default today.
        #[arg(long)]
        on: Option<NaiveDate>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Import a folder of Markdown files with front matter (all or nothing).
    Import {
        /// The folder; its .md files are read, subfolders too.
        dir: PathBuf,
        /// Put new and changed articles in review at once.
        #[arg(long)]
        submit: bool,
        /// Only check the files; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export every article you may read as DIR/<language>/<slug>.md (new files only).
    Export {
        /// The folder to write into (created when missing).
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// The article's id.
    pub id: u64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The article's id.
    pub id: u64,
    /// When the next check is due (YYYY-MM-DD); default 12 months from today.
    #[arg(long)]
    pub next_due: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct ArticleNew {
    /// The title, one line.
    #[arg(long)]
    pub title: String,
    /// ISO 639-1 language code: de, da, en, ...
    #[arg(long)]
    pub lang: String,
    #[command(flatten)]
    pub body: BodyArgs,
    /// A short summary shown in listings.
    #[arg(long)]
    pub summary: Option<String>,
    /// The slug (lower-case letters, digits, '-'); default made from the title.
    #[arg(long)]
    pub slug: Option<String>,
    /// A topic slug (repeat for several).
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// Who reads it once published: public, members, perspectives (relative,lived_experience) or org:ID.
    #[arg(long)]
    pub audience: Option<String>,
    /// The id of the organisation responsible for the content.
    #[arg(long)]
    pub org: Option<OrgId>,
    /// Make it a language version of this article id (in another language).
    #[arg(long)]
    pub translation_of: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ArticleEdit {
    /// The article's id.
    pub id: u64,
    /// A new title.
    #[arg(long)]
    pub title: Option<String>,
    /// A new summary; an empty value removes it.
    #[arg(long)]
    pub summary: Option<String>,
    /// A new body.
    #[arg(long)]
    pub body: Option<String>,
    /// Read the new body from a file, or from standard input with -.
    #[arg(long, value_name = "PATH", conflicts_with = "body")]
    pub body_file: Option<PathBuf>,
    /// Replace the topics (repeat for several).
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// A new audience: public, members, perspectives or org:ID.
    #[arg(long)]
    pub audience: Option<String>,
}

#[derive(Debug, Args)]
pub struct ArticleList {
    /// Only articles with this topic (or a narrower one).
    #[arg(long)]
    pub topic: Option<String>,
    /// Only this state (editors): draft, in_review, published, archived.
    #[arg(long)]
    pub state: Option<String>,
    /// Your language: of each article its version in this language, else the first version.
    #[arg(long)]
    pub lang: Option<String>,
    /// Only articles this organisation is responsible for.
    #[arg(long)]
    pub org: Option<OrgId>,
    #[command(flatten)]
    pub page: PageArgs,
}

/// `trialog topics ...`.
#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// Add a topic (admins).
    Add(TopicArgs),
    /// Change a topic's parent, labels or related topics (admins).
    Edit(TopicArgs),
    /// Show one topic.
    Show {
        /// The topic's slug.
        slug: String,
    },
    /// List topics.
    List(PageArgs),
    /// Import a topics CSV file: topic,parent,lang,pref,alt,related (all or nothing; admins).
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Only check the file; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export every topic as CSV (to a new file, or standard output).
    Export {
        /// Write to this new file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct TopicArgs {
    /// The slug: lower-case letters, digits and inner '-'; never changes.
    pub slug: String,
    /// A label as LANG:PREFERRED[|ALT|ALT...], e.g. 'de:Netzwerkarbeit|Vernetzung' (repeat per language).
    #[arg(long = "label")]
    pub labels: Vec<String>,
    /// The broader topic's slug (edit: an empty value makes it top-level).
    #[arg(long)]
    pub parent: Option<String>,
    /// A related topic's slug (repeat; edit: replaces the list).
    #[arg(long = "related")]
    pub related: Vec<String>,
}

/// Runs one `knowledge` command.
pub fn run(session: &Session, command: KnowledgeCommand) -> Result<(), Failure> {
    let k = session.platform.knowledge();
    let a = &session.actor;
    let done = |article: Article, what: &str| {
        session.out.record(&article, Some(&format!("article {} {what}", article.id)), &block(&article));
        Ok(())
    };
    match command {
        KnowledgeCommand::New(args) => {
            let new = NewArticle {
                title: args.title,
                language: args.lang,
                body: body_text(args.body)?,
                summary: args.summary,
                slug: args.slug,
                topics: args.topics,
                audience: args.audience.as_deref().map(str::parse::<Audience>).transpose()?,
                org: args.org,
                links: Vec::new(),
                attachments: Vec::new(),
                translation_of: args.translation_of.map(ArticleId),
            };
            done(k.create(a, &new)?, "written as a draft; submit it for review with `trialog knowledge submit`")
        }
        KnowledgeCommand::Edit(args) => {
            let body = match (args.body, args.body_file) {
                (None, None) => None,
                (body, file) => Some(body_text(BodyArgs { body, body_file: file })?),
            };
            let change = ArticleUpdate {
                title: args.title,
                summary: args.summary,
                body,
                topics: (!args.topics.is_empty()).then_some(args.topics),
                audience: args.audience.as_deref().map(str::parse::<Audience>).transpose()?,
                ..ArticleUpdate::default()
            };
            done(k.edit(a, ArticleId(args.id), &change)?, "updated")
        }
        KnowledgeCommand::Submit(x) => done(k.submit(a, ArticleId(x.id))?, "is in review"),
        KnowledgeCommand::Approve(x) => done(k.approve(a, ArticleId(x.id), x.next_due)?, "is approved"),
        KnowledgeCommand::Publish(x) => done(k.publish(a, ArticleId(x.id))?, "is published"),
        KnowledgeCommand::Archive(x) => done(k.archive(a, ArticleId(x.id))?, "is archived"),
        KnowledgeCommand::Checked(x) => done(k.mark_checked(a, ArticleId(x.id), x.next_due)?, "is checked"),
        KnowledgeCommand::Show { article } => {
            let detail = match article.parse::<u64>() {
                Ok(id) => k.get(a, ArticleId(id))?,
                Err(_) => k.get_by_slug(a, &article)?,
            };
            k.record_view(a, detail.article.id)?;
            show(session, &detail);
            Ok(())
        }
        KnowledgeCommand::List(args) => {
            let filter = ArticleFilter {
                topic: args.topic,
                state: args.state.as_deref().map(str::parse::<ArticleState>).transpose()?,
                language: args.lang,
                org: args.org,
            };
            let page = k.list(a, &filter, &page_request(args.page))?;
            session.out.page(&page.items, page.next_cursor.as_deref(), &table(&page.items));
            Ok(())
        }
        KnowledgeCommand::Revisions(x) => {
            let revisions = k.revisions(a, ArticleId(x.id))?;
            let mut t = Table::new(&["REVISION", "AUTHOR", "AT", "TITLE"]);
            for r in &revisions {
                let author = r.author.map_or("operator".to_string(), |id| format!("account {id}"));
                t.row(vec![r.number.to_string(), author, when(r.at), r.title.clone()]);
            }
            session.out.page(&revisions, None, &t);
            Ok(())
        }
        KnowledgeCommand::Diff { id, from, to } => {
            let diff = k.diff(a, ArticleId(id), from, to)?;
            if session.out.json {
                session.out.json(&diff);
            } else {
                for line in &diff.lines {
                    let mark = match line.op {
                        DiffOp::Same => ' ',
                        DiffOp::Added => '+',
                        DiffOp::Removed => '-',
                    };
                    outln!("{mark} {}", crate::output::printable(&line.text));
                }
            }
            Ok(())
        }
        KnowledgeCommand::Due { on, page } => {
            let page = k.due(a, on, &page_request(page))?;
            session.out.page(&page.items, page.next_cursor.as_deref(), &table(&page.items));
            Ok(())
        }
        KnowledgeCommand::Import { dir, submit, dry_run } => import(session, &dir, submit, dry_run),
        KnowledgeCommand::Export { dir } => export(session, &dir),
    }
}

fn import(session: &Session, dir: &Path, submit: bool, dry_run: bool) -> Result<(), Failure> {
    let mut files = Vec::new();
    read_folder(dir, dir, &mut files)?;
    files.sort_by(|x, y| x.path.cmp(&y.path));
    if files.is_empty() {
        return Err(Failure::usage(format!("{} holds no .md files", dir.display()), "give the folder of an export"));
    }
    let report = session.platform.knowledge().import(&session.actor, &files, submit, dry_run)?;
    if session.out.json {
        session.out.json(&report);
    } else {
        for p in &report.problems {
            outln!("{}", crate::output::printable(&p.to_string()));
        }
        let verb = if dry_run { "would import" } else { "imported" };
        outln!(
            "{} files: {} valid; {verb} {} new, {} changed, {} unchanged",
            files.len(),
            report.valid_files,
            report.created.len(),
            report.updated.len(),
            report.unchanged
        );
    }
    if report.problems.is_empty() {
        return Ok(());
    }
    let mut failure = Failure::usage(
        format!("{} problems in {} files; nothing was imported", report.problems.len(), files.len()),
        "fix the files and fields listed above and import the folder again",
    );
    failure.kind = "bad_files";
    failure.exit = EXIT_USER;
    Err(failure)
}

/// Collects the `.md` files below `dir`, with paths relative to `root`.
fn read_folder(root: &Path, dir: &Path, files: &mut Vec<ArticleFile>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| Failure::io(&format!("cannot read {}", dir.display()), e))?;
    for entry in entries {
        let path = entry.map_err(|e| Failure::io(&format!("cannot read {}", dir.display()), e))?.path();
        if path.is_dir() {
            read_folder(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::io(&format!("cannot read {}", path.display()), e))?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            files.push(ArticleFile { path: relative, text });
        }
    }
    Ok(())
}

fn export(session: &Session, dir: &Path) -> Result<(), Failure> {
    let files = session.platform.knowledge().export(&session.actor)?;
    for file in &files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::io(&format!("cannot create {}", parent.display()), e))?;
        }
        write_private_new(&path, &file.text)
            .map_err(|e| Failure::io(&format!("cannot write {}", path.display()), e))?;
    }
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    if session.out.json {
        session.out.list_json(&paths);
    } else {
        outln!("wrote {} articles to {}", files.len(), dir.display());
    }
    Ok(())
}

fn show(session: &Session, detail: &ArticleDetail) {
    let a = &detail.article;
    let versions: Vec<String> = detail.translations.iter().map(|t| format!("{} ({})", t.language, t.id)).collect();
    let b = block(a)
        .line("summary", or_dash(a.summary.as_deref()))
        .line("translations", if versions.is_empty() { "-".into() } else { versions.join(", ") })
        .line("links", a.links.iter().map(|l| format!("{} <{}>", l.title, l.url)).collect::<Vec<_>>().join(", "))
        .line(
            "attachments",
            a.attachments.iter().map(|l| format!("{} <{}>", l.name, l.url)).collect::<Vec<_>>().join(", "),
        );
    session.out.record(detail, None, &b);
    if !session.out.json {
        outln!("\n{}", crate::output::printable_body(&a.body));
    }
}

fn block(a: &Article) -> Block {
    Block::new()
        .line("id", a.id.to_string())
        .line("slug", a.slug.clone())
        .line("title", a.title.clone())
        .line("language", a.language.clone())
        .line("state", a.state.to_string())
        .line("revision", a.revision.to_string())
        .line("topics", a.topics.join(", "))
        .line("audience", a.audience.to_string())
        .line("checked on", a.checked_on.map_or("-".into(), |d| d.to_string()))
        .line("next check due", a.next_check_due.map_or("-".into(), |d| d.to_string()))
        .line("updated", when(a.updated_at))
}

fn table(items: &[ArticleSummary]) -> Table {
    let mut t = Table::new(&["ID", "LANG", "STATE", "DUE", "TITLE", "TOPICS"]);
    for s in items {
        t.row(vec![
            s.id.to_string(),
            s.language.clone(),
            s.state.to_string(),
            s.next_check_due.map_or("-".into(), |d| d.to_string()),
            s.title.clone(),
            s.topics.join(", "),
        ]);
    }
    t
}

/// Runs one `topics` command.
pub fn run_topics(session: &Session, command: TopicsCommand) -> Result<(), Failure> {
    let t = session.platform.topics();
    let a = &session.actor;
    match command {
        TopicsCommand::Add(args) => {
            let new = NewTopic {
                slug: args.slug,
                parent: args.parent,
                labels: args.labels.iter().map(|l| label(l)).collect::<Result<_, _>>()?,
                related: args.related,
            };
            let topic = t.add(a, &new)?;
            session.out.record(&topic, Some(&format!("added topic {}", topic.slug)), &topic_block(&topic));
            Ok(())
        }
        TopicsCommand::Edit(args) => {
            let change = TopicUpdate {
                parent: args.parent,
                labels: if args.labels.is_empty() {
                    None
                } else {
                    Some(args.labels.iter().map(|l| label(l)).collect::<Result<_, _>>()?)
                },
                related: (!args.related.is_empty()).then_some(args.related),
            };
            let topic = t.edit(a, &args.slug, &change)?;
            session.out.record(&topic, Some(&format!("updated topic {}", topic.slug)), &topic_block(&topic));
            Ok(())
        }
        TopicsCommand::Show { slug } => {
            let topic = t.get(a, &slug)?;
            session.out.record(&topic, None, &topic_block(&topic));
            Ok(())
        }
        TopicsCommand::List(page) => {
            let page = t.list(a, &page_request(page))?;
            let mut table = Table::new(&["SLUG", "PARENT", "LABELS", "RELATED"]);
            for topic in &page.items {
                table.row(vec![
                    topic.slug.clone(),
                    or_dash(topic.parent.as_deref()),
                    labels_text(topic),
                    topic.related.join(", "),
                ]);
            }
            session.out.page(&page.items, page.next_cursor.as_deref(), &table);
            Ok(())
        }
        TopicsCommand::Import { file, dry_run } => import_topics(session, &file, dry_run),
        TopicsCommand::Export { output } => export_topics(session, output.as_deref()),
    }
}

/// `de:Netzwerkarbeit|Vernetzung|Kooperation`.
fn label(text: &str) -> Result<TopicLabel, Failure> {
    let Some((lang, names)) = text.split_once(':') else {
        return Err(Failure::usage(
            format!("'{text}' is not LANG:LABEL"),
            "write a label as de:Netzwerkarbeit|Vernetzung",
        ));
    };
    let mut names = names.split('|').map(str::trim).filter(|n| !n.is_empty()).map(String::from);
    let pref = names.next().unwrap_or_default();
    Ok(TopicLabel { lang: lang.trim().into(), pref, alt: names.collect() })
}

fn labels_text(topic: &Topic) -> String {
    topic.labels.iter().map(|l| format!("{}:{}", l.lang, l.pref)).collect::<Vec<_>>().join(", ")
}

fn topic_block(topic: &Topic) -> Block {
    let mut b = Block::new().line("slug", topic.slug.clone()).line("parent", or_dash(topic.parent.as_deref()));
    for l in &topic.labels {
        let alt = if l.alt.is_empty() { String::new() } else { format!(" (also: {})", l.alt.join(", ")) };
        b = b.line(&format!("label {}", l.lang), format!("{}{alt}", l.pref));
    }
    b.line("related", topic.related.join(", ")).line("updated", when(topic.updated_at))
}

const TOPIC_HEADER: [&str; 6] = ["topic", "parent", "lang", "pref", "alt", "related"];

/// The rows of a topics CSV file (`name` for messages); a wrong header or a broken line is a
/// usage failure.
pub fn topic_rows(text: &str, name: &str) -> Result<Vec<TopicRow>, Failure> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Failure::usage(format!("cannot read the header: {e}"), topics_hint()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != TOPIC_HEADER {
        return Err(Failure::usage(format!("the header is '{}'", header.join(",")), topics_hint()));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Failure::usage(format!("{name}: {e}"), topics_hint()))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        rows.push(TopicRow {
            line,
            topic: cell(0),
            parent: Some(cell(1)).filter(|p| !p.trim().is_empty()),
            lang: cell(2),
            pref: cell(3),
            alt: cell(4),
            related: cell(5),
        });
    }
    Ok(rows)
}

fn import_topics(session: &Session, file: &Path, dry_run: bool) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| Failure::io(&format!("cannot read {}", file.display()), e))?;
    let rows = topic_rows(&text, &file.display().to_string())?;
    let report = session.platform.topics().import(&session.actor, &rows, dry_run)?;
    if session.out.json {
        session.out.json(&report);
    } else {
        for p in &report.problems {
            outln!("{}", crate::output::printable(&p.to_string()));
        }
        let verb = if dry_run || !report.problems.is_empty() { "would add" } else { "added" };
        outln!("{} rows: {verb} {} topics, update {}", rows.len(), report.created, report.updated);
    }
    if report.problems.is_empty() {
        return Ok(());
    }
    let mut failure = Failure::usage(
        format!("{} problems; nothing was imported", report.problems.len()),
        "fix the lines and columns listed above and import the file again",
    );
    failure.kind = "bad_rows";
    failure.exit = EXIT_USER;
    Err(failure)
}

fn topics_hint() -> String {
    format!("a topics file is CSV with the header {}; alt and related are '|'-separated", TOPIC_HEADER.join(","))
}

fn export_topics(session: &Session, output: Option<&Path>) -> Result<(), Failure> {
    let rows = session.platform.topics().export(&session.actor)?;
    if session.out.json && output.is_none() {
        session.out.list_json(&rows);
        return Ok(());
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Failure::usage(format!("cannot write CSV: {e}"), "try again");
    writer.write_record(TOPIC_HEADER).map_err(failed)?;
    for r in &rows {
        let parent = r.parent.clone().unwrap_or_default();
        writer.write_record([&r.topic, &parent, &r.lang, &r.pref, &r.alt, &r.related]).map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| Failure::usage(format!("cannot write CSV: {e}"), "try again"))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match output {
        None => out!("{text}"),
        Some(path) => {
            write_private_new(path, &text).map_err(|e| Failure::io(&format!("cannot write {}", path.display()), e))?;
            outln!("wrote {} rows to {}", rows.len(), path.display());
        }
    }
    Ok(())
}
