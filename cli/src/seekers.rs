//! `trialog seeker ...`: a seeker's profile on the job board, and the list of findable seekers
//! that verified employers may browse.

use clap::{Args, Subcommand};
use trialog_core::{AccountId, Actor, ExInStatus, SeekerFilter, SeekerProfile, SeekerProfileInput};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::jobs::{PlaceArgs, hours, hours_text, min_pay, place_input, place_text, with_job_hint};
use crate::orgs::page_request;
use crate::output::{Block, Table, when};
use crate::session::Session;

/// `trialog seeker ...`.
#[derive(Debug, Subcommand)]
#[command(after_help = "EXAMPLES:\n  \
    trialog --as Kim_aus_Jena seeker set --at 50.93,11.59 --max-km 40 --hours 20-30 --exin certified --lang de --findable\n  \
    trialog --as Kim_aus_Jena seeker show\n  \
    trialog --as Personal_Hamburg seeker list --exin certified")]
pub enum SeekerCommand {
    /// Set (replace) a seeker profile: yours with --as, or ACCOUNT's (admins, the operator).
    ///
    /// The profile is private until --findable: then staff of verified employers may see it.
    /// Options not given are cleared, since the whole profile is replaced.
    Set(Box<SeekerSet>),
    /// Show a seeker profile: yours with --as, or ACCOUNT's (if findable, for verified employers).
    Show {
        /// Pseudonym or id (default: the account of --as).
        account: Option<String>,
    },
    /// List findable seekers (staff of verified employers, admins).
    List(SeekerList),
}

#[derive(Debug, Args)]
pub struct SeekerSet {
    /// Pseudonym or id (default: the account of --as).
    pub account: Option<String>,
    /// Where you live or would work from.
    #[command(flatten)]
    pub home: PlaceArgs,
    /// How far you would travel, in km (1 to 1000).
    #[arg(long, value_name = "KM")]
    pub max_km: Option<u32>,
    /// Weekly hours you want: 20-30, or 39.
    #[arg(long, value_name = "MIN[-MAX]")]
    pub hours: Option<String>,
    /// Contracts you want: permanent, fixed_term, mini_job, freelance, placement, volunteer.
    #[arg(long, value_delimiter = ',', value_name = "CONTRACT")]
    pub contract: Vec<String>,
    /// Your EX-IN status: none (default), in_training or certified.
    #[arg(long, value_name = "STATUS")]
    pub exin: Option<String>,
    /// Your working languages (ISO 639-1): --lang de,en.
    #[arg(long = "lang", value_delimiter = ',', value_name = "CODE")]
    pub languages: Vec<String>,
    /// You are open to remote work.
    #[arg(long)]
    pub remote: bool,
    /// Let staff of verified employers find and see this profile.
    #[arg(long)]
    pub findable: bool,
    /// The least pay you want, for job suggestions: '3000', '3000 EUR/month', '18 EUR/hour'.
    #[arg(long, value_name = "AMOUNT [CUR][/UNIT]")]
    pub min_pay: Option<String>,
}

