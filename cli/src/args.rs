//! The command line, as clap sees it. Values with a domain meaning (kinds, regions, roles,
//! perspectives) are taken as text and checked by the core, so that a bad value is an
//! `invalid_input` error naming its field, like every other input error.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use trialog_core::OrgId;

/// The concepts an operator needs, shown by `trialog --help`.
const ABOUT: &str = "\
Administer a trialog platform: the organisations, accounts and audit log of a mental-health
peer-support platform (such as TriN \"Trialog im Netz\", a network of self-help contact points,
or a Danish peer-guide programme), kept in one database file.

CONCEPTS:
  Operator      Whoever holds the database file. By default every command runs as the
                operator, with all rights; the audit log records it as 'operator'.
  Actors        Every operation is done by someone. --as ACCOUNT acts as that account
                instead: the command is allowed or refused exactly as it would be in the
                app, which is how you check what a moderator or a counsellor may do.
  Perspectives  People take part in the trialogue from one of three perspectives: lived
                experience (Psychiatrie-Erfahrene), relatives (Angehörige) and
                professionals (Profis). This is health data, so 'undisclosed' is always
                allowed and is the default.
  Roles         Every account is a member. Admins grant moderator, admin, and roles bound
                to an organisation, written KIND:ORG-ID: employer_staff:3, counsellor:3,
                supervisor:3. Only verified organisations will publish jobs and offer
                counselling.
  Accounts      are named by pseudonym (in any case) or numeric id; a pseudonym made only
                of digits is written with a leading '@' (@2024).
  Pages         Lists show one page at a time; a last line 'next page: --cursor X' says
                how to continue.
  --json        Every command prints one JSON document on stdout instead of text:
                - a list is {\"items\": [...], \"next_cursor\": null | \"...\"}, sometimes
                  with keys of its own beside them (\"board\", \"thread\", \"unread\");
                  \"next_cursor\" is null on the last page and for lists shown whole;
                - a single record, or the outcome of a change, is one object.
                `job export` writes JSON Lines only when asked: --format jsonl.
                Errors become one JSON object on stderr: {\"error\": KIND, \"message\":
                ..., \"hint\": ...} plus the error's own fields (\"field\" and \"reason\"
                for invalid input, \"argument\" for a usage error about one argument).
  Output        A reader that stops early (`| head`) ends the output quietly; a change
                that was saved is never reported as failed because nobody read the result.
  Files         The database and content keys are created readable by their owner only;
                opening one that others may read prints a warning. A database without
                write permission is opened read-only: reads work, changes fail (exit 4).

Start with `trialog demo --db demo.redb`, which builds a demo platform and shows a tour.";

/// The exit codes, shown after every help text.
const EXIT_CODES: &str = "\
EXIT CODES:
  0  success
  1  user error: invalid input, permission denied, rate limited
  2  usage error: unknown command or option, missing argument
  3  conflict or not found (a taken pseudonym, an unknown account or organisation, an erased
     account's session)
  4  storage: the database is in use by another process, unreadable or damaged; internal errors";

/// `trialog`: the operator's command for a trialog platform.
#[derive(Debug, Parser)]
#[command(name = "trialog", version, about = "Administer a trialog peer-support platform", long_about = ABOUT)]
#[command(after_help = EXIT_CODES, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The database file.
    #[arg(long, global = true, env = "TRIALOG_DB", default_value = "trialog.redb", value_name = "PATH")]
    pub db: PathBuf,

    /// Print JSON on stdout (and errors as JSON on stderr).
    #[arg(long, global = true)]
    pub json: bool,

    /// Act as this account (pseudonym or id) instead of the operator.
    #[arg(long = "as", global = true, value_name = "ACCOUNT")]
    pub acting_as: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database file, or bring an existing one up to the current schema.
    Init,
    /// Register, list, edit and verify organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Create accounts, grant roles, restrict and reinstate, set passwords.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Read the audit log: who did what to what, and why.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Reports for funders: the platform's or an organisation's figures per month, quarter and
    /// year, with disclosure control (table, CSV, JSON, HTML with charts).
    #[command(subcommand)]
    Stats(crate::stats::StatsCommand),
    /// Check the database file thoroughly (exit code 4 when anything is wrong).
    ///
    /// Runs redb's page-level check, then reads every record and compares every index. The file
    /// must not be open in another process.
    Check,
    /// Compact the database file and give its free space back (admins and the operator).
    ///
    /// Erased and purged records leave the file's freed pages; redb's compaction in place moves
    /// pages down and cuts the free tail off. When a tenth of the file or more is still free
    /// afterwards, the file is rewritten into a fresh one beside it (`FILE.compacting`, every
    /// table copied in key order and verified, synced) that replaces it atomically; the key
    /// file stays. A process killed meanwhile leaves the old file valid; the leftover
    /// `FILE.compacting` is removed at the next opening. Needs the file alone: a running
    /// `trialog serve` on it makes this fail with "in use". `--json` shows the sizes.
    Compact,
    /// Fill the database with a realistic demo platform and show a guided tour.
    ///
    /// Twelve German and Danish organisations and about 25 pseudonymous accounts across the three
    /// perspectives, with moderators, counsellors, employer staff and one suspended account.
    /// Every name is marked as a demo.
    Demo(DemoArgs),
    /// Job board: post, search, import and export postings; interest in them.
    #[command(subcommand)]
    Job(crate::jobs::JobCommand),
    /// Seeker profiles: what a person looks for, findable by employers only on opt-in.
    #[command(subcommand)]
    Seeker(crate::seekers::SeekerCommand),
    /// Saved job searches whose new matches land in the inbox.
    #[command(subcommand)]
    Alert(crate::alerts::AlertCommand),
    /// Your notifications: job alerts, interest updates and forum replies (as an account: --as).
    Inbox(crate::inbox::InboxArgs),
    /// Your notices outside the platform: e-mail, push (off until you turn them on; as an account: --as).
    Notices(crate::notices::NoticesArgs),
    /// Forums: boards, threads, posts, reading, search, statistics, watching, moderation.
    #[command(subcommand)]
    Forum(crate::forums::ForumCommand),
    /// Knowledge base: articles, four-eyes review, revisions, checks due, Markdown folders.
    #[command(subcommand)]
    Knowledge(crate::knowledge::KnowledgeCommand),
    /// The topics thesaurus shared by every domain: labels per language, related topics, CSV.
    #[command(subcommand)]
    Topics(crate::knowledge::TopicsCommand),
    /// The one search over everything you may see: articles, forum threads and job postings in
    /// one ranked list, with facets by kind, topic, language and organisation.
    Search(crate::search::SearchArgs),
    /// Counselling: anonymous enquiries, team queues, conversations, supervision, statistics, purge.
    Counsel(crate::counsel::CounselArgs),
    /// Courses and training: sessions, teaching teams, registrations and waitlists, offers,
    /// attendance, certificates and calendar files.
    #[command(subcommand)]
    Course(crate::courses::CourseCommand),
    /// Programmes of course modules (EX-IN curricula, Peer2Peer): cohorts, trainees' progress,
    /// consent to the EX-IN status, placement rounds by stable matching.
    #[command(subcommand)]
    Programme(crate::programmes::ProgrammeCommand),
    /// The self-help directory: contact points, groups, meetings, search, freshness and
    /// contact requests through the contact point's shared inbox.
    #[command(subcommand)]
    Groups(crate::groups::GroupsCommand),
    /// Rooms for self-help groups: organisations offer rooms with weekly windows, groups book
    /// weekly slots (never two at once), the organisation confirms; the contact point's overview.
    #[command(subcommand)]
    Rooms(crate::rooms::RoomsCommand),
    /// Serve every operation over HTTP for apps, with its OpenAPI document and sign-in sessions.
    Serve(crate::serve::ServeArgs),
    /// Move a whole platform between storage engines (a redb file, a PostgreSQL schema).
    #[command(subcommand)]
    Store(crate::store::StoreCommand),
    /// Run the scheduler once: every domain's work that is due (lapsing course offers, session
    /// reminders, courses starting and ending). Safe to run often; for cron (admins).
    Tick(crate::courses::TickArgs),
    /// The retention of inactive accounts: show or set the rule, list warned accounts (admins).
    #[command(subcommand)]
    Retention(crate::rights::RetentionCommand),
    /// Import GeoNames postal codes, look up postcodes and places.
    #[command(subcommand)]
    Geo(crate::geo::GeoCommand),
    /// Match clients to peer-guides and trainees to placements; stored runs; job suggestions.
    #[command(subcommand)]
    Match(crate::matching::MatchCommand),
    /// Report a thread, post, profile or job posting to the moderators (as an account: --as).
    Report(crate::moderation::ReportArgs),
    /// Appeal a moderator's action that affected you, once (as an account: --as).
    Appeal(crate::moderation::AppealArgs),
    /// Moderation: the review queue, actions, the log, appeals, watched words, crisis resources.
    #[command(subcommand)]
    Mod(crate::moderation::ModCommand),
    /// Print a shell completion script for bash, zsh, fish or powershell.
    ///
    /// bash: `trialog completions bash > ~/.local/share/bash-completion/completions/trialog`;
    /// zsh: into a folder of $fpath as `_trialog`; fish: `~/.config/fish/completions/trialog.fish`.
    Completions {
        /// The shell: bash, zsh, fish, powershell (or elvish).
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `trialog man > trialog.1`, then `man ./trialog.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Delete an existing database file first.
    #[arg(long)]
    pub fresh: bool,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Register an organisation (unverified until an admin verifies it).
    Add(OrgAdd),
    /// List organisations, filtered.
    List(OrgList),
    /// Show one organisation.
    Show {
        /// The organisation's id.
        id: OrgId,
    },
    /// Change an organisation's details; options not given stay as they are.
    Edit(OrgEdit),
    /// Verify an organisation, or withdraw its verification with --revoke (admins).
    Verify {
        /// The organisation's id.
        id: OrgId,
        /// Withdraw the verification instead.
        #[arg(long)]
        revoke: bool,
        /// Why (kept in the audit log).
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct OrgAdd {
    /// The organisation's name.
    pub name: String,
    /// clinic, municipality, association, self_help_contact_point, training_provider or employer.
    #[arg(long)]
    pub kind: String,
    /// Home region as an ISO 3166 code: DE-TH, DE-BE, DK-84, or a country such as DK.
    #[arg(long)]
    pub region: String,
    /// The city or town.
    #[arg(long)]
    pub city: Option<String>,
    /// Web address starting with https://.
    #[arg(long)]
    pub website: Option<String>,
}

#[derive(Debug, Args)]
pub struct OrgList {
    /// Only this kind (clinic, municipality, association, self_help_contact_point, ...).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only verified organisations.
    #[arg(long, conflicts_with = "unverified")]
    pub verified: bool,
    /// Only organisations still waiting for verification.
    #[arg(long)]
    pub unverified: bool,
    /// Only this region; a country (DE) includes its subdivisions (DE-TH).
    #[arg(long)]
    pub region: Option<String>,
    /// Only names containing this text, ignoring case.
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct OrgEdit {
    /// The organisation's id.
    pub id: OrgId,
    /// New name.
    #[arg(long)]
    pub name: Option<String>,
    /// New kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// New region (ISO 3166).
    #[arg(long)]
    pub region: Option<String>,
    /// New city; an empty value clears it.
    #[arg(long)]
    pub city: Option<String>,
    /// New web address; an empty value clears it.
    #[arg(long)]
    pub website: Option<String>,
}

/// Which page of a list to show.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// Items per page, 1 to 500.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Continue after the previous page (its 'next page' line gives the cursor).
    #[arg(long)]
    pub cursor: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account (it starts as a member).
    Add(AccountAdd),
    /// List accounts, filtered (moderators and admins).
    List(AccountList),
    /// Show one account.
    Show {
        /// Pseudonym or id.
        account: String,
    },
    /// Change an account's details; options not given stay as they are.
    Edit(AccountEdit),
    /// Give an account a role: moderator, admin, employer_staff:ORG, counsellor:ORG, supervisor:ORG.
    Grant(RoleChange),
    /// Take a role away.
    Revoke(RoleChange),
    /// Stop an account from posting for a while (it may still read and sign in).
    Silence(TimedRestriction),
    /// Stop an account from signing in or acting for a while.
    Suspend(TimedRestriction),
    /// Stop an account from signing in or acting, with no end.
    Ban(Reasoned),
    /// Lift any silence, suspension or ban.
    Reinstate(Reasoned),
    /// Set an account's password, read from the terminal without echo, or from standard input.
    ///
    /// The password is never taken as an argument, where it would end up in the shell's history.
    /// When standard input is not a terminal, its first line is the password:
    /// `printf '%s\n' "$PW" | trialog account passwd Kim`.
    Passwd {
        /// Pseudonym or id.
        account: String,
    },
    /// Write everything stored about an account to a zip of JSON files with a README (GDPR Art.
    /// 15 and 20): the account itself or an admin.
    Export(crate::rights::ExportArgs),
    /// Erase an account (GDPR Art. 17): personal records go, posts stay as "former member" or are
    /// deleted (`--posts`); moderation and audit entries keep the action without the person.
    Erase(crate::rights::EraseArgs),
}

#[derive(Debug, Args)]
pub struct AccountAdd {
    /// The pseudonym: 3 to 32 letters, digits, spaces and . _ -; unique ignoring case.
    pub pseudonym: String,
    /// lived_experience, relative, professional or undisclosed (the default).
    #[arg(long, default_value = "undisclosed")]
    pub perspective: String,
    /// Who else sees the perspective: public, members or nobody (the default; admins always do).
    #[arg(long, default_value = "nobody")]
    pub perspective_visibility: String,
    /// Languages as ISO 639-1 codes, in order of preference: --lang de --lang en, or --lang de,en.
    #[arg(long = "lang", value_delimiter = ',', value_name = "CODE")]
    pub languages: Vec<String>,
    /// Home region as an ISO 3166 code (DE-TH, DK-84, DK).
    #[arg(long)]
    pub region: Option<String>,
    /// E-mail address (optional; shown only to the owner and admins).
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(Debug, Args)]
pub struct AccountList {
    /// Only accounts holding a role of this kind (member, moderator, admin, counsellor, ...).
    #[arg(long)]
    pub role: Option<String>,
    /// Only accounts holding a role in this organisation.
    #[arg(long)]
    pub org: Option<OrgId>,
    /// Only accounts with this status now: active, silenced, suspended, banned.
    #[arg(long)]
    pub status: Option<String>,
    /// Only this perspective.
    #[arg(long)]
    pub perspective: Option<String>,
    /// Only pseudonyms starting with this, ignoring case.
    #[arg(long)]
    pub prefix: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct AccountEdit {
    /// Pseudonym or id.
    pub account: String,
    /// New perspective.
    #[arg(long)]
    pub perspective: Option<String>,
    /// Who else sees the perspective: public, members or nobody.
    #[arg(long)]
    pub perspective_visibility: Option<String>,
    /// New languages (replace the old ones).
    #[arg(long = "lang", value_delimiter = ',', value_name = "CODE")]
    pub languages: Option<Vec<String>>,
    /// New home region; an empty value clears it.
    #[arg(long)]
    pub region: Option<String>,
    /// New e-mail address; an empty value clears it.
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(Debug, Args)]
pub struct RoleChange {
    /// Pseudonym or id.
    pub account: String,
    /// member, moderator, admin, employer_staff:ORG, counsellor:ORG or supervisor:ORG.
    pub role: String,
    /// Why (kept in the audit log).
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("end").required(true).args(["until", "days"]))]
pub struct TimedRestriction {
    /// Pseudonym or id.
    pub account: String,
    /// Until the start of this day (UTC), as 2026-12-01, or an exact RFC 3339 time.
    #[arg(long)]
    pub until: Option<String>,
    /// For this many days from now.
    #[arg(long)]
    pub days: Option<u32>,
    /// Why: kept in the audit log and shown to the person.
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct Reasoned {
    /// Pseudonym or id.
    pub account: String,
    /// Why: kept in the audit log and shown to the person.
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Entries newest first (admins).
    List(AuditList),
}

#[derive(Debug, Args)]
pub struct AuditList {
    /// Only actions starting with this: org., account.role, account.suspend, ...
    #[arg(long)]
    pub action: Option<String>,
    /// Only entries about this target: org:4, account:17, or an account's pseudonym.
    #[arg(long)]
    pub target: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}
