//! `trialog geo ...`: import GeoNames postal-code files, look up postcodes and places, and list
//! the countries loaded.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};
use trialog_core::{Error, GazetteerImport, Place};

use crate::failure::Failure;
use crate::import_file::{self, SizeLimit};
use crate::output::{Block, Table, or_dash, when};
use crate::session::Session;

/// The gazetteer: where postcodes and places are.
#[derive(Debug, Subcommand)]
pub enum GeoCommand {
    /// Import a GeoNames postal-code file (admins); a country imported again is replaced.
    ///
    /// Get the files from download.geonames.org/export/zip/ (DE.zip holds DE.txt; CC BY 4.0,
    /// credit "GeoNames"). A file may hold several countries. Rows that cannot be read are
    /// skipped and listed as `line N: field: reason`; the exit code is non-zero only when nothing
    /// could be imported.
    Import(GeoImport),
    /// Show the place of a postcode, or find places by the start of their name.
    ///
    /// `trialog geo lookup 07743 --country DE`, or `trialog geo lookup --name jen`: names match
    /// ignoring case and accents ("munch" finds München). A postcode without --country is looked
    /// up in every loaded country and shown as a list (8000 is Aarhus in DK and Zürich in CH).
    Lookup(GeoLookup),
    /// List the countries whose postcodes are loaded.
    Countries,
}

#[derive(Debug, Args)]
pub struct GeoImport {
    /// The GeoNames file: tab-separated, 12 columns (DE.txt, DK.txt, allCountries.txt).
    pub file: PathBuf,
    /// Replace the loaded countries even when the file looks damaged (many bad rows, or far
    /// fewer postcodes than are loaded: a truncated download).
    #[arg(long)]
    pub replace: bool,
    #[command(flatten)]
    pub limit: SizeLimit,
}

#[derive(Debug, Args)]
#[command(group = ArgGroup::new("what").required(true).args(["postcode", "name"]))]
pub struct GeoLookup {
    /// The postcode to show: in the --country given, or in every loaded country.
    pub postcode: Option<String>,
    /// Find places whose name starts with this instead.
    #[arg(long, conflicts_with = "postcode")]
    pub name: Option<String>,
    /// The country, as a two-letter code (DE, DK, AT); narrows a postcode or a --name search.
    #[arg(long)]
    pub country: Option<String>,
    /// With --name: how many places to show, 1 to 100.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

/// Runs one `geo` command.
pub fn run(session: &Session, command: GeoCommand) -> Result<(), Failure> {
    match command {
        GeoCommand::Import(args) => import(session, &args),
        GeoCommand::Lookup(args) => match (args.postcode, args.name) {
            (Some(postcode), _) => match args.country.as_deref() {
                Some(country) => lookup(session, country, &postcode),
                None => lookup_everywhere(session, &postcode),
            },
            (None, Some(name)) => search(session, &name, args.country.as_deref(), args.limit),
            (None, None) => Err(Failure::usage("give a POSTCODE or --name", "see `trialog geo lookup --help`")),
        },
        GeoCommand::Countries => countries(session),
    }
}

fn import(session: &Session, args: &GeoImport) -> Result<(), Failure> {
    let path = &args.file;
    let bar = import_file::progress_bar(session.out);
    let source = import_file::open(path, args.limit, &bar)?;
    let geo = session.platform.geo();
    let mut progress = |rows| bar.set_message(format!("{rows} rows"));
    let report = if args.replace {
        geo.import_replacing(&session.actor, source, &mut progress)
    } else {
        geo.import(&session.actor, source, &mut progress)
    };
    bar.finish_and_clear();
    let report = report?;
    if session.out.json {
        session.out.json(&report);
    } else {
        print_report(&report);
    }
    if report.countries.is_empty() {
        let mut failure = Failure::from(Error::invalid(
            "file",
            format!(
                "nothing could be imported from {} ({} problems)",
                path.display(),
                report.problems.len() as u64 + report.more_problems
            ),
        ));
        failure.hint = Some("give a GeoNames postal-code file: tab-separated, 12 columns, one row per place".into());
        return Err(failure);
    }
    Ok(())
}

fn print_report(report: &GazetteerImport) {
    let countries = if report.countries.is_empty() { "-".to_string() } else { report.countries.join(", ") };
    outln!("imported {} rows: {} postcodes in {countries}", report.rows, report.postcodes);
    if !report.problems.is_empty() {
        outln!("{} rows skipped:", report.problems.len() as u64 + report.more_problems);
        for problem in &report.problems {
            outln!("  {problem}");
        }
        if report.more_problems > 0 {
            outln!("  … and {} more skipped rows, not listed", report.more_problems);
        }
    }
}

fn lookup(session: &Session, country: &str, postcode: &str) -> Result<(), Failure> {
    let place = session.platform.geo().lookup(&session.actor, country, postcode)?;
    session.out.record(&place, None, &block(&place));
    Ok(())
}

/// The places of `postcode` in every loaded country; not found when no country has it.
fn lookup_everywhere(session: &Session, postcode: &str) -> Result<(), Failure> {
    let geo = session.platform.geo();
    let mut places = Vec::new();
    for loaded in geo.countries(&session.actor)? {
        match geo.lookup(&session.actor, &loaded.country, postcode) {
            Ok(place) => places.push(place),
            Err(Error::InvalidInput { field, .. }) if field == "postcode" => {}
            Err(other) => return Err(other.into()),
        }
    }
    if places.is_empty() {
        let mut failure = Failure::from(Error::not_found("postcode", postcode));
        failure.hint = Some("`trialog geo countries` lists the loaded countries; `geo import` loads more".into());
        return Err(failure);
    }
    show_places(session, &places);
    Ok(())
}

fn search(session: &Session, name: &str, country: Option<&str>, limit: u32) -> Result<(), Failure> {
    let places = session.platform.geo().search(&session.actor, name, country, limit)?;
    show_places(session, &places);
    Ok(())
}

fn show_places(session: &Session, places: &[Place]) {
    let mut table = Table::new(&["COUNTRY", "POSTCODE", "PLACES", "REGION", "COORDINATES"]);
    for place in places {
        table.row(vec![
            place.country.clone(),
            place.postcode.clone(),
            place.names.join(", "),
            or_dash(place.region.as_deref()),
            coordinates(place),
        ]);
    }
    session.out.page(places, None, &table);
}

fn countries(session: &Session) -> Result<(), Failure> {
    let loaded = session.platform.geo().countries(&session.actor)?;
    let mut table = Table::new(&["COUNTRY", "POSTCODES", "IMPORTED"]);
    for country in &loaded {
        table.row(vec![country.country.clone(), country.postcodes.to_string(), when(country.imported_at)]);
    }
    session.out.page(&loaded, None, &table);
    Ok(())
}

fn block(place: &Place) -> Block {
    Block::new()
        .line("postcode", format!("{} {}", place.country, place.postcode))
        .line("places", place.names.join(", "))
        .line("coordinates", coordinates(place))
        .line("region", or_dash(place.region.as_deref()))
        .line("district", or_dash(place.district.as_deref()))
        .line("rows", format!("{} (GeoNames rows averaged)", place.rows))
}

fn coordinates(place: &Place) -> String {
    format!("{:.4}, {:.4}", place.coordinates.latitude, place.coordinates.longitude)
}
