//! `trialog programme ...`: programmes of course modules (EX-IN curricula, Peer2Peer), their
//! cohorts, a trainee's progress, the trainee's consent to their EX-IN status, and placement
//! rounds matched by stable matching.

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use trialog_core::OrgId;
use trialog_core::{
    AccountId, Actor, CohortId, CourseId, NewCohort, NewProgramme, PlacementOffer, PlacementRound, Programme,
    ProgrammeId, ProgrammeKind, ProgrammeModule, ProgrammeProgress, RoundId,
};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum ProgrammeCommand {
    /// Create a programme of course modules in order (the organisation's staff).
    New(ProgrammeNew),
    /// One programme: modules, cohorts and accepted placements (its staff and trainees).
    Show {
        /// The programme's id.
        id: u64,
    },
    /// An organisation's programmes (its staff).
    List {
        /// The organisation's id.
        #[arg(long)]
        org: OrgId,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Cohorts of a programme.
    #[command(subcommand)]
    Cohort(CohortCommand),
    /// Enrol more trainees in a cohort (the programme's staff).
    Enrol {
        /// The programme's id.
        id: u64,
        /// The cohort's id (see `programme show`).
        #[arg(long)]
        cohort: u64,
        /// The trainees' accounts (pseudonym, id or @pseudonym).
        #[arg(required = true)]
        trainees: Vec<String>,
    },
    /// A trainee's completed and missing modules (the trainee and the programme's staff).
    Progress {
        /// The programme's id.
        id: u64,
        /// The trainee's account; yourself when left out.
        #[arg(long)]
        trainee: Option<String>,
    },
    /// Consent to have your EX-IN status set to "certified" on your seeker profile from this
    /// completed EX-IN programme (only as yourself: --as).
    ExinConsent {
        /// The programme's id.
        id: u64,
    },
    /// Placement rounds: open, rank, run, show.
    #[command(subcommand)]
    Round(RoundCommand),
    /// A programme's placement rounds in the order they were opened.
    Rounds {
        /// The programme's id.
        id: u64,
    },
}

#[derive(Debug, Args)]
pub struct ProgrammeNew {
    /// The organisation running it.
    #[arg(long)]
    pub org: OrgId,
    /// Its title.
    #[arg(long)]
    pub title: String,
    /// What kind of training it is (only an EX-IN curriculum sets the EX-IN status).
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// A module, in order: a course id, or COURSE:elective for an elective one (repeat).
    #[arg(long = "module", value_name = "COURSE[:elective]", required = true)]
    pub modules: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// An EX-IN curriculum.
    ExIn,
    /// A Peer2Peer vocational training.
    Peer2peer,
    /// Another kind of programme.
    Other,
}

#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// Add a cohort with its trainees (the programme's staff).
    Add {
        /// The programme's id.
        id: u64,
        /// The cohort's name.
        #[arg(long)]
        name: String,
        /// The day it starts (YYYY-MM-DD).
        #[arg(long)]
        start: String,
        /// A trainee's account (pseudonym, id or @pseudonym; repeat).
        #[arg(long = "trainee", value_name = "ACCOUNT")]
        trainees: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoundCommand {
    /// Open a placement round for a cohort with the places hosts offer (the programme's staff).
    Open {
        /// The programme's id.
        id: u64,
        /// The cohort's id.
        #[arg(long)]
        cohort: u64,
        /// A host and how many trainees it takes: ORG:CAPACITY (repeat).
        #[arg(long = "place", value_name = "ORG:CAPACITY", required = true)]
        places: Vec<String>,
    },
    /// A trainee's ranking of the round's hosts, best first (the trainee or the programme's staff).
    RankHosts {
        /// The round's id.
        round: u64,
        /// The trainee's account; yourself when left out.
        #[arg(long)]
        trainee: Option<String>,
        /// The host organisations' ids, best first; hosts left out are ones the trainee would not go to.
        hosts: Vec<OrgId>,
    },
    /// A host's ranking of the round's trainees, best first (the host's or the programme's staff).
    RankTrainees {
        /// The round's id.
        round: u64,
        /// The host organisation's id.
        #[arg(long)]
        host: OrgId,
        /// The trainees' accounts, best first; trainees left out are ones the host would not take.
        trainees: Vec<String>,
    },
    /// Run the round by stable matching once all rankings are in (the programme's staff; once).
    Run {
        /// The round's id.
        round: u64,
    },
    /// One round (the programme's staff see everything; others their own rankings).
    Show {
        /// The round's id.
        round: u64,
    },
}

pub fn run(session: &Session, command: ProgrammeCommand) -> Result<(), Failure> {
    let ps = session.platform.programmes();
    let actor = &session.actor;
    match command {
        ProgrammeCommand::New(a) => {
            let new = NewProgramme { org: a.org, title: a.title, kind: kind(a.kind), modules: modules(&a.modules)? };
            show(session, &ps.create(actor, &new)?, Some("created"))
        }
        ProgrammeCommand::Show { id } => show(session, &ps.get(actor, ProgrammeId(id))?, None),
        ProgrammeCommand::List { org, page } => {
            let page = ps.list(actor, org, &page_request(page))?;
            let mut table = Table::new(&["ID", "TITLE", "KIND", "MODULES", "COHORTS", "PLACEMENTS"]);
            for p in &page.items {
                table.row(vec![
                    p.id.to_string(),
                    p.title.clone(),
                    kind_name(p.kind).into(),
                    p.modules.len().to_string(),
                    p.cohorts.len().to_string(),
                    p.placements.len().to_string(),
                ]);
            }
            session.out.page(&page.items, page.next_cursor.as_deref(), &table);
            Ok(())
        }
        ProgrammeCommand::Cohort(CohortCommand::Add { id, name, start, trainees }) => {
            let start = NaiveDate::parse_from_str(start.trim(), "%Y-%m-%d")
                .map_err(|_| Failure::usage(format!("--start: '{start}' is not a date"), "for example 2027-03-01"))?;
            let cohort = NewCohort { name, start, trainees: account_ids(session, &trainees)? };
            show(session, &ps.add_cohort(actor, ProgrammeId(id), &cohort)?, Some("cohort added"))
        }
        ProgrammeCommand::Enrol { id, cohort, trainees } => {
            let ids = account_ids(session, &trainees)?;
            show(session, &ps.enrol(actor, ProgrammeId(id), CohortId(cohort), &ids)?, Some("enrolled"))
        }
        ProgrammeCommand::Progress { id, trainee } => {
            let trainee = whose(session, trainee.as_deref())?;
            progress(session, &ps.progress(actor, ProgrammeId(id), trainee)?, None)
        }
        ProgrammeCommand::ExinConsent { id } => {
            let me = whose(session, None)?;
            let done = ps.consent_exin_status(actor, ProgrammeId(id), me)?;
            progress(session, &done, Some("consent recorded; your seeker profile says EX-IN certified"))
        }
        ProgrammeCommand::Round(command) => round_command(session, command),
        ProgrammeCommand::Rounds { id } => {
            let rounds = ps.rounds(actor, ProgrammeId(id))?;
            let mut table = Table::new(&["ROUND", "COHORT", "PLACES", "TRAINEES", "RUN AT", "PAIRS"]);
            for r in &rounds {
                table.row(vec![
                    r.id.to_string(),
                    r.cohort.to_string(),
                    r.places.len().to_string(),
                    r.trainees.len().to_string(),
                    dash(r.run_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())),
                    r.pairs.len().to_string(),
                ]);
            }
            session.out.page(&rounds, None, &table);
            Ok(())
        }
    }
}

fn round_command(session: &Session, command: RoundCommand) -> Result<(), Failure> {
    let ps = session.platform.programmes();
    let actor = &session.actor;
    match command {
        RoundCommand::Open { id, cohort, places } => {
            let offers = places.iter().map(|p| place(p)).collect::<Result<Vec<_>, _>>()?;
            let round = ps.open_round(actor, ProgrammeId(id), CohortId(cohort), &offers)?;
            show_round(session, &round, Some("round opened; both sides rank next"))
        }
        RoundCommand::RankHosts { round, trainee, hosts } => {
            let trainee = whose(session, trainee.as_deref())?;
            show_round(session, &ps.rank_hosts(actor, RoundId(round), trainee, &hosts)?, Some("ranking saved"))
        }
        RoundCommand::RankTrainees { round, host, trainees } => {
            let ids = account_ids(session, &trainees)?;
            show_round(session, &ps.rank_trainees(actor, RoundId(round), host, &ids)?, Some("ranking saved"))
        }
        RoundCommand::Run { round } => show_round(
            session,
            &ps.run_round(actor, RoundId(round))?,
            Some("round run; its pairs are on the programme"),
        ),
        RoundCommand::Show { round } => show_round(session, &ps.round(actor, RoundId(round))?, None),
    }
}

fn show(session: &Session, p: &Programme, headline: Option<&str>) -> Result<(), Failure> {
    let module_list: Vec<String> = p
        .modules
        .iter()
        .map(|m| if m.elective { format!("{} (elective)", m.course) } else { m.course.to_string() })
        .collect();
    let cohorts: Vec<String> = p
        .cohorts
        .iter()
        .map(|c| format!("{} {} from {}: {} trainees", c.id, c.name, c.start, c.trainees.len()))
        .collect();
    let placements: Vec<String> = p
        .placements
        .iter()
        .map(|x| format!("{} → {} (round {})", name_of(session, x.trainee), org(session, x.org), x.round))
        .collect();
    let block = Block::new()
        .line("id", p.id.to_string())
        .line("title", p.title.clone())
        .line("kind", kind_name(p.kind))
        .line("organisation", org(session, p.org))
        .line("modules", module_list.join(", "))
        .line("cohorts", dash((!cohorts.is_empty()).then(|| cohorts.join("; "))))
        .line("placements", dash((!placements.is_empty()).then(|| placements.join("; "))));
    session.out.record(p, headline, &block);
    Ok(())
}

fn progress(session: &Session, p: &ProgrammeProgress, headline: Option<&str>) -> Result<(), Failure> {
    // Module titles with their course ids: the ids alone say nothing to the trainee.
    let list = |done: bool| {
        let modules: Vec<String> = p
            .modules
            .iter()
            .filter(|m| m.completed == done)
            .map(|m| format!("{} ({})", m.course_title, m.course))
            .collect();
        dash((!modules.is_empty()).then(|| modules.join("; ")))
    };
    let block = Block::new()
        .line("trainee", name_of(session, p.trainee))
        .line("completed", list(true))
        .line("missing", list(false))
        .line("complete", if p.complete { "yes" } else { "no" })
        .line("EX-IN consent", dash(p.exin_consented_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())));
    session.out.record(p, headline, &block);
    Ok(())
}

