//! `trialog course ...`: courses and training — create and publish courses with their
//! sessions and teaching team, register and wait, answer offers, record attendance, claim and
//! verify certificates, calendar files; and `trialog tick`, the scheduler's one run for cron.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use trialog_core::OrgId;
use trialog_core::{
    AccountId, CertificateName, Course, CourseAudience, CourseFilter, CourseFormat, CourseId, CourseNear,
    CourseSettings, CourseState, CourseUpdate, Fee, MoveTo, NewCourse, PlaceInput, Registration, RegistrationId,
    Repeat, SessionId, SessionInput, Timestamp,
};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash, when};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum CourseCommand {
    /// Create a course as a draft (the organisation's staff); publish it with `course publish`.
    New(Box<CourseNew>),
    /// Change a course's details; a larger --capacity offers the new places to the waitlist.
    Edit(CourseEdit),
    /// Publish a draft (staff of a verified organisation; a trialogic course needs trainers of two perspectives).
    Publish {
        /// The course's id.
        id: u64,
    },
    /// Cancel a course: every session is cancelled and everyone registered, waiting or teaching is told.
    Cancel {
        /// The course's id.
        id: u64,
        /// Why (shown in the audit log).
        #[arg(long)]
        reason: String,
    },
    /// List, add, move or cancel sessions.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Replace the teaching team: the trainers' accounts (pseudonym, id or @pseudonym).
    Trainers {
        /// The course's id.
        id: u64,
        /// Every trainer of the course.
        #[arg(required = true)]
        accounts: Vec<String>,
    },
    /// Register for a course (as an account: --as), with others of your group (--with).
    Register {
        /// The course's id.
        id: u64,
        /// Another person of your group (repeat for more); the group is kept together.
        #[arg(long = "with", value_name = "ACCOUNT")]
        with: Vec<String>,
    },
    /// Cancel a registration (your own until the deadline; the organisation's staff at any time).
    CancelRegistration {
        /// The registration's id.
        registration: u64,
    },
    /// The waitlist of a course, in order (trainers and staff).
    Waitlist {
        /// The course's id.
        id: u64,
    },
    /// Accept or decline an offered place.
    #[command(subcommand)]
    Offer(OfferCommand),
    /// Move a registration by hand, with a reason (the organisation's staff; audited).
    Move {
        /// The registration's id.
        registration: u64,
        /// Where to: confirmed (needs a free place), head (of the waitlist) or cancelled.
        #[arg(long, value_enum)]
        to: MoveTarget,
        /// Why (kept in the audit log).
        #[arg(long)]
        reason: String,
    },
    /// A course's registrations (trainers and staff).
    Registrations {
        /// The course's id.
        id: u64,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Your own registrations (as an account: --as).
    Mine,
    /// Record who attended a session (--session with --present), or show attendance.
    Attendance {
        /// The course's id.
        id: u64,
        /// The session to record (one that has begun).
        #[arg(long)]
        session: Option<u64>,
        /// A participant present at the session (repeat for each; replaces an earlier record).
        #[arg(long, value_name = "ACCOUNT", requires = "session")]
        present: Vec<String>,
    },
    /// Claim your certificate, or list a course's certificates.
    #[command(subcommand)]
    Certificates(CertificatesCommand),
    /// Check a certificate's code (anyone): shows the name, the course and the date only.
    Verify {
        /// The code printed on the certificate (XXXX-XXXX-XXXX).
        code: String,
    },
    /// Write an iCalendar (.ics) file of a course or of one registration.
    Ics(IcsArgs),
    /// A person's calendar feed (as that person: --as): every session of the courses they hold a confirmed place in.
    Feed {
        /// Whose feed: pseudonym, id or @pseudonym (yourself).
        account: String,
        /// Write to this new file (0600) instead of stdout.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Courses in id order, filtered.
    List(CourseList),
    /// One course with its sessions, team and places.
    Show {
        /// The course's id.
        id: u64,
    },
}

#[derive(Debug, Args)]
pub struct CourseNew {
    /// The organisation offering it.
    #[arg(long)]
    pub org: OrgId,
    /// The course's title.
    #[arg(long)]
    pub title: String,
    /// What it is about (several lines are fine).
    #[arg(long)]
    pub description: String,
    /// A topic slug (repeat for more), such as self-help-groups.
    #[arg(long = "topic", value_name = "SLUG")]
    pub topics: Vec<String>,
    /// Language (ISO 639-1: de, da, en).
    #[arg(long)]
    pub language: String,
    /// online, in-person or hybrid.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// How many places.
    #[arg(long)]
    pub capacity: u32,
    /// A session as START/END in local time, 2027-03-04T18:00/2027-03-04T20:30 (repeat for more).
    #[arg(long = "session", value_name = "START/END")]
    pub sessions: Vec<String>,
    /// The sessions' IANA time zone.
    #[arg(long, default_value = "Europe/Berlin")]
    pub time_zone: String,
    /// Repeat each session weekly, N sessions in all.
    #[arg(long, value_name = "N")]
    pub weekly: Option<u32>,
    /// The meeting link (online and hybrid), shown only to confirmed participants.
    #[arg(long)]
    pub link: Option<String>,
    /// The venue's postcode (in-person and hybrid), with --country.
    #[arg(long)]
    pub postcode: Option<String>,
    /// The postcode's country (ISO 3166, DE or DK).
    #[arg(long, default_value = "DE")]
    pub country: String,
    /// The venue and street, as shown to participants.
    #[arg(long)]
    pub venue: Option<String>,
    /// The fee in the currency's smallest unit (cents); leave out for a free course.
    #[arg(long, value_name = "CENTS")]
    pub fee_cents: Option<u64>,
    /// The fee's currency (ISO 4217).
    #[arg(long, default_value = "EUR")]
    pub currency: String,
    /// Registration opens (RFC 3339); leave out to open on publishing.
    #[arg(long)]
    pub opens: Option<String>,
    /// Registration closes (RFC 3339); leave out to close when the first session starts.
    #[arg(long)]
    pub closes: Option<String>,
    /// A course participants must have completed first (repeat for more).
    #[arg(long = "prerequisite", value_name = "COURSE")]
    pub prerequisites: Vec<u64>,
    /// Taught trialogically: trainers of at least two perspectives before publishing.
    #[arg(long)]
    pub trialogic: bool,
    /// For members of self-help groups (default: everyone).
    #[arg(long)]
    pub self_help_groups: bool,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Hours an offered place waits for an answer.
    #[arg(long, default_value_t = 48)]
    pub offer_hours: u32,
    /// Hours before each session its reminder arrives.
    #[arg(long, default_value_t = 24)]
    pub reminder_hours: u32,
    /// Participants may cancel until this many hours before the first session.
    #[arg(long, default_value_t = 24)]
    pub cancel_hours: u32,
    /// Share of sessions (percent) attended that completes the course.
    #[arg(long, default_value_t = 80)]
    pub completion_percent: u8,
}

#[derive(Debug, Args)]
pub struct CourseEdit {
    /// The course's id.
    pub id: u64,
    /// A new title.
    #[arg(long)]
    pub title: Option<String>,
    /// A new description.
    #[arg(long)]
    pub description: Option<String>,
    /// A new capacity (not below the places taken).
    #[arg(long)]
    pub capacity: Option<u32>,
    /// A new meeting link.
    #[arg(long)]
    pub link: Option<String>,
    /// A new language.
    #[arg(long)]
    pub language: Option<String>,
    /// Registration opens (RFC 3339).
    #[arg(long)]
    pub opens: Option<String>,
    /// Registration closes (RFC 3339).
    #[arg(long)]
    pub closes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// A course's sessions.
    List {
        /// The course's id.
        id: u64,
    },
    /// Add sessions (or a weekly series) to a course.
    Add {
        /// The course's id.
        id: u64,
        /// A session as START/END in local time (repeat for more).
        #[arg(long = "session", value_name = "START/END", required = true)]
        sessions: Vec<String>,
        /// The sessions' IANA time zone.
        #[arg(long, default_value = "Europe/Berlin")]
        time_zone: String,
        /// Repeat each session weekly, N sessions in all.
        #[arg(long, value_name = "N")]
        weekly: Option<u32>,
    },
    /// Move one session (participants are told; calendars update).
    Move {
        /// The course's id.
        id: u64,
        /// The session's id.
        session: u64,
        /// The new START/END in local time.
        #[arg(long = "to", value_name = "START/END")]
        to: String,
        /// The session's IANA time zone.
        #[arg(long, default_value = "Europe/Berlin")]
        time_zone: String,
    },
    /// Cancel one session (participants are told; calendars show it cancelled).
    Cancel {
        /// The course's id.
        id: u64,
        /// The session's id.
        session: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum OfferCommand {
    /// Take the offered place.
    Accept {
        /// The registration's id.
        registration: u64,
    },
    /// Turn the offered place down; it passes to the next in line.
    Decline {
        /// The registration's id.
        registration: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum CertificatesCommand {
    /// Claim the certificate of a completed course (as the participant: --as).
    Claim {
        /// Your registration's id.
        registration: u64,
        /// Print this legal name instead of your pseudonym (kept on the certificate only).
        #[arg(long)]
        legal_name: Option<String>,
    },
    /// A course's certificates (the organisation's staff).
    List {
        /// The course's id.
        id: u64,
    },
}

#[derive(Debug, Args)]
pub struct IcsArgs {
    /// The course's calendar (every session).
    #[arg(long, conflicts_with = "registration", required_unless_present = "registration")]
    pub course: Option<u64>,
    /// One registration's calendar (yours; with the meeting link once confirmed).
    #[arg(long)]
    pub registration: Option<u64>,
    /// Write to this new file (0600) instead of stdout.
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CourseList {
    /// Only this organisation's courses (its staff also see drafts).
    #[arg(long)]
    pub org: Option<OrgId>,
    /// Only courses in this language.
    #[arg(long)]
    pub language: Option<String>,
    /// Only courses with a free place.
    #[arg(long)]
    pub free_places: bool,
    /// Words that must all occur in the title, description or topics (any case).
    #[arg(long)]
    pub text: Option<String>,
    /// Only courses with this topic slug, e.g. self-help-groups.
    #[arg(long)]
    pub topic: Option<String>,
    /// Only courses reachable from this postcode (in person within --radius-km; online and hybrid always).
    #[arg(long, requires = "radius_km")]
    pub postcode: Option<String>,
    /// The postcode's country (ISO 3166: DE, DK).
    #[arg(long, default_value = "DE")]
    pub country: String,
    /// Kilometres around --postcode (more than 0, at most 1000).
    #[arg(long, requires = "postcode")]
    pub radius_km: Option<f64>,
    /// Only courses with a session starting at or after this time (RFC 3339, 2031-03-01T00:00:00Z).
    #[arg(long)]
    pub from: Option<DateTime<Utc>>,
    /// Only courses with a session starting before this time (RFC 3339).
    #[arg(long)]
    pub until: Option<DateTime<Utc>>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct TickArgs {
    /// Do the work due by this time (RFC 3339) instead of now.
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Online,
    InPerson,
    Hybrid,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MoveTarget {
    Confirmed,
    Head,
    Cancelled,
}

/// Runs one `course` command.
pub fn run(session: &Session, command: CourseCommand) -> Result<(), Failure> {
    let c = session.platform.courses();
    let actor = &session.actor;
    match command {
        CourseCommand::New(args) => show(session, &c.create(actor, &new_course(*args)?)?, Some("created (a draft)")),
        CourseCommand::Edit(args) => {
            let change = CourseUpdate {
                title: args.title,
                description: args.description,
                capacity: args.capacity,
                online_link: args.link,
                language: args.language,
                registration_opens: args.opens.as_deref().map(|t| time("opens", t)).transpose()?,
                registration_closes: args.closes.as_deref().map(|t| time("closes", t)).transpose()?,
                ..Default::default()
            };
            show(session, &c.update(actor, CourseId(args.id), &change)?, Some("changed"))
        }
        CourseCommand::Publish { id } => show(session, &c.publish(actor, CourseId(id))?, Some("published")),
        CourseCommand::Cancel { id, reason } => {
            show(session, &c.cancel(actor, CourseId(id), &reason)?, Some("cancelled; everyone was told"))
        }
        CourseCommand::Sessions(command) => sessions(session, command),
        CourseCommand::Trainers { id, accounts } => {
            let ids = account_ids(session, &accounts)?;
            show(session, &c.set_trainers(actor, CourseId(id), &ids)?, Some("teaching team set"))
        }
        CourseCommand::Register { id, with } => {
            let others = account_ids(session, &with)?;
            registrations(session, &c.register(actor, CourseId(id), &others)?)
        }
        CourseCommand::CancelRegistration { registration } => {
            registrations(session, &[c.cancel_registration(actor, RegistrationId(registration))?])
        }
        CourseCommand::Waitlist { id } => registrations(session, &c.waitlist(actor, CourseId(id))?),
        CourseCommand::Offer(OfferCommand::Accept { registration }) => {
            registrations(session, &[c.answer_offer(actor, RegistrationId(registration), true)?])
        }
        CourseCommand::Offer(OfferCommand::Decline { registration }) => {
            registrations(session, &[c.answer_offer(actor, RegistrationId(registration), false)?])
        }
        CourseCommand::Move { registration, to, reason } => {
            let to = match to {
                MoveTarget::Confirmed => MoveTo::Confirmed,
                MoveTarget::Head => MoveTo::HeadOfWaitlist,
                MoveTarget::Cancelled => MoveTo::Cancelled,
            };
            registrations(session, &[c.move_registration(actor, RegistrationId(registration), to, &reason)?])
        }
        CourseCommand::Registrations { id, page } => {
            let page = c.registrations(actor, CourseId(id), &page_request(page))?;
            session.out.page(&page.items, page.next_cursor.as_deref(), &registration_table(session, &page.items));
            Ok(())
        }
        CourseCommand::Mine => registrations(session, &c.mine(actor)?),
        CourseCommand::Attendance { id, session: Some(s), present } => {
            let ids = account_ids(session, &present)?;
            let done = c.record_attendance(actor, CourseId(id), SessionId(s), &ids)?;
            session.out.record(&done, Some(&format!("{} present at session {s}", done.present.len())), &Block::new());
            Ok(())
        }
        CourseCommand::Attendance { id, session: None, .. } => {
            let all = c.attendance(actor, CourseId(id))?;
            let mut table = Table::new(&["SESSION", "PRESENT"]);
            for a in &all {
                let names: Vec<String> = a.present.iter().map(|p| name_of(session, *p)).collect();
                table.row(vec![a.session.to_string(), names.join(", ")]);
            }
            session.out.page(&all, None, &table);
            Ok(())
        }
        CourseCommand::Certificates(CertificatesCommand::Claim { registration, legal_name }) => {
            let name = match legal_name {
                Some(name) => CertificateName::Legal { name },
                None => CertificateName::Pseudonym,
            };
            let cert = c.claim_certificate(actor, RegistrationId(registration), &name)?;
            let block = Block::new()
                .line("code", cert.code.clone())
                .line("name", cert.name.clone())
                .line("course", cert.course_title.clone())
                .line("completed on", cert.completed_on.to_string())
                .line("attended", format!("{} of {} sessions", cert.attended, cert.held));
            session.out.record(
                &cert,
                Some("certificate issued; anyone can check it with `trialog course verify CODE`"),
                &block,
            );
            Ok(())
        }
        CourseCommand::Certificates(CertificatesCommand::List { id }) => {
            let certs = c.certificates(actor, CourseId(id))?;
            let mut table = Table::new(&["CODE", "NAME", "COMPLETED", "ATTENDED"]);
            for cert in &certs {
                let attended = format!("{}/{}", cert.attended, cert.held);
                table.row(vec![cert.code.clone(), cert.name.clone(), cert.completed_on.to_string(), attended]);
            }
            session.out.page(&certs, None, &table);
            Ok(())
        }
        CourseCommand::Verify { code } => {
            let check = c.verify_certificate(actor, &code)?;
            let block = Block::new()
                .line("name", check.name.clone())
                .line("course", check.course_title.clone())
                .line("completed on", check.completed_on.to_string());
            session.out.record(&check, Some("valid certificate"), &block);
            Ok(())
        }
        CourseCommand::Ics(args) => ics(session, args),
        CourseCommand::Feed { account, output } => {
            let id = account_ids(session, std::slice::from_ref(&account))?[0];
            write_calendar(session, &c.calendar_feed(actor, id)?, output)
        }
        CourseCommand::List(args) => {
            let filter = CourseFilter {
                org: args.org,
                language: args.language,
                free_places: args.free_places,
                text: args.text,
                topic: args.topic,
                near: match (args.postcode, args.radius_km) {
                    (Some(postcode), Some(radius_km)) => {
                        Some(CourseNear { country: args.country, postcode, radius_km })
                    }
                    _ => None,
                },
                since: args.from,
                until: args.until,
                ..Default::default()
            };
            let page = c.list(actor, &filter, &page_request(args.page))?;
            let mut table = Table::new(&["ID", "TITLE", "STATE", "FIRST SESSION", "LANG", "PLACES", "WAITING"]);
            for course in &page.items {
                let first = course.sessions.iter().find(|s| !s.cancelled).map(|s| when(s.start));
                table.row(vec![
                    course.id.to_string(),
                    course.title.clone(),
                    state(course.state).into(),
                    or_dash(first.as_deref()),
                    course.language.clone(),
                    format!("{}/{}", course.places_taken, course.capacity),
                    course.waiting.to_string(),
                ]);
            }
            session.out.page(&page.items, page.next_cursor.as_deref(), &table);
            Ok(())
        }
        CourseCommand::Show { id } => show(session, &c.get(actor, CourseId(id))?, None),
    }
}

/// `trialog tick`: every domain's work due now (or by --at), once.
pub fn tick(session: &Session, args: TickArgs) -> Result<(), Failure> {
    let at = match args.at.as_deref() {
        Some(text) => time("at", text)?,
        None => session.platform.now(),
    };
    let report = session.platform.tick(&session.actor, at)?;
    let mut table = Table::new(&["DOMAIN", "WORK", "COUNT"]);
    for w in &report.work {
        table.row(vec![w.domain.clone(), w.what.clone(), w.count.to_string()]);
    }
    session.out.page(&report.work, None, &table);
    Ok(())
}

fn sessions(session: &Session, command: SessionsCommand) -> Result<(), Failure> {
    let c = session.platform.courses();
    let actor = &session.actor;
    let course = match command {
        SessionsCommand::List { id } => c.get(actor, CourseId(id))?,
        SessionsCommand::Add { id, sessions, time_zone, weekly } => {
            let inputs = session_inputs(&sessions, &time_zone, weekly)?;
            c.add_sessions(actor, CourseId(id), &inputs)?
        }
        SessionsCommand::Move { id, session: s, to, time_zone } => {
            let input = session_inputs(&[to], &time_zone, None)?.remove(0);
            c.move_session(actor, CourseId(id), SessionId(s), &input)?
        }
        SessionsCommand::Cancel { id, session: s } => c.cancel_session(actor, CourseId(id), SessionId(s))?,
    };
    session.out.page(&course.sessions, None, &session_table(&course));
    Ok(())
}

fn session_table(course: &Course) -> Table {
    let mut table = Table::new(&["SESSION", "START", "END", "TIME ZONE", "STATUS"]);
    for s in &course.sessions {
        let status = if s.cancelled { "cancelled" } else { "planned" };
        table.row(vec![s.id.to_string(), when(s.start), when(s.end), s.time_zone.clone(), status.into()]);
    }
    table
}

fn ics(session: &Session, args: IcsArgs) -> Result<(), Failure> {
    let c = session.platform.courses();
    let text = match (args.course, args.registration) {
        (_, Some(reg)) => c.registration_calendar(&session.actor, RegistrationId(reg))?,
        (Some(course), None) => c.course_calendar(&session.actor, CourseId(course))?,
        (None, None) => return Err(Failure::usage("name --course or --registration", "trialog course ics --course 3")),
    };
    write_calendar(session, &text, args.output)
}

/// Prints a calendar, or writes it to a new private file.
fn write_calendar(session: &Session, text: &str, output: Option<std::path::PathBuf>) -> Result<(), Failure> {
    match output {
        Some(path) => {
            crate::permissions::write_private_new(&path, text)
                .map_err(|e| Failure::io(&format!("cannot write {}", path.display()), e))?;
            if session.out.json {
                session.out.json(&serde_json::json!({ "written": path.display().to_string() }));
            } else {
                outln!("written to {}", path.display());
            }
        }
        None => out!("{text}"),
    }
    Ok(())
}

fn show(session: &Session, course: &Course, headline: Option<&str>) -> Result<(), Failure> {
    if session.out.json {
        session.out.json(course);
        return Ok(());
    }
    if let Some(line) = headline {
        outln!("course {} {line}", course.id);
    }
    let team: Vec<String> = course.trainers.iter().map(|t| name_of(session, *t)).collect();
    let perspectives: Vec<String> = course.team_perspectives.iter().map(|p| format!("{p:?}")).collect();
    let fee = match &course.fee {
        Fee::Free => "free".to_string(),
        Fee::Amount { amount_cents, currency } => {
            format!("{}.{:02} {currency}", amount_cents / 100, amount_cents % 100)
        }
    };
    let place = course.place.as_ref().map(|p| {
        [p.venue.as_deref(), p.postcode.as_deref(), p.locality.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let block = Block::new()
        .line("course", course.id.to_string())
        .line("title", course.title.clone())
        .line("state", state(course.state))
        .line("organisation", session.org_name(course.org).unwrap_or_else(|| course.org.to_string()))
        .line("language", course.language.clone())
        .line("format", format!("{:?}", course.format))
        .line("place", or_dash(place.as_deref()))
        .line("link", or_dash(course.online_link.as_deref()))
        .line("places", format!("{} of {} taken, {} waiting", course.places_taken, course.capacity, course.waiting))
        .line("fee", fee)
        .line("trialogic", if course.trialogic { "yes" } else { "no" })
        .line("team", if team.is_empty() { "-".into() } else { team.join(", ") })
        .line("perspectives", if perspectives.is_empty() { "-".into() } else { perspectives.join(", ") });
    out!("{}", block.render());
    outln!("{}", session_table(course).render().trim_end());
    Ok(())
}

fn registrations(session: &Session, regs: &[Registration]) -> Result<(), Failure> {
    session.out.page(regs, None, &registration_table(session, regs));
    Ok(())
}

fn registration_table(session: &Session, regs: &[Registration]) -> Table {
    let mut table = Table::new(&["REGISTRATION", "COURSE", "ACCOUNT", "STATE", "OFFER UNTIL", "GROUP"]);
    for r in regs {
        table.row(vec![
            r.id.to_string(),
            r.course.to_string(),
            name_of(session, r.account),
            format!("{:?}", r.state).to_lowercase(),
            or_dash(r.offer_expires_at.map(when).as_deref()),
            or_dash(r.group.map(|g| g.to_string()).as_deref()),
        ]);
    }
    table
}

fn state(state: CourseState) -> &'static str {
    match state {
        CourseState::Draft => "draft",
        CourseState::Published => "published",
        CourseState::Running => "running",
        CourseState::Completed => "completed",
        CourseState::Cancelled => "cancelled",
    }
}

fn name_of(session: &Session, id: AccountId) -> String {
    session.pseudonym(id).unwrap_or_else(|| format!("account {id}"))
}

fn account_ids(session: &Session, addresses: &[String]) -> Result<Vec<AccountId>, Failure> {
    addresses.iter().map(|a| Ok(session.account(a)?.id)).collect()
}

fn new_course(a: CourseNew) -> Result<NewCourse, Failure> {
    let place = a.postcode.map(|postcode| PlaceInput::Postcode { country: a.country, postcode, venue: a.venue });
    let fee = match a.fee_cents {
        None => Fee::Free,
        Some(amount_cents) => Fee::Amount { amount_cents, currency: a.currency },
    };
    let s = a.settings;
    Ok(NewCourse {
        org: a.org,
        title: a.title,
        description: a.description,
        topics: a.topics,
        language: a.language,
        audience: if a.self_help_groups { CourseAudience::SelfHelpGroupMembers } else { CourseAudience::Everyone },
        format: match a.format {
            FormatArg::Online => CourseFormat::Online,
            FormatArg::InPerson => CourseFormat::InPerson,
            FormatArg::Hybrid => CourseFormat::Hybrid,
        },
        place,
        online_link: a.link,
        sessions: session_inputs(&a.sessions, &a.time_zone, a.weekly)?,
        capacity: a.capacity,
        fee,
        registration_opens: a.opens.as_deref().map(|t| time("opens", t)).transpose()?,
        registration_closes: a.closes.as_deref().map(|t| time("closes", t)).transpose()?,
        prerequisites: a.prerequisites.into_iter().map(CourseId).collect(),
        trialogic: a.trialogic,
        settings: Some(CourseSettings {
            offer_hours: s.offer_hours,
            reminder_hours: s.reminder_hours,
            cancel_hours: s.cancel_hours,
            completion_percent: s.completion_percent,
        }),
    })
}

fn session_inputs(texts: &[String], zone: &str, weekly: Option<u32>) -> Result<Vec<SessionInput>, Failure> {
    texts
        .iter()
        .map(|text| {
            let (start, end) = text.split_once('/').ok_or_else(|| {
                Failure::usage(format!("'{text}' is not START/END"), "--session 2027-03-04T18:00/2027-03-04T20:30")
            })?;
            Ok(SessionInput {
                start: start.into(),
                end: end.into(),
                time_zone: zone.into(),
                repeat: weekly.map(|count| Repeat { every_days: 7, count }),
            })
        })
        .collect()
}

fn time(field: &str, text: &str) -> Result<Timestamp, Failure> {
    DateTime::parse_from_rfc3339(text.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        Failure::usage(format!("--{field}: '{text}' is not an RFC 3339 time"), "for example 2027-03-01T00:00:00+01:00")
    })
}
