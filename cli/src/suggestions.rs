//! `trialog match suggest-jobs`, `suggest-seekers` and `weights`: explained suggestions between
//! postings and seekers, and the weights of their score.

use clap::Args;
use trialog_core::matching::ScorePart;
use trialog_core::{JobId, SeekerSuggestion, SuggestionWeights};

use crate::failure::Failure;
use crate::jobs::place_text;
use crate::output::Block;
use crate::seekers::whose;
use crate::session::Session;

#[derive(Debug, Args)]
pub struct SuggestJobs {
    /// The seeker: pseudonym or id (default: the account of --as).
    #[arg(long, value_name = "ACCOUNT")]
    pub seeker: Option<String>,
    /// How many suggestions, 1 to 200.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct SuggestSeekers {
    /// The posting's id.
    #[arg(long, value_name = "ID")]
    pub job: u64,
    /// How many suggestions, 1 to 200.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

/// Any option changes that weight (admins); none shows the weights in force.
#[derive(Debug, Args)]
pub struct WeightsArgs {
    /// Points for distance: full at home or for remote work, none at the maximum distance.
    #[arg(long)]
    pub distance: Option<f64>,
    /// Points for the share of the wanted weekly hours a posting covers.
    #[arg(long)]
    pub hours: Option<f64>,
    /// Points for pay reaching the seeker's minimum.
    #[arg(long)]
    pub pay: Option<f64>,
    /// Points for an EX-IN requirement that asks for exactly what the seeker has.
    #[arg(long)]
    pub requirement: Option<f64>,
    /// Points for a posting published today, none after 60 days.
    #[arg(long)]
    pub recency: Option<f64>,
    /// Go back to the defaults (30, 20, 20, 15, 15).
    #[arg(long, conflicts_with_all = ["distance", "hours", "pay", "requirement", "recency"])]
    pub reset: bool,
}

/// `trialog match suggest-jobs`.
pub fn jobs(session: &Session, args: SuggestJobs) -> Result<(), Failure> {
    let seeker = whose(session, args.seeker.as_deref())?;
    let found = session.platform.jobs().suggest_for_seeker(&session.actor, seeker, Some(args.limit));
    let found = found.map_err(|e| with_profile_hint(e.into()))?;
    if session.out.json {
        session.out.list_json(&found);
        return Ok(());
    }
    if found.is_empty() {
        outln!("(no posting passes the seeker's filters)");
    }
    for s in &found {
        let title = format!("{} {}", s.job.id, s.job.title);
        print_suggestion(&title, &place_text(&s.job.location), s.distance_km, s.score, &s.breakdown);
    }
    Ok(())
}

/// `trialog match suggest-seekers`.
pub fn seekers(session: &Session, args: SuggestSeekers) -> Result<(), Failure> {
    let found = session.platform.seekers().suggest_for_job(&session.actor, JobId(args.job), Some(args.limit))?;
    if session.out.json {
        session.out.list_json(&found);
        return Ok(());
    }
    if found.is_empty() {
        outln!("(no findable seeker passes the filters)");
    }
    for SeekerSuggestion { seeker, score, distance_km, breakdown } in &found {
        let name = format!("{} {}", seeker.account, seeker.pseudonym);
        let home = seeker.location.as_ref().map_or_else(|| "remote only".into(), place_text);
        print_suggestion(&name, &home, *distance_km, *score, breakdown);
    }
    Ok(())
}

/// `trialog match weights`.
pub fn weights(session: &Session, args: WeightsArgs) -> Result<(), Failure> {
    let settings = session.platform.settings();
    let changes = [args.distance, args.hours, args.pay, args.requirement, args.recency];
    let weights = if args.reset {
        settings.reset_suggestion_weights(&session.actor)?
    } else if changes.iter().any(Option::is_some) {
        let now = settings.suggestion_weights(&session.actor)?;
        let wanted = SuggestionWeights {
            distance: args.distance.unwrap_or(now.distance),
            hours: args.hours.unwrap_or(now.hours),
            pay: args.pay.unwrap_or(now.pay),
            requirement: args.requirement.unwrap_or(now.requirement),
            recency: args.recency.unwrap_or(now.recency),
        };
        settings.set_suggestion_weights(&session.actor, &wanted)?
    } else {
        settings.suggestion_weights(&session.actor)?
    };
    let block = Block::new()
        .line("distance", weights.distance.to_string())
        .line("hours", weights.hours.to_string())
        .line("pay", weights.pay.to_string())
        .line("requirement", weights.requirement.to_string())
        .line("recency", weights.recency.to_string());
    session.out.record(&weights, Some("suggestion weights (the most points per criterion):"), &block);
    Ok(())
}

/// One suggestion: a headline, then each criterion's points and reason.
fn print_suggestion(name: &str, place: &str, distance_km: Option<f64>, score: f64, breakdown: &[ScorePart]) {
    let distance = distance_km.map_or_else(String::new, |d| format!(", {d:.1} km"));
    outln!("{name} ({place}{distance}): score {score}");
    for part in breakdown {
        outln!("    {:<12} {:>6}  {}", part.criterion, part.points, part.reason);
    }
}

/// Says how to complete a seeker profile that no posting could pass.
fn with_profile_hint(mut failure: Failure) -> Failure {
    let field = failure.details.get("field").and_then(serde_json::Value::as_str).unwrap_or_default();
    let hint = match field {
        "languages" => "add working languages: `trialog seeker set ... --lang de`",
        "location" => "give the profile a home (`trialog seeker set ... --at LAT,LON` or --postcode) or --remote",
        "limit" => "give --limit from 1 to 200",
        _ => return failure,
    };
    failure.hint = Some(hint.into());
    failure
}
