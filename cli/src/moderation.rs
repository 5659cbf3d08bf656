//! `trialog report`, `trialog appeal` and `trialog mod ...`: reports as a member, the review
//! queue, actions, the moderation log, appeals, watched words, crisis resources and the trust
//! and rate-limit rules.

use chrono::Duration;
use clap::{Args, Subcommand};
use trialog_core::moderation::{ItemDetail, LogPage, ReviewItem, TextCheck};
use trialog_core::{
    AppealOutcome, CrisisResource, Error, ItemState, ModAction, ModerationSettings, NewReport, Timestamp, WatchedWord,
};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash, when};
use crate::session::Session;

const MOD_EXAMPLES: &str = "\
EXAMPLES:
  trialog --as Kim_aus_Jena report post:12 --reason harassment
  trialog --as Leuchtturm mod queue
  trialog --as Leuchtturm mod show 3
  trialog --as Leuchtturm mod claim 3
  trialog --as Leuchtturm mod act 3 hide --reason 'Werbung'
  trialog --as Leuchtturm mod act 4 silence --days 3 --reason 'Beleidigungen'
  trialog --as Leuchtturm mod act 5 edit_out --passage '0151 1234567' --note 'Telefonnummer' --reason 'persönliche Daten'
  trialog mod log --target thread:7
  trialog --as Kim_aus_Jena appeal 9 'Das war ein Erfahrungsbericht.'
  trialog --as Moewe mod decide 2 overturned --reason 'Erfahrungsbericht'
  trialog mod words test 'ich denke an s.u.i.z.i.d' --lang de
  trialog mod eval core/tests/data/crisis/tune/de.tsv --mistakes
  trialog mod words add de 'casino*' --action block
  trialog mod resources list
  trialog mod resources set DK Livslinien --lang da --contact '70 201 201' --detail 'Anonym rådgivning' \
      --source 'https://www.livslinien.dk' --checked 2026-12-05";

/// `trialog report TARGET --reason R`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// What: thread:ID, post:ID, account:ID or job:ID.
    pub target: String,
    /// crisis, harassment, spam, personal_data, misinformation, off_topic or other.
    #[arg(long)]
    pub reason: String,
    /// What is wrong (required for other).
    #[arg(long)]
    pub detail: Option<String>,
}

/// `trialog appeal ACTION STATEMENT`.
#[derive(Debug, Args)]
pub struct AppealArgs {
    /// The action's number (from the notification or the moderation log).
    pub action: u64,
    /// Why the action was wrong.
    pub statement: String,
}

