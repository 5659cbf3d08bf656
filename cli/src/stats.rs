//! `trialog stats`: reports for funders — the platform's or one organisation's figures of a
//! month, quarter or year as a table, CSV or JSON, or as a self-contained HTML page.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use trialog_core::OrgId;
use trialog_core::reports::FigureRow;

use crate::failure::Failure;
use crate::output::Table;
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// The whole platform's figures of a period and of the months and quarters within it
    /// (supervisors and admins). Counts of 1 to k people are withheld, with every figure they
    /// could be recovered from across the platform's reports.
    Platform(PeriodArgs),
    /// One organisation's own figures (its supervisors and staff, admins).
    Org(OrgArgs),
    /// The report as one HTML page with SVG charts and nothing loaded from elsewhere, to mail
    /// to a funder.
    #[command(after_help = "EXAMPLES:\n  trialog stats html 2026-Q2 --output report-2026-Q2.html\n  \
                            trialog stats html 2026 --org 3 --output jena-2026.html")]
    Html(HtmlArgs),
    /// Show the k of disclosure control, or set it (admins): counts of 1 to k are withheld.
    Threshold {
        /// The new k (1 to 100; 4 by default, 7 as the NHS publishes).
        #[arg(long)]
        set: Option<u64>,
    },
}

#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// A year (2026), a quarter (2026-Q2) or a month (2026-04).
    pub period: String,
    /// table (default), or csv: one row per period and figure, withheld values empty.
    #[arg(long, value_enum)]
    pub format: Option<StatsFormat>,
}

#[derive(Debug, Args)]
pub struct OrgArgs {
    /// The organisation's id (see `trialog org list`).
    pub org: OrgId,
    #[command(flatten)]
    pub period: PeriodArgs,
}

#[derive(Debug, Args)]
pub struct HtmlArgs {
    /// A year (2026), a quarter (2026-Q2) or a month (2026-04).
    pub period: String,
    /// One organisation's report instead of the platform's.
    #[arg(long)]
    pub org: Option<OrgId>,
    /// Write to this file (created readable by you only) instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// How `stats platform` and `stats org` print when not asked for --json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    Csv,
}

/// Runs one `stats` command.
pub fn run(session: &Session, command: StatsCommand) -> Result<(), Failure> {
    let reports = session.platform.reports();
    match command {
        StatsCommand::Platform(args) => show(session, &reports.platform(&session.actor, &args.period)?, args.format),
        StatsCommand::Org(args) => {
            let rows = reports.org(&session.actor, args.org, &args.period.period)?;
            show(session, &rows, args.period.format)
        }
        StatsCommand::Html(args) => html(session, args),
        StatsCommand::Threshold { set } => threshold(session, set),
    }
}

fn show(session: &Session, rows: &[FigureRow], format: Option<StatsFormat>) -> Result<(), Failure> {
    match format {
        Some(StatsFormat::Csv) => out!("{}", csv(rows)),
        _ => session.out.page(rows, None, &table(rows)),
    }
    Ok(())
}

fn table(rows: &[FigureRow]) -> Table {
    let mut table = Table::new(&["PERIOD", "FIGURE", "CATEGORY", "VALUE"]);
    for row in rows {
        table.row(vec![row.period.clone(), row.figure.clone(), row.category.clone().unwrap_or_default(), value(row)]);
    }
    table
}

fn value(row: &FigureRow) -> String {
    match row.value {
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
        None => "withheld".into(),
    }
}

/// One line per row; the fields never hold commas or quotes (periods, names, categories of
/// fixed vocabularies and postcodes' first digits), the value is empty when withheld.
fn csv(rows: &[FigureRow]) -> String {
    let mut out = String::from("period,span,figure,org,category,value,withheld\n");
    for row in rows {
        let span = serde_json::to_value(row.span).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let org = row.org.map(|o| o.to_string()).unwrap_or_default();
        let shown = if row.withheld { String::new() } else { value(row) };
        let category = row.category.as_deref().unwrap_or("").replace([',', '"', '\n'], " ");
        out.push_str(&format!("{},{span},{},{org},{category},{shown},{}\n", row.period, row.figure, row.withheld));
    }
    out
}

fn html(session: &Session, args: HtmlArgs) -> Result<(), Failure> {
    let page = session.platform.reports().html(&session.actor, &args.period, args.org)?;
    let Some(path) = args.output else {
        out!("{page}");
        return Ok(());
    };
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut file| file.write_all(page.as_bytes()));
    written.map_err(|e| Failure::io(&format!("cannot write {}", path.display()), e))?;
    if session.out.json {
        session.out.json(&serde_json::json!({ "file": path.display().to_string(), "bytes": page.len() }));
    } else {
        outln!("wrote the report of {} to {}", args.period, path.display());
    }
    Ok(())
}

fn threshold(session: &Session, set: Option<u64>) -> Result<(), Failure> {
    let settings = session.platform.settings();
    let k = match set {
        Some(k) => settings.set_disclosure_threshold(&session.actor, k)?,
        None => settings.disclosure_threshold(&session.actor)?,
    };
    if session.out.json {
        session.out.json(&serde_json::json!({ "disclosure_threshold": k }));
    } else {
        outln!("counts of 1 to {k} people are withheld");
    }
    Ok(())
}
