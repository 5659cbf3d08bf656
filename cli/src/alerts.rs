//! `trialog alert ...`: saved job searches. Every posting published later that matches one
//! lands in its owner's inbox (`trialog inbox`), once.

use clap::{Args, Subcommand};
use trialog_core::{JobQuery, SavedSearch};

use crate::failure::Failure;
use crate::jobs::{SearchFilters, job_query, with_job_hint};
use crate::output::{Table, when};
use crate::session::Session;

/// `trialog alert ...`.
#[derive(Debug, Subcommand)]
#[command(after_help = "EXAMPLES:\n  \
    trialog --as Kim_aus_Jena alert add 'Genesungsbegleitung Thüringen' --at 50.93,11.59 --radius 60 --exin certified\n  \
    trialog --as Kim_aus_Jena alert list\n  \
    trialog --as Kim_aus_Jena alert remove 1")]
pub enum AlertCommand {
    /// Save a search (as an account: --as); new postings it matches go to your inbox.
    ///
    /// Takes the filters of `trialog job search`. Each account keeps up to 50 saved searches.
    Add(Box<AlertAdd>),
    /// Your saved searches, oldest first.
    List,
    /// Delete one of your saved searches (alerts already sent stay in the inbox).
    Remove {
        /// The saved search's id (from `trialog alert list`).
        id: u64,
    },
}

#[derive(Debug, Args)]
pub struct AlertAdd {
    /// A name for the search, shown with its alerts.
    pub name: String,
    #[command(flatten)]
    pub filters: SearchFilters,
}

/// Runs one `alert` command.
pub fn run(session: &Session, command: AlertCommand) -> Result<(), Failure> {
    let name_hint = "give the saved search a NAME of 1 to 100 characters on one line";
    dispatch(session, command).map_err(|failure| with_job_hint(failure).hint_for_field("name", name_hint))
}

fn dispatch(session: &Session, command: AlertCommand) -> Result<(), Failure> {
    let alerts = session.platform.alerts();
    match command {
        AlertCommand::Add(args) => {
            let query = job_query(args.filters)?;
            let search = alerts.add(&session.actor, &args.name, &query)?;
            if session.out.json {
                session.out.json(&search);
            } else {
                outln!("saved search {} '{}': {}", search.id, search.name, describe(&search.query));
            }
        }
        AlertCommand::List => {
            let searches = alerts.list(&session.actor)?;
            if session.out.json {
                session.out.list_json(&searches);
            } else {
                print_list(&searches);
            }
        }
        AlertCommand::Remove { id } => {
            alerts.remove(&session.actor, id)?;
            if session.out.json {
                session.out.json(&serde_json::json!({ "removed": id }));
            } else {
                outln!("removed saved search {id}");
            }
        }
    }
    Ok(())
}

fn print_list(searches: &[SavedSearch]) {
    let mut table = Table::new(&["ID", "NAME", "SEARCH", "SAVED"]);
    for s in searches {
        table.row(vec![s.id.to_string(), s.name.clone(), describe(&s.query), when(s.created_at)]);
    }
    if table.is_empty() { outln!("(none)") } else { out!("{}", table.render()) }
}

/// A saved search in a few words: `50 km around 50.930,11.590; text "peer"; permanent`.
fn describe(query: &JobQuery) -> String {
    let mut parts = Vec::new();
    if let Some(near) = &query.near {
        let radius = query.radius_km.unwrap_or(trialog_core::jobs::DEFAULT_RADIUS_KM);
        let place = match near {
            trialog_core::LocationInput::Postcode { country, postcode } => format!("{country} {postcode}"),
            trialog_core::LocationInput::Coordinates { latitude, longitude, .. } => {
                format!("{latitude:.3},{longitude:.3}")
            }
            trialog_core::LocationInput::Remote => "remote".into(),
        };
        parts.push(format!("{radius} km around {place}"));
    }
    if let Some(text) = &query.text {
        parts.push(format!("text \"{text}\""));
    }
    if !query.contracts.is_empty() {
        parts.push(query.contracts.iter().map(ToString::to_string).collect::<Vec<_>>().join("/"));
    }
    if let Some(exin) = query.exin {
        parts.push(format!("EX-IN {exin}"));
    }
    if let Some(pay) = &query.min_pay {
        parts.push(format!("at least {} {}/{}", pay.amount, pay.currency, pay.unit));
    }
    if let Some(language) = &query.language {
        parts.push(format!("in {language}"));
    }
    if query.include_remote {
        parts.push("remote too".into());
    }
    if parts.is_empty() { "every new posting".into() } else { parts.join("; ") }
}
