//! `trialog match runs ...`: stored match runs — list them, show one, and accept or decline
//! the pairs it proposed (supervisors and admins).

use clap::{Args, Subcommand};
use trialog_core::{MatchRun, MatchRunFilter, ProposedPair};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash, when};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum RunsCommand {
    /// Runs newest first, optionally of one cohort.
    List(RunList),
    /// One run: its pairs and their decisions, the pairs left out, who ran it and when.
    Show {
        /// The run's id.
        id: u64,
    },
    /// Confirm the pair proposed for PERSON (a client or trainee id; a row number for a matrix run).
    Accept(Decision),
    /// Turn down the pair proposed for PERSON; later runs of the cohort will not propose it again.
    Decline(Decision),
}

#[derive(Debug, Args)]
pub struct RunList {
    /// Only this cohort's runs.
    #[arg(long, value_name = "NAME")]
    pub cohort: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct Decision {
    /// The run's id.
    pub run: u64,
    /// The person whose proposed pair this is.
    pub person: String,
    /// Why (kept with the pair and in the audit log).
    #[arg(long)]
    pub reason: Option<String>,
}

/// Runs one `match runs` command.
pub fn run(session: &Session, command: RunsCommand) -> Result<(), Failure> {
    let runs = session.platform.match_runs();
    match command {
        RunsCommand::List(args) => list(session, args),
        RunsCommand::Show { id } => {
            show(session, &runs.get(&session.actor, id)?, None);
            Ok(())
        }
        RunsCommand::Accept(d) => {
            let run = runs.accept(&session.actor, d.run, &d.person, d.reason.as_deref())?;
            show(session, &run, Some(&decided(&run, &d.person, "accepted")));
            Ok(())
        }
        RunsCommand::Decline(d) => {
            let run = runs.decline(&session.actor, d.run, &d.person, d.reason.as_deref())?;
            show(session, &run, Some(&decided(&run, &d.person, "declined")));
            Ok(())
        }
    }
}

fn list(session: &Session, args: RunList) -> Result<(), Failure> {
    let filter = MatchRunFilter { cohort: args.cohort };
    let page = session.platform.match_runs().list(&session.actor, &filter, &page_request(args.page))?;
    let mut table =
        Table::new(&["ID", "COHORT", "KIND", "RUN AT", "RUN BY", "PAIRS", "ACCEPTED", "DECLINED", "UNMATCHED"]);
    for r in &page.items {
        table.row(vec![
            r.id.to_string(),
            r.cohort.clone(),
            r.kind.to_string(),
            when(r.run_at),
            r.run_by.to_string(),
            r.pairs.to_string(),
            r.accepted.to_string(),
            r.declined.to_string(),
            r.unmatched.to_string(),
        ]);
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    Ok(())
}

fn decided(run: &MatchRun, person: &str, what: &str) -> String {
    let partner = run.pairs.iter().find(|p| p.person == person).map_or("", |p| p.partner.as_str());
    format!("{what} {person} with {partner} in run {}", run.id)
}

fn show(session: &Session, run: &MatchRun, headline: Option<&str>) {
    if session.out.json {
        return session.out.json(run);
    }
    if let Some(line) = headline {
        outln!("{line}");
    }
    let excluded: Vec<String> =
        run.excluded.iter().map(|e| format!("{} with {} (run {})", e.person, e.partner, e.declined_in)).collect();
    let block = Block::new()
        .line("run", run.id.to_string())
        .line("cohort", run.cohort.clone())
        .line("kind", run.kind.to_string())
        .line("run by", run.run_by.to_string())
        .line("run at", when(run.run_at))
        .line("left out", if excluded.is_empty() { "-".into() } else { excluded.join(", ") })
        .line("unmatched", run.result.unmatched().to_string());
    out!("{}", block.render());
    let mut table = Table::new(&["PERSON", "PARTNER", "SCORE", "DECISION", "BY", "REASON"]);
    for pair in &run.pairs {
        table.row(pair_row(pair));
    }
    if table.is_empty() {
        outln!("(no pairs proposed)");
    } else {
        out!("{}", table.render());
    }
}

fn pair_row(pair: &ProposedPair) -> Vec<String> {
    vec![
        pair.person.clone(),
        pair.partner.clone(),
        pair.score.map_or_else(|| "-".into(), |s| s.to_string()),
        pair.decision.to_string(),
        pair.decided_by.as_ref().map_or_else(|| "-".into(), ToString::to_string),
        or_dash(pair.reason.as_deref()),
    ]
}