fn show_round(session: &Session, r: &PlacementRound, headline: Option<&str>) -> Result<(), Failure> {
    if session.out.json {
        session.out.json(r);
        return Ok(());
    }
    let places: Vec<String> = r.places.iter().map(|p| format!("{} ({})", org(session, p.org), p.capacity)).collect();
    let waiting = r.trainees.iter().filter(|t| t.preferences.is_none()).count()
        + r.places.iter().filter(|p| p.ranking.is_none()).count();
    let pairs: Vec<String> =
        r.pairs.iter().map(|x| format!("{} → {}", name_of(session, x.trainee), org(session, x.org))).collect();
    let unplaced: Vec<String> = r.unplaced.iter().map(|t| name_of(session, *t)).collect();
    let block = Block::new()
        .line("round", r.id.to_string())
        .line("programme", r.programme.to_string())
        .line("cohort", r.cohort.to_string())
        .line("places", places.join(", "))
        .line("trainees", r.trainees.len().to_string())
        .line("rankings missing (that you may see)", waiting.to_string())
        .line("run at", dash(r.run_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())))
        .line("pairs", dash((!pairs.is_empty()).then(|| pairs.join("; "))))
        .line("unplaced", dash((!unplaced.is_empty()).then(|| unplaced.join(", "))));
    session.out.record(r, headline, &block);
    Ok(())
}

