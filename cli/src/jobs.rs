//! `trialog job ...`: post, edit and publish job postings, search the board, count views, mark
//! and follow interest. Imports and exports live in [`crate::job_files`].
//!
//! Values with a domain meaning (contract, requirement, sort, EX-IN status) are taken as text and
//! checked by the core, so that a bad value is an `invalid_input` error naming its field. Ranges
//! are written `MIN-MAX` (`--hours 20-30`, `--pay 3100-3600`) or as one figure.

use chrono::{NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use serde_json::Value;
use trialog_core::OrgId;
use trialog_core::{Contract, Error};
use trialog_core::{
    ExInRequirement, ExInStatus, Hours, Interest, InterestStatus, Job, JobHit, JobId, JobQuery, JobSort, JobUpdate,
    Location, LocationInput, MinPay, NewJob, Pay, PayUnit, Timestamp,
};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::job_files::{self, ExportArgs, ImportArgs};
use crate::orgs::page_request;
use crate::output::{Block, Table, or_dash, when};
use crate::session::Session;

/// Examples shown after `trialog job --help`.
const JOB_EXAMPLES: &str = "\
EXAMPLES:
  trialog job search --at 52.52,13.405 --radius 30 --contract permanent,fixed_term
  trialog job search --text Genesungsbegleitung --min-pay '3000 EUR/month' --sort pay
  trialog --as Personal_Hamburg job post --org 4 --title 'Genesungsbegleiter:in (m/w/d)' \\
      --description 'Wir suchen …' --at 53.55,9.99 --place Hamburg --contract permanent \\
      --hours 20-30 --pay 3100-3600 --agreement TV-L --group 'E 7' --lang de --publish
  trialog --as Kim_aus_Jena job interest 12 --note 'EX-IN-Zertifikat seit 2024'
  trialog job import postings.csv --dry-run";

/// `trialog job ...`.
#[derive(Debug, Subcommand)]
#[command(after_help = JOB_EXAMPLES)]
pub enum JobCommand {
    /// Create a posting for a verified organisation (a draft unless --publish).
    ///
    /// Only staff of the organisation (employer_staff:ORG) or an admin may post; the organisation
    /// must be verified. Pay is required to publish anything but a volunteer post (EU pay
    /// transparency). Prints the new posting.
    Post(Box<JobPost>),
    /// Change a draft or published posting; options not given stay as they are.
    ///
    /// A published posting is re-indexed at once. Giving any place option replaces the location.
    Edit(Box<JobEdit>),
    /// Publish drafts: they become searchable and saved searches they match get an alert.
    ///
    /// Several ids are published in one transaction: all of them or none.
    Publish {
        /// The draft postings' ids.
        #[arg(required = true, value_name = "JOB")]
        ids: Vec<u64>,
    },
    /// Take a draft or published posting off the board.
    Withdraw {
        /// The posting's id.
        id: u64,
        /// Why (kept in the audit log).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Mark a published posting filled: it leaves the search and stays readable.
    Fill {
        /// The posting's id.
        id: u64,
    },
    /// Show one posting (drafts and withdrawn ones only to its organisation's staff).
    Show {
        /// The posting's id.
        id: u64,
        /// Print it as a schema.org JobPosting (JSON-LD) instead.
        #[arg(long)]
        json_ld: bool,
    },
    /// Search published postings: near a place, by text, contract, hours, pay, EX-IN, language.
    ///
    /// Every given filter must hold. Hits show the distance from the place searched around.
    /// Without a place, remote postings are included; with one, only with --remote.
    Search(Box<JobSearch>),
    /// Count one view of a published posting (anyone may; who viewed is not stored).
    View {
        /// The posting's id.
        id: u64,
    },
    /// Views per month of a posting (its staff), or of all postings with --total (admins).
    Views {
        /// The posting's id.
        #[arg(required_unless_present = "total", conflicts_with = "total")]
        id: Option<u64>,
        /// All postings together.
        #[arg(long)]
        total: bool,
    },
    /// Import postings from a JSON Lines or CSV file (see `trialog job import --help`).
    #[command(long_about = job_files::IMPORT_ABOUT)]
    Import(ImportArgs),
    /// Export postings as JSON Lines or as schema.org JobPosting JSON-LD.
    Export(ExportArgs),
    /// Mark your interest in a published posting (as an account: --as), with an optional note.
    ///
    /// The employer's staff see it in `trialog job interests JOB` and move it forward; you are
    /// told of every step in your inbox.
    Interest {
        /// The posting's id.
        job: u64,
        /// A note for the employer: your EX-IN status, when you could start, how to reach you.
        #[arg(long)]
        note: Option<String>,
    },
    /// List the interest in a posting (its staff), or your own with --mine.
    Interests {
        /// The posting's id.
        #[arg(required_unless_present = "mine", conflicts_with = "mine")]
        job: Option<u64>,
        /// Your own interests, in every posting.
        #[arg(long)]
        mine: bool,
    },
    /// Move an interest forward (the posting's staff): contacted, interviewing, hired or declined.
    ///
    /// Steps only go forward: new → contacted → interviewing → hired | declined. Hiring as many
    /// people as the posting has openings marks it filled.
    Advance {
        /// The interest's id (from `trialog job interests JOB`).
        interest: u64,
        /// contacted, interviewing, hired or declined.
        status: String,
    },
}

/// Where a posting, a search or a seeker is: coordinates, or a postcode looked up in the gazetteer.
#[derive(Debug, Args, Default)]
pub struct PlaceArgs {
    /// Coordinates as LAT,LON in degrees (WGS 84): --at 52.52,13.405.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true, conflicts_with_all = ["lat", "postcode"])]
    pub at: Option<String>,
    /// Latitude in degrees north (with --lon).
    #[arg(long, requires = "lon", allow_negative_numbers = true, conflicts_with = "postcode")]
    pub lat: Option<f64>,
    /// Longitude in degrees east (with --lat).
    #[arg(long, requires = "lat", allow_negative_numbers = true)]
    pub lon: Option<f64>,
    /// A postcode, looked up in the gazetteer of --country (`trialog geo import` loads one).
    #[arg(long, requires = "country")]
    pub postcode: Option<String>,
    /// The postcode's country, ISO 3166 alpha-2: DE, DK.
    #[arg(long, requires = "postcode")]
    pub country: Option<String>,
}

/// The filters of a job search, shared by `job search` and `alert add`.
#[derive(Debug, Args, Default)]
pub struct SearchFilters {
    #[command(flatten)]
    pub place: PlaceArgs,
    /// Kilometres around the place, more than 0 and at most 1000 (default 50).
    #[arg(long, value_name = "KM")]
    pub radius: Option<f64>,
    /// Words that must all occur in title or description (any case, accents and word forms).
    #[arg(long)]
    pub text: Option<String>,
    /// Any of these contracts: permanent, fixed_term, mini_job, freelance, placement, volunteer.
    #[arg(long, value_delimiter = ',', value_name = "CONTRACT")]
    pub contract: Vec<String>,
    /// Weekly hours the posting's range must overlap: 20-30, or 39.
    #[arg(long, value_name = "MIN[-MAX]")]
    pub hours: Option<String>,
    /// At least this pay (upper end of the range): '3000', '3000 EUR/month', '18 EUR/hour',
    /// '28000 DKK'. Currency defaults to EUR, unit to month; only postings paid in that currency.
    #[arg(long, value_name = "AMOUNT [CUR][/UNIT]")]
    pub min_pay: Option<String>,
    /// Only postings a person with this EX-IN status qualifies for: none, in_training, certified.
    #[arg(long, value_name = "STATUS")]
    pub exin: Option<String>,
    /// Only postings with this working language (ISO 639-1): de, da, en.
    #[arg(long = "lang", value_name = "CODE")]
    pub language: Option<String>,
    /// With a place: include remote postings too.
    #[arg(long)]
    pub remote: bool,
    /// Only this organisation's postings.
    #[arg(long, value_name = "ORG")]
    pub org: Option<OrgId>,
    /// Only postings published on or after this day: 2026-05-01.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct JobSearch {
    #[command(flatten)]
    pub filters: SearchFilters,
    /// relevance (default: best text match, else nearest, else newest), newest, distance or pay.
    #[arg(long)]
    pub sort: Option<String>,
    /// With --org, for its own staff: drafts, filled, withdrawn and expired postings too.
    #[arg(long, requires = "org")]
    pub include_unpublished: bool,
    #[command(flatten)]
    pub page: PageArgs,
}

/// Pay as options: `--pay 3100-3600 --agreement TV-L --group 'E 7'`.
#[derive(Debug, Args, Default)]
pub struct PayArgs {
    /// Gross pay, a range or one figure: 3100-3600, 14.50-16, 3400.
    #[arg(long, value_name = "MIN[-MAX]")]
    pub pay: Option<String>,
    /// What the pay is per: hour, month (default) or year.
    #[arg(long, requires = "pay")]
    pub pay_unit: Option<String>,
    /// ISO 4217 code (default EUR): EUR, DKK.
    #[arg(long, requires = "pay")]
    pub currency: Option<String>,
    /// The collective agreement: TV-L, TVöD-VKA, AVR Diakonie, OK-24.
    #[arg(long, requires = "pay")]
    pub agreement: Option<String>,
    /// The pay group under the agreement: 'E 7', 'S 12'.
    #[arg(long, requires = "agreement")]
    pub group: Option<String>,
}

/// The fields of a posting, all optional; `post` checks the required ones.
#[derive(Debug, Args)]
pub struct JobFields {
    /// The title, one line of up to 150 characters.
    #[arg(long)]
    pub title: Option<String>,
    /// The description, up to 20,000 characters.
    #[arg(long)]
    pub description: Option<String>,
    #[command(flatten)]
    pub place: PlaceArgs,
    /// The place's name to show, with --at or --lat/--lon: --place 'Jena-Lobeda'.
    #[arg(long = "place", value_name = "NAME")]
    pub place_name: Option<String>,
    /// Work from anywhere.
    #[arg(long, conflicts_with_all = ["at", "lat", "postcode"])]
    pub remote: bool,
    /// permanent, fixed_term, mini_job, freelance, placement or volunteer.
    #[arg(long)]
    pub contract: Option<String>,
    /// Weekly hours, whole hours from 1 to 60: 20-30, or 39.
    #[arg(long, value_name = "MIN[-MAX]")]
    pub hours: Option<String>,
    #[command(flatten)]
    pub pay: PayArgs,
    /// EX-IN: none (default), training_accepted or certificate_required.
    #[arg(long)]
    pub requirement: Option<String>,
    /// Working languages as ISO 639-1 codes: --lang de, or --lang de,en.
    #[arg(long = "lang", value_delimiter = ',', value_name = "CODE")]
    pub languages: Option<Vec<String>>,
    /// The first working day: 2026-09-01.
    #[arg(long, value_name = "DATE")]
    pub starts: Option<String>,
    /// The last day the posting is shown (60 days after publishing when absent).
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
    /// How many people are hired (default 1).
    #[arg(long)]
    pub openings: Option<u32>,
    /// How to apply: an address, a phone number or a web page (empty clears it on edit).
    #[arg(long)]
    pub contact: Option<String>,
}

#[derive(Debug, Args)]
pub struct JobPost {
    /// The employer organisation's id.
    #[arg(long)]
    pub org: OrgId,
    #[command(flatten)]
    pub fields: JobFields,
    /// Publish it at once instead of leaving a draft.
    #[arg(long)]
    pub publish: bool,
}

#[derive(Debug, Args)]
pub struct JobEdit {
    /// The posting's id.
    pub id: u64,
    #[command(flatten)]
    pub fields: JobFields,
}

/// Runs one `job` command; input errors get hints that name the job options.
pub fn run(session: &Session, command: JobCommand) -> Result<(), Failure> {
    dispatch(session, command).map_err(with_job_hint)
}

fn dispatch(session: &Session, command: JobCommand) -> Result<(), Failure> {
    match command {
        JobCommand::Post(args) => post(session, *args),
        JobCommand::Edit(args) => edit(session, *args),
        JobCommand::Publish { ids } => publish(session, &ids),
        JobCommand::Withdraw { id, reason } => {
            let job = session.platform.jobs().withdraw(&session.actor, JobId(id), reason.as_deref())?;
            show_job(session, &job, Some(&format!("withdrew posting {id}")))
        }
        JobCommand::Fill { id } => {
            let job = session.platform.jobs().fill(&session.actor, JobId(id))?;
            show_job(session, &job, Some(&format!("posting {id} is filled")))
        }
        JobCommand::Show { id, json_ld } => show(session, id, json_ld),
        JobCommand::Search(args) => search(session, *args),
        JobCommand::View { id } => view(session, id),
        JobCommand::Views { id, .. } => views(session, id),
        JobCommand::Import(args) => job_files::import(session, args),
        JobCommand::Export(args) => job_files::export(session, args),
        JobCommand::Interest { job, note } => interest(session, job, note.as_deref()),
        JobCommand::Interests { job, .. } => interests(session, job),
        JobCommand::Advance { interest, status } => advance(session, interest, &status),
    }
}

fn post(session: &Session, args: JobPost) -> Result<(), Failure> {
    let new = new_job(args.org, args.fields)?;
    let jobs = session.platform.jobs();
    let mut job = jobs.create(&session.actor, &new)?;
    if args.publish {
        job = jobs.publish(&session.actor, job.id)?;
    }
    show_job(session, &job, Some(&format!("posted {} {}", job.state, job.id)))
}

fn edit(session: &Session, args: JobEdit) -> Result<(), Failure> {
    let change = job_update(args.fields)?;
    let job = session.platform.jobs().update(&session.actor, JobId(args.id), &change)?;
    show_job(session, &job, Some(&format!("updated posting {}", job.id)))
}

fn publish(session: &Session, ids: &[u64]) -> Result<(), Failure> {
    let ids: Vec<JobId> = ids.iter().copied().map(JobId).collect();
    let jobs = session.platform.jobs().publish_many(&session.actor, &ids)?;
    if session.out.json {
        session.out.list_json(&jobs);
        return Ok(());
    }
    for job in &jobs {
        let expires = job.expires_on.map_or_else(|| "-".into(), |d| d.to_string());
        outln!("published {} ({}), shown until {expires}", job.id, job.title);
    }
    Ok(())
}

fn show(session: &Session, id: u64, json_ld: bool) -> Result<(), Failure> {
    let job = session.platform.jobs().get(&session.actor, JobId(id))?;
    if json_ld {
        let org = session.platform.orgs().get(&session.actor, job.org)?;
        let value: Value = trialog_core::jobs::job_posting_json_ld(&job, &org);
        session.out.json(&value);
        return Ok(());
    }
    show_job(session, &job, None)
}

fn search(session: &Session, args: JobSearch) -> Result<(), Failure> {
    let mut query = job_query(args.filters)?;
    query.sort = args.sort.as_deref().map(str::parse::<JobSort>).transpose()?;
    query.include_unpublished = args.include_unpublished;
    let page = session.platform.jobs().search(&session.actor, &query, &page_request(args.page))?;
    let mut table = Table::new(&["ID", "TITLE", "PLACE", "KM", "CONTRACT", "HOURS", "PAY"]);
    for hit in &page.items {
        table.row(hit_row(hit, args.include_unpublished));
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    Ok(())
}

fn view(session: &Session, id: u64) -> Result<(), Failure> {
    session.platform.jobs().record_view(&session.actor, JobId(id))?;
    if session.out.json {
        session.out.json(&serde_json::json!({ "job": id, "viewed": true }));
    } else {
        outln!("counted a view of posting {id}");
    }
    Ok(())
}

fn views(session: &Session, id: Option<u64>) -> Result<(), Failure> {
    let jobs = session.platform.jobs();
    let months = match id {
        Some(id) => jobs.views(&session.actor, JobId(id))?,
        None => jobs.total_views(&session.actor)?,
    };
    if session.out.json {
        session.out.list_json(&months);
        return Ok(());
    }
    let mut table = Table::new(&["MONTH", "VIEWS"]);
    for month in &months {
        table.row(vec![month.month.clone(), month.views.to_string()]);
    }
    if table.is_empty() {
        outln!("(no views yet)")
    } else {
        out!("{}", table.render())
    }
    Ok(())
}

fn interest(session: &Session, job: u64, note: Option<&str>) -> Result<(), Failure> {
    let interest = session.platform.interests().mark(&session.actor, JobId(job), note)?;
    let headline = format!("marked interest {} in posting {job}", interest.id);
    session.out.record(&interest, Some(&headline), &interest_block(&interest));
    Ok(())
}

fn interests(session: &Session, job: Option<u64>) -> Result<(), Failure> {
    let interests = session.platform.interests();
    let list = match job {
        Some(job) => interests.for_job(&session.actor, JobId(job))?,
        None => interests.mine(&session.actor)?,
    };
    if session.out.json {
        session.out.list_json(&list);
        return Ok(());
    }
    let mut table = Table::new(&["ID", "JOB", "SEEKER", "STATUS", "SINCE", "NOTE"]);
    for i in &list {
        table.row(vec![
            i.id.to_string(),
            i.job.to_string(),
            i.pseudonym.clone(),
            i.status.to_string(),
            when(i.updated_at),
            or_dash(i.note.as_deref()),
        ]);
    }
    if table.is_empty() {
        outln!("(none)")
    } else {
        out!("{}", table.render())
    }
    Ok(())
}

fn advance(session: &Session, id: u64, status: &str) -> Result<(), Failure> {
    let status: InterestStatus = status.parse()?;
    let interest = session.platform.interests().advance(&session.actor, id, status)?;
    let headline = format!("interest {id} is now {}", interest.status);
    session.out.record(&interest, Some(&headline), &interest_block(&interest));
    Ok(())
}

fn show_job(session: &Session, job: &Job, headline: Option<&str>) -> Result<(), Failure> {
    let org = session.org_name(job.org).unwrap_or_else(|| job.org.to_string());
    session.out.record(job, headline, &job_block(job, &org));
    Ok(())
}

/// The posting a `job post` describes: the fields of an edit, with the required ones present.
fn new_job(org: OrgId, fields: JobFields) -> Result<NewJob, Error> {
    let change = job_update(fields)?;
    let required = |field: &str| Error::invalid(field, "is required");
    Ok(NewJob {
        org,
        title: change.title.ok_or_else(|| required("title"))?,
        description: change.description.ok_or_else(|| required("description"))?,
        location: change
            .location
            .ok_or_else(|| Error::invalid("location", "say where the job is: --at LAT,LON, --postcode, or --remote"))?,
        contract: change.contract.ok_or_else(|| required("contract"))?,
        hours: change.hours.ok_or_else(|| required("hours"))?,
        pay: change.pay,
        requirement: change.requirement,
        languages: change.languages.ok_or_else(|| required("languages"))?,
        starts_on: change.starts_on,
        expires_on: change.expires_on,
        openings: change.openings,
        contact: change.contact,
    })
}

/// The change a `job edit` describes.
fn job_update(fields: JobFields) -> Result<JobUpdate, Error> {
    Ok(JobUpdate {
        location: location_input(&fields.place, fields.place_name.clone(), fields.remote)?,
        contract: fields.contract.as_deref().map(str::parse::<Contract>).transpose()?,
        hours: fields.hours.as_deref().map(|h| hours("hours", h)).transpose()?,
        pay: pay(&fields.pay)?,
        requirement: fields.requirement.as_deref().map(str::parse::<ExInRequirement>).transpose()?,
        starts_on: fields.starts.as_deref().map(|d| date("starts_on", d)).transpose()?,
        expires_on: fields.expires.as_deref().map(|d| date("expires_on", d)).transpose()?,
        title: fields.title,
        description: fields.description,
        languages: fields.languages,
        openings: fields.openings,
        contact: fields.contact,
    })
}

/// The search the filters describe.
pub fn job_query(filters: SearchFilters) -> Result<JobQuery, Error> {
    let near = place_input(&filters.place)?;
    if filters.radius.is_some() && near.is_none() {
        return Err(Error::invalid("radius_km", "--radius needs a place to measure from: give --at or --postcode too"));
    }
    Ok(JobQuery {
        near,
        radius_km: filters.radius,
        text: filters.text,
        contracts: filters.contract.iter().map(|c| c.parse()).collect::<Result<_, _>>()?,
        hours: filters.hours.as_deref().map(|h| hours("hours", h)).transpose()?,
        min_pay: filters.min_pay.as_deref().map(min_pay).transpose()?,
        exin: filters.exin.as_deref().map(str::parse::<ExInStatus>).transpose()?,
        language: filters.language,
        include_remote: filters.remote,
        org: filters.org,
        published_since: filters.since.as_deref().map(|d| start_of("since", d)).transpose()?,
        include_unpublished: false,
        sort: None,
    })
}

/// The place the options name, if any: coordinates (`--at`, `--lat/--lon`) or a postcode.
pub fn place_input(place: &PlaceArgs) -> Result<Option<LocationInput>, Error> {
    location_input(place, None, false)
}

fn location_input(place: &PlaceArgs, name: Option<String>, remote: bool) -> Result<Option<LocationInput>, Error> {
    if remote {
        return Ok(Some(LocationInput::Remote));
    }
    let coordinates = match (&place.at, place.lat, place.lon) {
        (Some(at), _, _) => Some(lat_lon(at)?),
        (None, Some(lat), Some(lon)) => Some((lat, lon)),
        _ => None,
    };
    Ok(match (coordinates, &place.postcode, &place.country) {
        (Some((latitude, longitude)), _, _) => Some(LocationInput::Coordinates { latitude, longitude, place: name }),
        (None, Some(postcode), Some(country)) => {
            Some(LocationInput::Postcode { country: country.clone(), postcode: postcode.clone() })
        }
        _ if name.is_some() => return Err(Error::invalid("place", "names coordinates: give --at LAT,LON too")),
        _ => None,
    })
}

/// `52.52,13.405` as latitude and longitude.
fn lat_lon(text: &str) -> Result<(f64, f64), Error> {
    let bad = || Error::invalid("at", format!("'{text}' is not LAT,LON in degrees, such as 52.52,13.405"));
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    Ok((lat.trim().parse().map_err(|_| bad())?, lon.trim().parse().map_err(|_| bad())?))
}

/// `20-30` or `39` as weekly hours.
pub fn hours(field: &str, text: &str) -> Result<Hours, Error> {
    let bad = || Error::invalid(field, format!("'{text}' is not whole hours MIN-MAX or one figure, such as 20-30"));
    let (min, max) = range(text).ok_or_else(bad)?;
    let whole =
        |v: f64| if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) { Some(v as u32) } else { None };
    Ok(Hours { min: whole(min).ok_or_else(bad)?, max: whole(max).ok_or_else(bad)? })
}

/// The pay the options describe, if `--pay` was given.
fn pay(args: &PayArgs) -> Result<Option<Pay>, Error> {
    let Some(text) = &args.pay else { return Ok(None) };
    let (min, max) = range(text)
        .ok_or_else(|| Error::invalid("pay", format!("'{text}' is not MIN-MAX or one amount, such as 3100-3600")))?;
    Ok(Some(Pay {
        min,
        max: (max != min).then_some(max),
        unit: args.pay_unit.as_deref().map(str::parse::<PayUnit>).transpose()?.unwrap_or(PayUnit::Month),
        currency: args.currency.clone().unwrap_or_else(|| "EUR".into()),
        agreement: args.agreement.clone(),
        group: args.group.clone(),
    }))
}

/// `3000`, `3000 EUR`, `3000 EUR/month`, `18 EUR/hour` or `3000/month` as a minimum pay.
pub fn min_pay(text: &str) -> Result<MinPay, Error> {
    let bad =
        || Error::invalid("min_pay", format!("'{text}' is not AMOUNT [CURRENCY][/UNIT], such as '3000 EUR/month'"));
    let (amount, rest) = match text.trim().split_once(|c: char| c.is_whitespace() || c == '/') {
        Some((amount, _)) => (amount, text.trim()[amount.len()..].trim()),
        None => (text.trim(), ""),
    };
    let (currency, unit) = match rest.split_once('/') {
        Some((currency, unit)) => (currency.trim(), Some(unit.trim())),
        None => (rest, None),
    };
    Ok(MinPay {
        amount: amount.parse().map_err(|_| bad())?,
        unit: unit.map(str::parse::<PayUnit>).transpose()?.unwrap_or(PayUnit::Month),
        currency: if currency.is_empty() { "EUR".into() } else { currency.to_ascii_uppercase() },
    })
}

/// `MIN-MAX` (also with an en dash or `..`) or one figure, as two numbers.
fn range(text: &str) -> Option<(f64, f64)> {
    let text = text.trim();
    let split = text.split_once("..").or_else(|| text.split_once('–')).or_else(|| text.split_once('-'));
    let (min, max) = split.unwrap_or((text, text));
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    Some((number(min)?, number(max)?))
}

/// A calendar day, `2026-09-01`.
pub use trialog_cli::job_rows::date;

fn start_of(field: &str, text: &str) -> Result<Timestamp, Error> {
    Ok(date(field, text)?.and_time(NaiveTime::MIN).and_utc())
}

/// Adds hints that name the job options to input errors about job fields.
pub fn with_job_hint(mut failure: Failure) -> Failure {
    if failure.kind != "invalid_input" {
        return failure;
    }
    let field = failure.details.get("field").and_then(Value::as_str).unwrap_or_default();
    if let Some(hint) = job_hint(field) {
        failure.hint = Some(hint.into());
    }
    failure
}

fn job_hint(field: &str) -> Option<&'static str> {
    Some(match field {
        "pay" | "pay.min" | "pay.max" => "give --pay MIN-MAX with MIN at most MAX, such as --pay 3100-3600",
        "pay.currency" => "give --currency a three-letter ISO 4217 code such as EUR or DKK",
        "pay.unit" | "min_pay" | "min_pay.amount" => "write pay as '3000 EUR/month', '18 EUR/hour' or '42000 EUR/year'",
        "radius_km" => "give --radius a distance in km above 0 and at most 1000, with --at LAT,LON or --postcode",
        "hours" | "hours.min" | "hours.max" => "give --hours whole hours from 1 to 60: --hours 20-30 or --hours 39",
        "at" | "latitude" | "longitude" => "give --at LAT,LON in degrees, such as --at 52.52,13.405",
        "location" | "place" | "near" => {
            "say where: --at LAT,LON (with --place NAME), --postcode P --country DE, or --remote"
        }
        "contract" | "contracts" => "use permanent, fixed_term, mini_job, freelance, placement or volunteer",
        "requirement" => "give --requirement none, training_accepted or certificate_required",
        "exin" => "give --exin none, in_training or certified",
        "starts_on" | "expires_on" | "since" => {
            "write days as YYYY-MM-DD; --expires must be today or later and not before --starts"
        }
        "title" | "description" => "give --title (one line, up to 150 characters) and --description",
        "languages" | "language" => "give --lang two-letter ISO 639-1 codes: --lang de, or --lang de,en",
        "postcode" | "country" => {
            "load that country's postcodes with `trialog geo import FILE` (GeoNames), or give --at LAT,LON"
        }
        "sort" => "give --sort relevance, newest, distance or pay",
        _ => return None,
    })
}

fn hit_row(hit: &JobHit, with_state: bool) -> Vec<String> {
    let job = &hit.job;
    let title = if with_state { format!("{} [{}]", job.title, job.state) } else { job.title.clone() };
    vec![
        job.id.to_string(),
        title,
        place_text(&job.location),
        hit.distance_km.map_or_else(|| "-".into(), |d| format!("{d:.1}")),
        job.contract.to_string(),
        hours_text(job.hours),
        job.pay.as_ref().map_or_else(|| "-".into(), pay_text),
    ]
}

fn job_block(job: &Job, org: &str) -> Block {
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".into(), |d| d.to_string());
    Block::new()
        .line("id", job.id.to_string())
        .line("title", job.title.clone())
        .line("organisation", format!("{org} ({})", job.org))
        .line("state", job.state.to_string())
        .line("place", place_text(&job.location))
        .line("contract", job.contract.to_string())
        .line("hours", format!("{} a week", hours_text(job.hours)))
        .line("pay", job.pay.as_ref().map_or_else(|| "-".into(), pay_text))
        .line("EX-IN", job.requirement.to_string())
        .line("languages", job.languages.join(", "))
        .line("starts", date(job.starts_on))
        .line("expires", date(job.expires_on))
        .line("openings", job.openings.to_string())
        .line("contact", or_dash(job.contact.as_deref()))
        .line("published", job.published_at.map_or_else(|| "-".into(), when))
        .line("description", job.description.clone())
}

fn interest_block(interest: &Interest) -> Block {
    Block::new()
        .line("id", interest.id.to_string())
        .line("job", interest.job.to_string())
        .line("seeker", interest.pseudonym.clone())
        .line("status", interest.status.to_string())
        .line("note", or_dash(interest.note.as_deref()))
        .line("updated", when(interest.updated_at))
}

/// A location as a person reads it: the place name, postcode or coordinates; `remote`.
pub fn place_text(location: &Location) -> String {
    match location {
        Location::Remote => "remote".into(),
        Location::OnSite { place: Some(place), .. } => place.clone(),
        Location::OnSite { postcode: Some(postcode), country, .. } => {
            format!("{} {postcode}", country.as_deref().unwrap_or_default()).trim().to_string()
        }
        Location::OnSite { coordinates, .. } => format!("{:.3},{:.3}", coordinates.latitude, coordinates.longitude),
    }
}

/// `20–30` or `39`.
pub fn hours_text(hours: Hours) -> String {
    if hours.min == hours.max { hours.min.to_string() } else { format!("{}–{}", hours.min, hours.max) }
}

/// `3.100–3.600 EUR/month (TV-L E 7)`: German digit grouping, the agreement in brackets.
pub fn pay_text(pay: &Pay) -> String {
    let range = match pay.max {
        Some(max) if max != pay.min => format!("{}–{}", amount_text(pay.min), amount_text(max)),
        _ => amount_text(pay.min),
    };
    let agreement = match (&pay.agreement, &pay.group) {
        (Some(a), Some(g)) => format!(" ({a} {g})"),
        (Some(a), None) => format!(" ({a})"),
        _ => String::new(),
    };
    format!("{range} {}/{}{agreement}", pay.currency, pay.unit)
}

/// `3100` as `3.100`, `14.5` as `14,50`.
fn amount_text(amount: f64) -> String {
    let cents = (amount * 100.0).round() as u64;
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if cents.is_multiple_of(100) { grouped } else { format!("{grouped},{:02}", cents % 100) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_reads_with_german_grouping_and_its_agreement() {
        let pay = Pay {
            min: 3100.0,
            max: Some(3600.0),
            unit: PayUnit::Month,
            currency: "EUR".into(),
            agreement: Some("TV-L".into()),
            group: Some("E 7".into()),
        };
        assert_eq!(pay_text(&pay), "3.100–3.600 EUR/month (TV-L E 7)");
        assert_eq!(amount_text(14.5), "14,50");
        assert_eq!(amount_text(28500.0), "28.500");
    }

    #[test]
    fn ranges_take_a_hyphen_an_en_dash_or_one_figure() {
        assert_eq!(range("20-30"), Some((20.0, 30.0)));
        assert_eq!(range("20–30"), Some((20.0, 30.0)));
        assert_eq!(range("39"), Some((39.0, 39.0)));
        assert_eq!(range("14.50..16"), Some((14.5, 16.0)));
        assert_eq!(range("viel"), None);
    }

    #[test]
    fn min_pay_defaults_to_euro_per_month() {
        let pay = min_pay("3000").unwrap();
        assert_eq!((pay.amount, pay.unit, pay.currency.as_str()), (3000.0, PayUnit::Month, "EUR"));
        let pay = min_pay("18 eur/hour").unwrap();
        assert_eq!((pay.amount, pay.unit, pay.currency.as_str()), (18.0, PayUnit::Hour, "EUR"));
        let pay = min_pay("28000 DKK").unwrap();
        assert_eq!((pay.unit, pay.currency.as_str()), (PayUnit::Month, "DKK"));
        assert!(min_pay("lots").is_err());
    }
}