#[derive(Debug, Args)]
pub struct SeekerList {
    /// Seekers who would travel to this place (within their own maximum distance).
    #[command(flatten)]
    pub near: PlaceArgs,
    /// Only this EX-IN status: none, in_training, certified.
    #[arg(long, value_name = "STATUS")]
    pub exin: Option<String>,
    /// Only seekers working in this language (ISO 639-1).
    #[arg(long = "lang", value_name = "CODE")]
    pub language: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

/// Runs one `seeker` command.
pub fn run(session: &Session, command: SeekerCommand) -> Result<(), Failure> {
    dispatch(session, command).map_err(with_job_hint)
}

fn dispatch(session: &Session, command: SeekerCommand) -> Result<(), Failure> {
    match command {
        SeekerCommand::Set(args) => set(session, *args),
        SeekerCommand::Show { account } => {
            let id = whose(session, account.as_deref())?;
            let profile = session.platform.seekers().get(&session.actor, id)?;
            session.out.record(&profile, None, &block(&profile));
            Ok(())
        }
        SeekerCommand::List(args) => list(session, args),
    }
}

fn set(session: &Session, args: SeekerSet) -> Result<(), Failure> {
    let id = whose(session, args.account.as_deref())?;
    let input = SeekerProfileInput {
        location: place_input(&args.home)?,
        max_distance_km: args.max_km,
        hours: args.hours.as_deref().map(|h| hours("hours", h)).transpose()?,
        contracts: args.contract.iter().map(|c| c.parse()).collect::<Result<_, _>>()?,
        exin: args.exin.as_deref().map(str::parse::<ExInStatus>).transpose()?,
        languages: args.languages,
        open_to_remote: args.remote,
        findable: args.findable,
        min_pay: args.min_pay.as_deref().map(min_pay).transpose()?,
    };
    let profile = session.platform.seekers().set(&session.actor, id, &input)?;
    let visibility = if profile.findable { "findable by verified employers" } else { "private" };
    let headline = format!("saved the seeker profile of {} ({visibility})", profile.pseudonym);
    session.out.record(&profile, Some(&headline), &block(&profile));
    Ok(())
}

fn list(session: &Session, args: SeekerList) -> Result<(), Failure> {
    let filter = SeekerFilter {
        near: place_input(&args.near)?,
        exin: args.exin.as_deref().map(str::parse::<ExInStatus>).transpose()?,
        language: args.language,
    };
    let page = session.platform.seekers().list_findable(&session.actor, &filter, &page_request(args.page))?;
    let mut table = Table::new(&["ACCOUNT", "PSEUDONYM", "PLACE", "MAX KM", "HOURS", "EX-IN", "LANGUAGES"]);
    for p in &page.items {
        table.row(vec![
            p.account.to_string(),
            p.pseudonym.clone(),
            p.location.as_ref().map_or_else(|| "-".into(), place_text),
            p.max_distance_km.map_or_else(|| "-".into(), |km| km.to_string()),
            p.hours.map_or_else(|| "-".into(), hours_text),
            p.exin.to_string(),
            p.languages.join(","),
        ]);
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    Ok(())
}

/// The account named, or the acting account.
pub fn whose(session: &Session, account: Option<&str>) -> Result<AccountId, Failure> {
    match (account, &session.actor) {
        (Some(address), _) => Ok(session.account(address)?.id),
        (None, Actor::Account { id }) => Ok(*id),
        (None, _) => Err(Failure::usage(
            "name the account whose seeker profile this is",
            "give ACCOUNT (a pseudonym or id), or act as the seeker with --as PSEUDONYM",
        )),
    }
}

fn block(profile: &SeekerProfile) -> Block {
    let contracts: Vec<String> = profile.contracts.iter().map(ToString::to_string).collect();
    Block::new()
        .line("account", format!("{} ({})", profile.pseudonym, profile.account))
        .line("home", profile.location.as_ref().map_or_else(|| "-".into(), place_text))
        .line("max distance", profile.max_distance_km.map_or_else(|| "-".into(), |km| format!("{km} km")))
        .line("hours", profile.hours.map_or_else(|| "-".into(), |h| format!("{} a week", hours_text(h))))
        .line("contracts", if contracts.is_empty() { "any".into() } else { contracts.join(", ") })
        .line("EX-IN", profile.exin.to_string())
        .line("languages", profile.languages.join(", "))
        .line(
            "min. pay",
            profile.min_pay.as_ref().map_or_else(|| "-".into(), |p| format!("{} {}/{}", p.amount, p.currency, p.unit)),
        )
        .line("remote", if profile.open_to_remote { "open to remote work" } else { "no" })
        .line("findable", if profile.findable { "yes" } else { "no (private)" })
        .line("updated", when(profile.updated_at))
}
