//! `trialog counsel ...`: anonymous counselling — the client's side (enquire, then show, reply,
//! close, reopen, answer a handover with the case code), the counsellors' side (queues, claim,
//! assign, show, reply, notes, approval, handover, close, absence) and administration (offers,
//! profiles, topics, overdue cases and the SLA sweep, statistics, purge).
//!
//! Message content is encrypted with the platform content key, read from the file named by
//! `--content-key-file` or `TRIALOG_CONTENT_KEY_FILE` (`trialog counsel key new FILE` makes one).
//! A case secret is never an argument (it would stay in the shell history): it is read from
//! standard input, after a prompt when that is a terminal.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use trialog_core::OrgId;
use trialog_core::counsel::{
    Absence, CaseView, ClientCase, CounselOffer, CounsellorProfile, CounsellorProfileUpdate, Enquiry, Gender, Message,
    NewEnquiry, Sender,
};
use trialog_core::forums::Signpost;
use trialog_core::{ContentKey, Error};

use crate::args::{Global, PageArgs};
use crate::failure::Failure;
use crate::forums::{BodyArgs, body_text};
use crate::orgs::page_request;
use crate::output::{Block, Output, Table, or_dash, when};
use crate::permissions;
use crate::session::Session;

const EXAMPLES: &str = "\
EXAMPLES:
  trialog counsel key new counsel.key
  export TRIALOG_CONTENT_KEY_FILE=counsel.key
  trialog counsel offer 3 --lang de --lang en --region DE-TH --hours 48
  trialog counsel enquire --topic contracts_and_pay --lang de --body 'Ist das der richtige Tarif?'
  trialog counsel client show --case K7F3-9QXM          (the secret is asked for, or read from stdin)
  trialog --as Anna counsel queue --org 3
  trialog --as Anna counsel claim 12
  trialog --as Anna counsel reply 12 --body-file antwort.txt
  trialog --as Sabine counsel pending --org 3
  trialog counsel overdue --escalate
  trialog counsel stats --month 2026-03
  trialog counsel purge --dry-run";

/// The help of `counsel enquire --topic`: the topics every platform starts with.
fn topic_help() -> String {
    format!(
        "What it is about: {}, unless an admin set others (`trialog counsel topics` lists the topics in use).",
        trialog_core::counsel::DEFAULT_TOPICS.join(", ")
    )
}

/// `trialog counsel ...` with the content key it needs.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CounselArgs {
    /// The file holding the platform content key (64 hexadecimal digits).
    #[arg(long, global = true, env = "TRIALOG_CONTENT_KEY_FILE", value_name = "PATH")]
    pub content_key_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: CounselCommand,
}