fn kind(k: KindArg) -> ProgrammeKind {
    match k {
        KindArg::ExIn => ProgrammeKind::ExIn,
        KindArg::Peer2peer => ProgrammeKind::Peer2Peer,
        KindArg::Other => ProgrammeKind::Other,
    }
}

fn kind_name(k: ProgrammeKind) -> &'static str {
    match k {
        ProgrammeKind::ExIn => "EX-IN curriculum",
        ProgrammeKind::Peer2Peer => "Peer2Peer",
        ProgrammeKind::Other => "other",
    }
}

/// `--module 3` or `--module 3:elective`.
fn modules(texts: &[String]) -> Result<Vec<ProgrammeModule>, Failure> {
    texts
        .iter()
        .map(|t| {
            let (id, elective) = match t.split_once(':') {
                Some((id, "elective")) => (id, true),
                Some(_) => return Err(Failure::usage(format!("--module: '{t}'"), "give COURSE or COURSE:elective")),
                None => (t.as_str(), false),
            };
            let course = id.trim().parse().map_err(|_| {
                Failure::usage(format!("--module: '{id}' is not a course id"), "see `trialog course list`")
            })?;
            Ok(ProgrammeModule { course: CourseId(course), elective })
        })
        .collect()
}

/// `--place ORG:CAPACITY`.
fn place(text: &str) -> Result<PlacementOffer, Failure> {
    let hint = "give ORG:CAPACITY, for example 7:2";
    let (org, capacity) = text.split_once(':').ok_or_else(|| Failure::usage(format!("--place: '{text}'"), hint))?;
    let org =
        org.trim().parse().map_err(|_| Failure::usage(format!("--place: '{org}' is not an organisation id"), hint))?;
    let capacity =
        capacity.trim().parse().map_err(|_| Failure::usage(format!("--place: '{capacity}' is not a number"), hint))?;
    Ok(PlacementOffer { org, capacity })
}

/// The account named, or the acting account.
fn whose(session: &Session, account: Option<&str>) -> Result<AccountId, Failure> {
    match (account, &session.actor) {
        (Some(address), _) => Ok(session.account(address)?.id),
        (None, Actor::Account { id }) => Ok(*id),
        (None, _) => {
            Err(Failure::usage("name the trainee", "give --trainee ACCOUNT, or act as the trainee with --as PSEUDONYM"))
        }
    }
}

fn account_ids(session: &Session, addresses: &[String]) -> Result<Vec<AccountId>, Failure> {
    addresses.iter().map(|a| Ok(session.account(a)?.id)).collect()
}

fn name_of(session: &Session, id: AccountId) -> String {
    session.pseudonym(id).unwrap_or_else(|| format!("account {id}"))
}

fn org(session: &Session, id: OrgId) -> String {
    session.org_name(id).unwrap_or_else(|| id.to_string())
}

fn dash(value: Option<String>) -> String {
    or_dash(value.as_deref())
}