/// `trialog mod ...`.
#[derive(Debug, Subcommand)]
#[command(after_help = MOD_EXAMPLES)]
pub enum ModCommand {
    /// The review queue: crisis first, then by weighted reports, then oldest (moderators).
    Queue {
        /// pending (default), actioned, dismissed or ignored.
        #[arg(long, default_value = "pending")]
        state: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// One item with its reports, flags and history (moderators).
    Show {
        /// The review item's id (from `trialog mod queue`).
        item: u64,
    },
    /// Claim an item so that other moderators leave it to you.
    Claim {
        /// The review item's id (from `trialog mod queue`).
        item: u64,
        /// The item's version you saw (default: the current one).
        #[arg(long, value_name = "VERSION")]
        seen: Option<u64>,
    },
    /// Act on an item: approve, hide, remove, restore, edit_out, lock, unlock, warn, silence,
    /// suspend, ban, dismiss or ignore.
    Act(ActArgs),
    /// The moderation log, newest first (moderators' names only for moderators).
    Log {
        /// Only this target: thread:ID, post:ID, account:ID or job:ID.
        #[arg(long)]
        target: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Appeals waiting for a decision, or decided ones with --decided (moderators).
    Appeals {
        /// Decided appeals instead of waiting ones.
        #[arg(long)]
        decided: bool,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Decide an appeal: upheld or overturned (not by the moderator who acted).
    Decide {
        /// The appeal's id (from `trialog mod appeals`).
        appeal: u64,
        /// upheld or overturned.
        outcome: String,
        /// Why: kept in the log and shown to the person who appealed.
        #[arg(long)]
        reason: String,
    },
    /// Watched words: list, add, remove, test.
    #[command(subcommand)]
    Words(WordsCommand),
    /// Crisis resources per country and language: list, set, remove.
    #[command(subcommand)]
    Resources(ResourcesCommand),
    /// Measure the content check over a labelled TSV file (header `label category level
    /// language text`): recall, false alarms and imminent ratings per language and category.
    Eval {
        /// The labelled file (see core/tests/data/crisis/README.md).
        file: std::path::PathBuf,
        /// Also list every missed crisis, false alarm and imminent text rated lower.
        #[arg(long)]
        mistakes: bool,
    },
    /// Show or change the trust and rate-limit rules.
    Settings(SettingsArgs),
}

#[derive(Debug, Args)]
pub struct ActArgs {
    /// The review item's id (from `trialog mod queue`).
    pub item: u64,
    /// approve, hide, remove, restore, edit_out, lock, unlock, warn, silence, suspend, ban,
    /// dismiss or ignore.
    pub action: String,
    /// Why (shown to the person affected and in the public log).
    #[arg(long, default_value = "")]
    pub reason: String,
    /// The item's version you saw (default: the current one): if the item changed since,
    /// another moderator was quicker and this is a conflict.
    #[arg(long, value_name = "VERSION")]
    pub seen: Option<u64>,
    /// For silence and suspend: how many days.
    #[arg(long, conflicts_with = "until")]
    pub days: Option<u32>,
    /// For silence and suspend: until when (RFC 3339, e.g. 2026-12-01T00:00:00Z).
    #[arg(long)]
    pub until: Option<String>,
    /// For edit_out: the exact passage to take out.
    #[arg(long)]
    pub passage: Option<String>,
    /// For edit_out: the note that replaces it.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum WordsCommand {
    /// Every watched word (moderators).
    List,
    /// Add a watched word or change its action (admins).
    Add {
        /// ISO 639-1 code, or * for every language.
        language: String,
        /// One or more words; * at the start or end allows more letters there.
        pattern: String,
        /// block, require_approval, flag or crisis.
        #[arg(long)]
        action: String,
    },
    /// Remove a watched word (admins).
    Remove {
        /// The word's language as it was added: an ISO 639-1 code or *.
        language: String,
        /// The pattern exactly as it was added.
        pattern: String,
    },
    /// What the watched words and the crisis detector find in a text: level, categories and
    /// why (moderators).
    Test {
        /// The text to check, as a writer would post it.
        text: String,
        /// The text's language (ISO 639-1).
        #[arg(long = "lang", default_value = "de", value_name = "CODE")]
        language: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ResourcesCommand {
    /// Every crisis resource with the page it was checked against and the day: confirm them
    /// before launch; unverified ones are candidates, never shown to writers.
    List {
        /// Only what someone in this country would be shown.
        #[arg(long)]
        country: Option<String>,
        /// With --country: the language they would read (ISO 639-1).
        #[arg(long = "lang", default_value = "de", value_name = "CODE")]
        language: String,
    },
    /// Add or replace a resource, keyed by country and name (admins).
    Set {
        /// ISO 3166 code, or * for everywhere.
        country: String,
        /// The service's name, such as TelefonSeelsorge.
        name: String,
        /// Only for writers in this language (ISO 639-1); every language when absent.
        #[arg(long = "lang", value_name = "CODE")]
        language: Option<String>,
        /// When and for whom it is there: "free, anonymous, day and night".
        #[arg(long, default_value = "")]
        detail: String,
        /// How to reach it: a phone number or an address.
        #[arg(long)]
        contact: Option<String>,
        /// Its web page (https://).
        #[arg(long)]
        url: Option<String>,
        /// The public page(s) the contact was checked against (required unless --unverified).
        #[arg(long)]
        source: Option<String>,
        /// The day it was checked, YYYY-MM-DD (required unless --unverified).
        #[arg(long = "checked", value_name = "YYYY-MM-DD")]
        checked_on: Option<String>,
        /// Keep it as a candidate that is not shown to writers.
        #[arg(long)]
        unverified: bool,
    },
    /// Remove a resource (admins).
    Remove {
        /// ISO 3166 code, or * for everywhere, as it was set.
        country: String,
        /// The service's name, as it was set.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Turn on the recommended rules: 3 approved posts per board, rate limits.
    #[arg(long, conflicts_with_all = ["off", "trust_posts", "rate_limits"])]
    pub recommended: bool,
    /// Turn trust and rate limits off.
    #[arg(long)]
    pub off: bool,
    /// Approved posts per board before a member's posts appear at once (0: off).
    #[arg(long)]
    pub trust_posts: Option<u32>,
    /// on or off.
    #[arg(long)]
    pub rate_limits: Option<String>,
}

/// `trialog report`.
pub fn report(session: &Session, args: ReportArgs) -> Result<(), Failure> {
    let new = NewReport { target: args.target.parse()?, reason: args.reason.parse()?, detail: args.detail };
    let report = session.platform.moderation().report(&session.actor, &new)?;
    let headline = format!("reported {} ({}); thank you — a moderator will look at it", new.target, new.reason);
    session.out.record(&report, Some(&headline), &Block::new());
    Ok(())
}

/// `trialog appeal`.
pub fn appeal(session: &Session, args: AppealArgs) -> Result<(), Failure> {
    let appeal = session.platform.moderation().appeal(&session.actor, args.action, &args.statement)?;
    let headline = format!("appeal {} against action {} is with the moderators", appeal.id, appeal.action);
    session.out.record(&appeal, Some(&headline), &Block::new());
    Ok(())
}

/// `trialog mod ...`.
pub fn run(session: &Session, command: ModCommand) -> Result<(), Failure> {
    let moderation = session.platform.moderation();
    let actor = &session.actor;
    match command {
        ModCommand::Queue { state, page } => {
            let state: ItemState = state.parse()?;
            let page = moderation.queue(actor, state, &page_request(page))?;
            let mut table =
                Table::new(&["ITEM", "TARGET", "PRIORITY", "CRISIS", "REPORTS", "REASONS", "CLAIMED", "SUMMARY"]);
            for item in &page.items {
                table.row(item_row(item));
            }
            session.out.page(&page.items, page.next_cursor.as_deref(), &table);
            Ok(())
        }
        ModCommand::Show { item } => {
            let detail = moderation.item(actor, item)?;
            show_detail(session, &detail);
            Ok(())
        }
        ModCommand::Claim { item, seen } => {
            let version = version_of(session, item, seen)?;
            let claimed = moderation.claim(actor, item, version)?;
            session.out.record(&claimed, Some(&format!("claimed item {item}")), &item_block(&claimed));
            Ok(())
        }
        ModCommand::Act(args) => act(session, args),
        ModCommand::Log { target, page } => {
            let target = target.as_deref().map(str::parse).transpose()?;
            let page = moderation.log(actor, target, &page_request(page))?;
            show_log(session, &page);
            Ok(())
        }
        ModCommand::Appeals { decided, page } => {
            let page = moderation.appeals(actor, decided, &page_request(page))?;
            let mut table = Table::new(&["APPEAL", "ACTION", "TARGET", "KIND", "AT", "OUTCOME", "STATEMENT"]);
            for a in &page.items {
                table.row(vec![
                    a.id.to_string(),
                    a.action.to_string(),
                    a.target.to_string(),
                    a.action_kind.to_string(),
                    when(a.at),
                    a.outcome.map_or("-".into(), |o| o.to_string()),
                    a.statement.clone(),
                ]);
            }
            session.out.page(&page.items, page.next_cursor.as_deref(), &table);
            Ok(())
        }
        ModCommand::Decide { appeal, outcome, reason } => {
            let outcome: AppealOutcome = outcome.parse()?;
            let decided = moderation.decide_appeal(actor, appeal, outcome, &reason)?;
            session.out.record(&decided, Some(&format!("appeal {appeal} {outcome}")), &Block::new());
            Ok(())
        }
        ModCommand::Words(command) => words(session, command),
        ModCommand::Resources(command) => resources(session, command),
        ModCommand::Eval { file, mistakes } => crate::moderation_eval::run(session, &file, mistakes),
        ModCommand::Settings(args) => settings(session, args),
    }
}

fn act(session: &Session, args: ActArgs) -> Result<(), Failure> {
    let until = || -> Result<Timestamp, Failure> {
        match (&args.until, args.days) {
            (Some(text), _) => text.parse::<Timestamp>().map_err(|_| {
                Error::invalid("until", format!("'{text}' is not a time like 2026-12-01T00:00:00Z")).into()
            }),
            (None, Some(days)) => Ok(session.platform.now() + Duration::days(days.into())),
            (None, None) => Err(Failure::usage("give --days N or --until TIME", "for example --days 7")),
        }
    };
    let action = match args.action.trim().to_ascii_lowercase().replace('-', "_").as_str() {
        "approve" => ModAction::Approve,
        "hide" => ModAction::Hide,
        "remove" => ModAction::Remove,
        "restore" => ModAction::Restore,
        "edit_out" => ModAction::EditOut {
            passage: args.passage.clone().ok_or_else(|| Error::invalid("passage", "give --passage TEXT"))?,
            note: args.note.clone().unwrap_or_else(|| "removed".into()),
        },
        "lock" => ModAction::Lock,
        "unlock" => ModAction::Unlock,
        "warn" => ModAction::Warn,
        "silence" => ModAction::Silence { until: until()? },
        "suspend" => ModAction::Suspend { until: until()? },
        "ban" => ModAction::Ban,
        "dismiss" => ModAction::Dismiss,
        "ignore" => ModAction::Ignore,
        other => {
            return Err(Error::invalid(
                "action",
                format!(
                    "'{other}' is not one of approve, hide, remove, restore, edit_out, lock, unlock, warn, silence, suspend, ban, dismiss, ignore"
                ),
            )
            .into());
        }
    };
    let version = version_of(session, args.item, args.seen)?;
    let entry = session.platform.moderation().act(&session.actor, args.item, version, &action, &args.reason)?;
    let headline = format!("{} on {}: logged as action {}", entry.action, entry.target, entry.id);
    let block = Block::new()
        .line("reason", or_dash(Some(&entry.reason)))
        .line("expires", entry.expires.map_or("-".into(), when));
    session.out.record(&entry, Some(&headline), &block);
    Ok(())
}

fn words(session: &Session, command: WordsCommand) -> Result<(), Failure> {
    let moderation = session.platform.moderation();
    let actor = &session.actor;
    match command {
        WordsCommand::List => {
            let words = moderation.words(actor)?;
            let mut table = Table::new(&["LANG", "PATTERN", "ACTION"]);
            for w in &words {
                table.row(vec![w.language.clone(), w.pattern.clone(), w.action.to_string()]);
            }
            session.out.page(&words, None, &table);
            Ok(())
        }
        WordsCommand::Add { language, pattern, action } => {
            let word = moderation.add_word(actor, &WatchedWord::new(&language, &pattern, action.parse()?))?;
            session.out.record(
                &word,
                Some(&format!("watching '{}' ({}, {})", word.pattern, word.language, word.action)),
                &Block::new(),
            );
            Ok(())
        }
        WordsCommand::Remove { language, pattern } => {
            moderation.remove_word(actor, &language, &pattern)?;
            let result = serde_json::json!({ "language": language, "pattern": pattern, "removed": true });
            session.out.record(&result, Some(&format!("no longer watching '{pattern}' ({language})")), &Block::new());
            Ok(())
        }
        WordsCommand::Test { text, language } => {
            let found = moderation.test_words(actor, &text, &language)?;
            show_test(session, &found);
            Ok(())
        }
    }
}

fn resources(session: &Session, command: ResourcesCommand) -> Result<(), Failure> {
    let moderation = session.platform.moderation();
    match command {
        ResourcesCommand::List { country, language } => {
            let list = match country {
                Some(country) => moderation.resources_for(&country, &language)?,
                None => moderation.resources(&session.actor)?,
            };
            let mut table =
                Table::new(&["COUNTRY", "LANG", "NAME", "CONTACT", "VERIFIED", "CHECKED", "SOURCE", "DETAIL"]);
            for r in &list {
                table.row(vec![
                    r.country.clone(),
                    or_dash(r.language.as_deref()),
                    r.name.clone(),
                    or_dash(r.contact.as_deref()),
                    if r.verified { "yes".into() } else { "NO: confirm".into() },
                    or_dash(r.checked_on.as_deref()),
                    or_dash(r.source.as_deref()),
                    r.detail.clone(),
                ]);
            }
            session.out.page(&list, None, &table);
            Ok(())
        }
        ResourcesCommand::Set { country, name, language, detail, contact, url, source, checked_on, unverified } => {
            let verified = !unverified;
            let resource =
                CrisisResource { country, language, name, detail, contact, url, source, checked_on, verified };
            let saved = moderation.set_resource(&session.actor, &resource)?;
            session.out.record(
                &saved,
                Some(&format!("crisis resource {} ({}) saved", saved.name, saved.country)),
                &Block::new(),
            );
            Ok(())
        }
        ResourcesCommand::Remove { country, name } => {
            moderation.remove_resource(&session.actor, &country, &name)?;
            let result = serde_json::json!({ "country": country, "name": name, "removed": true });
            session.out.record(&result, Some(&format!("removed {name} ({country})")), &Block::new());
            Ok(())
        }
    }
}

fn settings(session: &Session, args: SettingsArgs) -> Result<(), Failure> {
    let moderation = session.platform.moderation();
    let mut rules = moderation.settings(&session.actor)?;
    let change = args.recommended || args.off || args.trust_posts.is_some() || args.rate_limits.is_some();
    if args.recommended {
        rules = ModerationSettings::recommended();
    }
    if args.off {
        rules = ModerationSettings::default();
    }
    if let Some(n) = args.trust_posts {
        rules.trust_posts = n;
    }
    if let Some(on) = args.rate_limits {
        rules.rate_limits = match on.trim().to_ascii_lowercase().as_str() {
            "on" | "yes" | "true" => true,
            "off" | "no" | "false" => false,
            other => return Err(Error::invalid("rate_limits", format!("'{other}' is not on or off")).into()),
        };
    }
    if change {
        rules = moderation.set_settings(&session.actor, &rules)?;
    }
    let block = Block::new()
        .line("trust posts", rules.trust_posts.to_string())
        .line("rate limits", if rules.rate_limits { "on" } else { "off" })
        .line("first day", format!("{} threads, {} replies", rules.first_day_threads, rules.first_day_replies))
        .line(
            "per hour",
            format!(
                "{} threads, {} replies, {} reports",
                rules.hourly_threads, rules.hourly_replies, rules.hourly_reports
            ),
        )
        .line("between posts", format!("{} s", rules.min_seconds_between_posts));
    session.out.record(&rules, Some(if change { "moderation rules changed" } else { "moderation rules" }), &block);
    Ok(())
}

fn version_of(session: &Session, item: u64, given: Option<u64>) -> Result<u64, Failure> {
    match given {
        Some(v) => Ok(v),
        None => Ok(session.platform.moderation().item(&session.actor, item)?.item.version),
    }
}

fn item_row(item: &ReviewItem) -> Vec<String> {
    let reasons: Vec<String> = item.reasons.iter().map(|r| r.to_string()).collect();
    vec![
        item.id.to_string(),
        item.target.to_string(),
        item.priority.to_string(),
        if item.crisis { "CRISIS".into() } else { "-".into() },
        format!("{} by {}", item.reports, item.reporters),
        if reasons.is_empty() { format!("{} flag(s)", item.flags.len()) } else { reasons.join(",") },
        item.claimed_by.map_or("-".into(), |a| format!("account:{a}")),
        item.summary.chars().take(40).collect(),
    ]
}

fn item_block(item: &ReviewItem) -> Block {
    Block::new()
        .line("item", item.id.to_string())
        .line("target", item.target.to_string())
        .line("state", item.state.to_string())
        .line("priority", format!("{}{}", item.priority, if item.crisis { " (CRISIS)" } else { "" }))
        .line("reports", format!("{} by {} people", item.reports, item.reporters))
        .line("claimed by", item.claimed_by.map_or("-".into(), |a| format!("account:{a}")))
        .line("version", item.version.to_string())
        .line("summary", item.summary.clone())
}

fn show_detail(session: &Session, detail: &ItemDetail) {
    if session.out.json {
        return session.out.json(detail);
    }
    out!("{}", item_block(&detail.item).render());
    for flag in &detail.item.flags {
        outln!("flag {}: {}", when(flag.at), flag.reason);
    }
    for r in &detail.reports {
        let by = r.reporter.map_or("operator".into(), |a| format!("account:{a}"));
        outln!(
            "report {} {} by {by}: {}{}",
            r.id,
            when(r.at),
            r.reason,
            r.detail.as_deref().map(|d| format!(" — {d}")).unwrap_or_default()
        );
    }
    for e in &detail.history {
        outln!("action {} {}: {} ({})", e.id, when(e.at), e.action, e.reason);
    }
}

fn show_log(session: &Session, page: &LogPage) {
    let mut table = Table::new(&["ACTION", "AT", "TARGET", "KIND", "REASON", "EXPIRES", "MODERATOR", "APPEAL"]);
    for e in &page.items {
        table.row(vec![
            e.id.to_string(),
            when(e.at),
            e.target.to_string(),
            e.action.to_string(),
            e.reason.clone(),
            e.expires.map_or("-".into(), when),
            e.moderator.map_or("-".into(), |m| format!("account:{m}")),
            e.appeal.map_or("-".into(), |a| a.to_string()),
        ]);
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
}

fn show_test(session: &Session, found: &TextCheck) {
    if session.out.json {
        return session.out.json(found);
    }
    match found.level {
        Some(level) => {
            let categories: Vec<&str> = found.categories.iter().map(|c| c.as_str()).collect();
            outln!("crisis level {level}: {}", if categories.is_empty() { "-".into() } else { categories.join(", ") });
        }
        None => outln!("no crisis signs"),
    }
    for f in &found.findings {
        outln!("{} {} at {}..{}: {}", f.category, f.level, f.start, f.end, f.reason);
    }
    for f in &found.set_aside {
        outln!("set aside at {}..{}: {}", f.start, f.end, f.reason);
    }
    if found.matches.is_empty() {
        outln!("no watched word matches");
        return;
    }
    for m in &found.matches {
        outln!("{} at {}..{}: {}", m.action, m.start, m.end, m.why);
    }
}