#[derive(Debug, Subcommand)]
pub enum CounselCommand {
    /// The content key: `key new FILE` writes a new random one (readable by its owner only).
    #[command(subcommand)]
    Key(KeyCommand),
    /// Ask for help, anonymously: prints the case code and the secret (shown only this once).
    Enquire(EnquireArgs),
    /// The client's side, proved by case code and secret (the secret from stdin or a prompt).
    #[command(subcommand)]
    Client(ClientCommand),
    /// A team queue: by crisis level (imminent, high, concern, then normal), then oldest (the organisation's counsellors and supervisors).
    Queue {
        /// The organisation whose team queue to show.
        #[arg(long)]
        org: OrgId,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Claim an enquiry from your organisation's queue (as a counsellor: --as).
    Claim {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
    },
    /// Assign an enquiry to a counsellor, or with --auto to the least busy one (supervisors).
    Assign {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
        /// The counsellor (pseudonym or id).
        #[arg(long, required_unless_present = "auto")]
        to: Option<String>,
        /// Pick the counsellor of the organisation with the fewest open cases instead.
        #[arg(long, conflicts_with = "to")]
        auto: bool,
    },
    /// A case with its conversation (its counsellor, their substitute, a supervisor; audited).
    Show {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
    },
    /// A case's metadata, without content.
    Info {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
    },
    /// Your open cases, and those you stand in for (as a counsellor: --as).
    Mine,
    /// Answer the client (a trainee's reply waits for a supervisor).
    Reply {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// An internal note the client never sees.
    Note {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// Replies of counsellors in training waiting for approval (supervisors).
    Pending {
        /// The organisation whose trainees' replies to show.
        #[arg(long)]
        org: OrgId,
    },
    /// Approve a waiting reply: it is delivered now (supervisors).
    Approve {
        /// The enquiry the reply belongs to.
        enquiry: u64,
        /// The waiting reply's message number (from `counsel pending`, column MESSAGE).
        message: u64,
    },
    /// Propose handing the case to another counsellor of the organisation; the client decides.
    Handover {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
        /// The counsellor to take over (pseudonym or id), of the same organisation.
        #[arg(long)]
        to: String,
    },
    /// Close a case: answered, referred or no_reply.
    Close {
        /// The enquiry's number (from the queue or `counsel mine`).
        enquiry: u64,
        /// answered, referred or no_reply.
        #[arg(long, default_value = "answered")]
        reason: String,
    },
    /// Set a counsellor's absence and substitute, or end it with --end.
    Absence {
        /// The counsellor (pseudonym or id).
        account: String,
        /// Start, RFC 3339 (2026-03-01T00:00:00Z); now when absent.
        #[arg(long)]
        from: Option<DateTime<Utc>>,
        /// End, RFC 3339 (2026-03-15T00:00:00Z).
        #[arg(long, required_unless_present = "end")]
        until: Option<DateTime<Utc>>,
        /// Who answers the counsellor's cases meanwhile (pseudonym or id).
        #[arg(long, required_unless_present = "end")]
        substitute: Option<String>,
        /// End the absence now.
        #[arg(long, conflicts_with_all = ["until", "substitute"])]
        end: bool,
    },
    /// Declare what an organisation offers: languages, topics, regions, SLA (its supervisors).
    Offer(OfferArgs),
    /// Every partner organisation's offer.
    Offers,
    /// A counsellor's profile: `show` it, or `set` what you name of capacity, training status,
    /// lived experience and gender (the rest stays).
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// The counselling topics; --set replaces them (admins).
    Topics {
        /// The new topics, replacing the old: --set a,b,c (snake_case words).
        #[arg(long, value_delimiter = ',', value_name = "TOPIC")]
        set: Option<Vec<String>>,
    },
    /// Cases whose first response is overdue; --escalate runs the SLA sweep (admins).
    Overdue {
        /// Only this organisation's cases.
        #[arg(long)]
        org: Option<OrgId>,
        /// First run the SLA sweep: raise priority and overflow breached cases to other teams.
        #[arg(long)]
        escalate: bool,
    },
    /// A month in numbers: enquiries by topic, organisation and language, response times, SLA
    /// breaches. Counts of 1 to k (k = 4 unless set otherwise) are withheld, with the cells they
    /// could be recovered from.
    Stats {
        /// YYYY-MM; the current month when absent.
        #[arg(long)]
        month: Option<String>,
    },
    /// Purge the cases closed longer ago than the retention period, irreversibly (admins).
    Purge {
        /// Count what would be purged; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Set the retention period (days) first.
        #[arg(long)]
        retention_days: Option<u32>,
        /// Then compact the file, so nothing of the purged cases lingers in freed pages
        /// (admins; fails with a conflict while another read or write is in progress).
        #[arg(long, conflicts_with = "dry_run")]
        compact: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Write a new random content key to FILE (refuses to overwrite).
    New {
        /// Where to write the key; must not exist yet.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// The conversation (marks the counsellor's replies read).
    Show(CaseArgs),
    /// Write to the counsellor.
    Reply {
        #[command(flatten)]
        case: CaseArgs,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// Close the case.
    Close(CaseArgs),
    /// Reopen a case closed less than 14 days ago.
    Reopen(CaseArgs),
    /// Answer a proposed handover: --accept or --decline.
    Handover {
        #[command(flatten)]
        case: CaseArgs,
        /// Accept: the proposed counsellor takes over and reads the conversation.
        #[arg(long, conflicts_with = "decline", required_unless_present = "decline")]
        accept: bool,
        /// Decline: your counsellor keeps the case.
        #[arg(long)]
        decline: bool,
    },
}

#[derive(Debug, Args)]
pub struct CaseArgs {
    /// The case code, such as K7F3-9QXM.
    #[arg(long = "case", value_name = "CODE")]
    pub code: String,
}

#[derive(Debug, Args)]
pub struct EnquireArgs {
    #[arg(long, help = topic_help())]
    pub topic: String,
    /// The language you write in (ISO 639-1): de, da, en.
    #[arg(long = "lang", value_name = "CODE")]
    pub language: String,
    /// Where you live (a postcode of a loaded country), to find a team serving your region.
    #[arg(long)]
    pub postcode: Option<String>,
    /// Prefer a counsellor with lived experience of mental-health crises.
    #[arg(long)]
    pub prefer_lived_experience: bool,
    /// female, male or diverse.
    #[arg(long)]
    pub prefer_gender: Option<String>,
    #[command(flatten)]
    pub body: BodyArgs,
}

#[derive(Debug, Args)]
pub struct OfferArgs {
    /// The organisation making the offer.
    pub org: OrgId,
    /// Languages answered in (ISO 639-1): --lang de --lang en, or --lang de,en.
    #[arg(long = "lang", value_name = "CODE", required = true, value_delimiter = ',')]
    pub languages: Vec<String>,
    /// Topics answered (all when absent).
    #[arg(long = "topic")]
    pub topics: Vec<String>,
    /// Regions served (everywhere when absent).
    #[arg(long = "region")]
    pub regions: Vec<String>,
    /// Hours until the first response is due.
    #[arg(long, default_value_t = 48)]
    pub hours: u32,
    /// Count Monday to Friday only.
    #[arg(long)]
    pub business_days: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Show a counsellor's profile (the defaults when none was set); changes nothing.
    Show {
        /// The counsellor (pseudonym or id).
        account: String,
    },
    /// Change what you name; everything not given stays as it is.
    Set(ProfileArgs),
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The counsellor (pseudonym or id).
    pub account: String,
    /// How many open cases they take at most (0 to 500; 10 for a new profile).
    #[arg(long)]
    pub capacity: Option<u32>,
    /// In training: their replies wait for a supervisor's approval. `--in-training false` ends it.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub in_training: Option<bool>,
    /// They have lived experience (clients may prefer this); `--lived-experience false` removes it.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub lived_experience: Option<bool>,
    /// female, male or diverse (clients may state a preference); `none` removes it.
    #[arg(long)]
    pub gender: Option<String>,
}

/// Runs `trialog counsel ...`.
pub fn run(global: &Global, out: Output, args: CounselArgs) -> Result<(), Failure> {
    if let CounselCommand::Key(KeyCommand::New { file }) = &args.command {
        return new_key(file, out);
    }
    let key = args.content_key_file.as_deref().map(|path| read_key(path, out)).transpose()?;
    let command = match args.command {
        // What a client types is read before the file is opened: no lock is held meanwhile.
        CounselCommand::Client(command) => {
            let typed = Typed::read(command)?;
            return client(&Session::open_with_key(global, out, key)?, typed);
        }
        CounselCommand::Enquire(mut e) => {
            let text = body_text(std::mem::take(&mut e.body))?;
            return enquire(&Session::open_with_key(global, out, key)?, e, text);
        }
        other => other,
    };
    let session = Session::open_with_key(global, out, key)?;
    let s = &session;
    let c = s.platform.counsel();
    let a = &s.actor;
    match command {
        // Handled above, before the file is opened.
        CounselCommand::Key(_) | CounselCommand::Client(_) | CounselCommand::Enquire(_) => Ok(()),
        CounselCommand::Queue { org, page } => {
            let page = c.queue(a, org, &page_request(page))?;
            let mut table = Table::new(&[
                "ENQUIRY",
                "PRIORITY",
                "LEVEL",
                "TOPIC",
                "LANG",
                "WAITING SINCE",
                "DUE",
                "OVERFLOW",
                "WHY",
            ]);
            for item in &page.items {
                table.row(vec![
                    item.enquiry.to_string(),
                    name(&item.priority),
                    item.crisis_level.map(|l| l.to_string()).unwrap_or_default(),
                    item.topic.clone(),
                    item.language.clone(),
                    when(item.created_at),
                    when(item.due_at),
                    if item.overflow { "yes".into() } else { String::new() },
                    item.crisis_reasons.join("; "),
                ]);
            }
            s.out.page(&page.items, page.next_cursor.as_deref(), &table);
            Ok(())
        }
        CounselCommand::Claim { enquiry } => show_enquiry(s, &c.claim(a, enquiry)?, "claimed"),
        CounselCommand::Assign { enquiry, to, auto } => {
            let done = match (auto, to) {
                (true, _) | (false, None) => c.auto_assign(a, enquiry)?,
                (false, Some(to)) => c.assign(a, enquiry, s.account(&to)?.id)?,
            };
            show_enquiry(s, &done, "assigned")
        }
        CounselCommand::Show { enquiry } => show_case(s, &c.case(a, enquiry)?),
        CounselCommand::Info { enquiry } => show_enquiry(s, &c.enquiry(a, enquiry)?, ""),
        CounselCommand::Mine => list_enquiries(s, &c.my_cases(a)?),
        CounselCommand::Reply { enquiry, body } => show_message(s, &c.reply(a, enquiry, &body_text(body)?)?),
        CounselCommand::Note { enquiry, body } => show_message(s, &c.note(a, enquiry, &body_text(body)?)?),
        CounselCommand::Pending { org } => {
            let pending = c.pending_replies(a, org)?;
            let mut table = Table::new(&["ENQUIRY", "MESSAGE", "COUNSELLOR", "WRITTEN"]);
            for p in &pending {
                let who = s.pseudonym(p.counsellor).unwrap_or_else(|| p.counsellor.to_string());
                table.row(vec![p.enquiry.to_string(), p.message_id.to_string(), who, when(p.written_at)]);
            }
            s.out.page(&pending, None, &table);
            Ok(())
        }
        CounselCommand::Approve { enquiry, message } => show_message(s, &c.approve(a, enquiry, message)?),
        CounselCommand::Handover { enquiry, to } => {
            show_enquiry(s, &c.propose_handover(a, enquiry, s.account(&to)?.id)?, "handover proposed")
        }
        CounselCommand::Close { enquiry, reason } => {
            show_enquiry(s, &c.close(a, enquiry, parse(&reason, "reason")?)?, "closed")
        }
        CounselCommand::Absence { account, from, until, substitute, end } => {
            let account = s.account(&account)?.id;
            let absence = match (end, until, substitute) {
                (false, Some(until), Some(substitute)) => Some(Absence {
                    from: from.unwrap_or_else(|| s.platform.now()),
                    until,
                    substitute: s.account(&substitute)?.id,
                }),
                _ => None,
            };
            show_profile(s, &c.set_absence(a, account, absence)?, Some("profile saved"))
        }
        CounselCommand::Offer(o) => {
            let offer = CounselOffer {
                org: o.org,
                topics: o.topics,
                languages: o.languages,
                regions: o.regions,
                first_response_hours: o.hours,
                business_days: o.business_days,
            };
            let saved = c.set_offer(a, &offer)?;
            s.out.record(&saved, Some("offer saved"), &offer_block(&saved));
            Ok(())
        }
        CounselCommand::Offers => {
            let offers = c.offers(a)?;
            let mut table = Table::new(&["ORG", "LANGUAGES", "TOPICS", "REGIONS", "SLA"]);
            for o in &offers {
                table.row(vec![
                    o.org.to_string(),
                    o.languages.join(","),
                    or_all(&o.topics),
                    or_all(&o.regions),
                    sla(o),
                ]);
            }
            s.out.page(&offers, None, &table);
            Ok(())
        }
        CounselCommand::Profile(ProfileCommand::Show { account }) => {
            show_profile(s, &c.profile(a, s.account(&account)?.id)?, None)
        }
        CounselCommand::Profile(ProfileCommand::Set(p)) => {
            let clear_gender = p.gender.as_deref() == Some("none");
            let change = CounsellorProfileUpdate {
                capacity: p.capacity,
                in_training: p.in_training,
                lived_experience: p.lived_experience,
                gender: p
                    .gender
                    .as_deref()
                    .filter(|_| !clear_gender)
                    .map(|g| parse::<Gender>(g, "gender"))
                    .transpose()?,
                clear_gender,
            };
            show_profile(s, &c.update_profile(a, s.account(&p.account)?.id, &change)?, Some("profile saved"))
        }
        CounselCommand::Topics { set } => {
            let topics = match set {
                Some(topics) => c.set_topics(a, &topics)?,
                None => c.topics(a)?,
            };
            if s.out.json {
                s.out.list_json(&topics);
            } else {
                topics.iter().for_each(|t| outln!("{t}"));
            }
            Ok(())
        }
        CounselCommand::Overdue { org, escalate } => {
            if escalate {
                let done = c.escalate(a)?;
                if !s.out.json {
                    outln!("{} new breaches; overflowed: {:?}", done.breached, done.overflowed);
                }
            }
            list_enquiries(s, &c.overdue(a, org)?)
        }
        CounselCommand::Stats { month } => {
            let month = month.unwrap_or_else(|| s.platform.now().format("%Y-%m").to_string());
            let stats = c.stats(a, &month)?;
            let count = |n: Option<u64>| n.map_or("withheld".to_string(), |n| n.to_string());
            let hours = |h: Option<f64>| h.map_or("-".to_string(), |h| format!("{h} h"));
            let mut block = Block::new()
                .line("month", &stats.month)
                .line("enquiries", count(stats.enquiries))
                .line("first responses", count(stats.first_responses))
                .line("median response", hours(stats.first_response_median_hours))
                .line("90th percentile", hours(stats.first_response_p90_hours))
                .line("SLA breaches", count(stats.sla_breaches));
            for row in &stats.rows {
                block = block.line(&format!("{} {}", row.dimension, row.key), count(row.count));
            }
            s.out.record(&stats, None, &block);
            Ok(())
        }
        CounselCommand::Purge { dry_run, retention_days, compact } => {
            if let Some(days) = retention_days {
                c.set_retention_days(a, days)?;
            }
            let purge = c.purge(a, dry_run)?;
            let compaction = if compact { Some(s.platform.compact(a)?) } else { None };
            let verb = if purge.dry_run { "would purge" } else { "purged" };
            let mut line = format!("{verb} {} closed cases (retention {} days)", purge.purged, purge.retention_days);
            if let Some(done) = &compaction {
                line.push_str(&format!("; compacted the file in {} passes{}", done.passes, size_change(done)));
            }
            s.out.record(&PurgeOutcome { purge, compaction }, Some(&line), &Block::new());
            Ok(())
        }
    }
}

/// A client's command with the secret (and reply) they typed.
struct Typed {
    command: ClientCommand,
    secret: String,
    /// The reply's text, for `client reply`.
    text: Option<String>,
}

impl Typed {
    /// Reads the reply's text (which may come from standard input), then the secret.
    fn read(mut command: ClientCommand) -> Result<Typed, Failure> {
        let text = match &mut command {
            ClientCommand::Reply { body, .. } => Some(body_text(std::mem::take(body))?),
            _ => None,
        };
        Ok(Typed { command, secret: read_secret()?, text })
    }
}

fn client(s: &Session, typed: Typed) -> Result<(), Failure> {
    let c = s.platform.counsel();
    let secret = &typed.secret;
    match typed.command {
        ClientCommand::Show(case) => show_client_case(s, &c.client_case(&case.code, secret)?),
        ClientCommand::Reply { case, .. } => {
            let sent = c.client_reply(&case.code, secret, typed.text.as_deref().unwrap_or_default())?;
            let block =
                Block::new().line("message", sent.message_id.to_string()).line("priority", name(&sent.priority));
            s.out.record(&sent, Some("sent"), &block);
            print_resources(s.out, &sent.resources);
            Ok(())
        }
        ClientCommand::Close(case) => show_enquiry_state(s, &c.client_close(&case.code, secret)?, "closed"),
        ClientCommand::Reopen(case) => show_enquiry_state(s, &c.client_reopen(&case.code, secret)?, "reopened"),
        ClientCommand::Handover { case, accept, .. } => {
            let done = c.client_answer_handover(&case.code, secret, accept)?;
            show_enquiry_state(s, &done, if accept { "handover accepted" } else { "handover declined" })
        }
    }
}

fn enquire(s: &Session, e: EnquireArgs, text: String) -> Result<(), Failure> {
    let new = NewEnquiry {
        topic: e.topic,
        language: e.language,
        postcode: e.postcode,
        prefer_lived_experience: e.prefer_lived_experience,
        prefer_gender: e.prefer_gender.as_deref().map(|g| parse::<Gender>(g, "prefer_gender")).transpose()?,
        text,
    };
    let opened = s.platform.counsel().enquire(&s.actor, &new)?;
    let block = Block::new()
        .line("case code", &opened.case_code)
        .line("secret", &opened.secret)
        .line("priority", name(&opened.priority));
    s.out.record(
        &opened,
        Some("Your enquiry is open. Keep the case code and the secret: the secret is shown only now."),
        &block,
    );
    print_resources(s.out, &opened.resources);
    Ok(())
}

fn print_resources(out: Output, resources: &[Signpost]) {
    if out.json || resources.is_empty() {
        return;
    }
    outln!("\nIf you are in danger now, please get help at once — this counselling is not crisis care:");
    for r in resources {
        outln!("  {} {} — {}", r.title, or_dash(r.contact.as_deref()), r.detail);
    }
}

fn show_client_case(s: &Session, case: &ClientCase) -> Result<(), Failure> {
    if s.out.json {
        s.out.json(case);
        return Ok(());
    }
    Block::new()
        .line("case", &case.case_code)
        .line("topic", &case.topic)
        .line("state", name(&case.state))
        .line("unread", case.unread.to_string())
        .line("handover proposed", if case.handover_proposed { "yes: answer with `client handover`" } else { "no" })
        .print();
    print_messages(&case.messages, s);
    print_resources(s.out, &case.resources);
    Ok(())
}

fn show_case(s: &Session, case: &CaseView) -> Result<(), Failure> {
    if s.out.json {
        s.out.json(case);
        return Ok(());
    }
    enquiry_block(s, &case.enquiry).line("unread", case.unread.to_string()).print();
    print_messages(&case.messages, s);
    Ok(())
}

fn print_messages(messages: &[Message], s: &Session) {
    for m in messages {
        let who = match (m.sender, m.counsellor) {
            (Sender::Client, _) => "client".to_string(),
            (Sender::Counsellor, Some(id)) => s.pseudonym(id).unwrap_or_else(|| format!("counsellor {id}")),
            (Sender::Counsellor, None) => "counsellor".to_string(),
        };
        let mark = if m.note {
            " (internal note)"
        } else if m.awaiting_approval {
            " (awaiting approval)"
        } else {
            ""
        };
        outln!("\n#{} {} — {}{mark}\n{}", m.id, who, when(m.sent_at), m.text);
    }
}

fn show_message(s: &Session, m: &Message) -> Result<(), Failure> {
    let state = if m.note {
        "note saved"
    } else if m.awaiting_approval {
        "waiting for a supervisor's approval"
    } else {
        "delivered"
    };
    s.out.record(m, Some(state), &Block::new().line("message", m.id.to_string()));
    Ok(())
}

fn enquiry_block(s: &Session, e: &Enquiry) -> Block {
    let counsellor = e.counsellor.map(|id| s.pseudonym(id).unwrap_or_else(|| id.to_string()));
    Block::new()
        .line("enquiry", e.id.to_string())
        .line("state", name(&e.state))
        .line("priority", name(&e.priority))
        .line("crisis level", e.crisis_level.map_or("-".into(), |l| l.to_string()))
        .line("why", if e.crisis_reasons.is_empty() { "-".into() } else { e.crisis_reasons.join("; ") })
        .line("topic", &e.topic)
        .line("language", &e.language)
        .line("counsellor", or_dash(counsellor.as_deref()))
        .line("created", when(e.created_at))
        .line("due", when(e.due_at))
        .line("first response", e.first_response_at.map_or("-".into(), when))
        .line("messages", e.messages.to_string())
}

fn show_enquiry(s: &Session, e: &Enquiry, headline: &str) -> Result<(), Failure> {
    s.out.record(e, (!headline.is_empty()).then_some(headline), &enquiry_block(s, e));
    Ok(())
}

/// What the client is shown of its case after a change: no staff details.
fn show_enquiry_state(s: &Session, e: &Enquiry, headline: &str) -> Result<(), Failure> {
    let block = Block::new().line("state", name(&e.state));
    s.out.record(&serde_json::json!({"state": e.state, "close_reason": e.close_reason}), Some(headline), &block);
    Ok(())
}

fn list_enquiries(s: &Session, list: &[Enquiry]) -> Result<(), Failure> {
    let mut table = Table::new(&["ENQUIRY", "STATE", "PRIORITY", "TOPIC", "DUE", "FIRST RESPONSE"]);
    for e in list {
        table.row(vec![
            e.id.to_string(),
            name(&e.state),
            name(&e.priority),
            e.topic.clone(),
            when(e.due_at),
            e.first_response_at.map_or("-".into(), when),
        ]);
    }
    s.out.page(list, None, &table);
    Ok(())
}

fn show_profile(s: &Session, p: &CounsellorProfile, note: Option<&str>) -> Result<(), Failure> {
    let absence =
        p.absence.as_ref().map(|a| format!("{} to {}, substitute {}", when(a.from), when(a.until), a.substitute));
    let block = Block::new()
        .line("account", p.account.to_string())
        .line("capacity", p.capacity.to_string())
        .line("in training", if p.in_training { "yes" } else { "no" })
        .line("lived experience", if p.lived_experience { "yes" } else { "no" })
        .line("gender", p.gender.map_or("-".to_string(), |g| name(&g)))
        .line("absence", or_dash(absence.as_deref()));
    s.out.record(p, note, &block);
    Ok(())
}

fn offer_block(o: &CounselOffer) -> Block {
    Block::new()
        .line("org", o.org.to_string())
        .line("languages", o.languages.join(", "))
        .line("topics", or_all(&o.topics))
        .line("regions", or_all(&o.regions))
        .line("first response", sla(o))
}

fn sla(o: &CounselOffer) -> String {
    format!("{} h{}", o.first_response_hours, if o.business_days { " (business days)" } else { "" })
}

fn or_all(list: &[String]) -> String {
    if list.is_empty() { "all".into() } else { list.join(",") }
}

/// A snake_case enum value as the core serialises it.
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A snake_case value into its enum; a bad one is invalid input naming `field`.
fn parse<T: serde::de::DeserializeOwned>(text: &str, field: &str) -> Result<T, Failure> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase()))
        .map_err(|_| Failure::from(Error::invalid(field, format!("'{text}' is not a valid {field}"))))
}

/// The case secret: from a prompt on a terminal, else the first line of standard input.
fn read_secret() -> Result<String, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("case secret: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).map_err(|e| Failure::io("cannot read the case secret", e))?;
    let secret = line.trim().to_string();
    if secret.is_empty() {
        return Err(Error::invalid("secret", "give the case secret on standard input").into());
    }
    Ok(secret)
}

pub(crate) fn read_key(path: &Path, out: Output) -> Result<ContentKey, Failure> {
    permissions::warn_if_exposed(path, permissions::KEY_HOLDS, out);
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::io(&format!("cannot read the content key file {}", path.display()), e))?;
    Ok(ContentKey::from_file_contents(&bytes)?)
}

fn new_key(file: &Path, out: Output) -> Result<(), Failure> {
    let key = ContentKey::generate()?;
    permissions::write_private_new(file, &format!("{}\n", key.to_hex().as_str()))
        .map_err(|e| Failure::io(&format!("cannot create {}", file.display()), e))?;
    let line =
        format!("wrote a new content key to {}: keep it safe — without it no message can be read", file.display());
    out.record(&serde_json::json!({"file": file}), Some(&line), &Block::new());
    Ok(())
}

/// `counsel purge` in `--json`: the purge report's fields, plus `compaction` with `--compact`.
#[derive(serde::Serialize)]
struct PurgeOutcome {
    #[serde(flatten)]
    purge: trialog_core::counsel::PurgeReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    compaction: Option<trialog_core::CompactReport>,
}

fn size_change(report: &trialog_core::CompactReport) -> String {
    match (report.bytes_before, report.bytes_after) {
        (Some(before), Some(after)) if report.rewritten => {
            format!(" ({before} → {after} bytes, rewritten into a fresh file to give back its free pages)")
        }
        (Some(before), Some(after)) => format!(" ({before} → {after} bytes)"),
        _ => String::new(),
    }
}
