//! `trialog groups export-hsds` and `import-hsds`: the directory as Open Referral HSDS 3
//! documents, out to a folder (one file per group) or stdout, and in from a file.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use trialog_core::{Error, HsdsImport, MAX_HSDS_IMPORT_BYTES, PageRequest};

use crate::failure::Failure;
use crate::import_file::{self, SizeLimit};
use crate::output::{Block, Table, printable};
use crate::permissions::write_private_new;
use crate::session::Session;

#[derive(Debug, Args)]
pub struct ExportHsds {
    /// A folder to write one `<service id>.json` per group into (created if missing; existing
    /// files are never replaced), or `-` for stdout: one document per line, or with --json
    /// all of them as `{items, next_cursor}`.
    #[arg(long, value_name = "DIR|-")]
    pub out: String,
}

#[derive(Debug, Args)]
pub struct ImportHsds {
    /// A JSON file holding an array of HSDS services, or one service (as export-hsds writes).
    pub file: PathBuf,
    /// Check everything and report what would be created or updated, without writing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub limit: SizeLimit,
}

/// Pages through the export; `each` receives every document.
fn export_all(session: &Session, mut each: impl FnMut(&str, &str) -> Result<(), Failure>) -> Result<(), Failure> {
    let mut page = PageRequest { limit: Some(200), ..PageRequest::default() };
    loop {
        let found = session.platform.groups().export_hsds(&session.actor, &page)?;
        for doc in &found.items {
            each(&doc.id, &doc.json)?;
        }
        match found.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => return Ok(()),
        }
    }
}

pub fn export(session: &Session, args: ExportHsds) -> Result<(), Failure> {
    if args.out == "-" {
        return export_stdout(session);
    }
    let dir = Path::new(&args.out);
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(&format!("cannot create {}", dir.display()), e))?;
    let mut written: Vec<serde_json::Value> = Vec::new();
    export_all(session, |id, json| {
        if id.contains(['/', '\\']) || id.starts_with('.') {
            return Err(Error::invalid("id", format!("'{id}' cannot name a file")).into());
        }
        let path = dir.join(format!("{id}.json"));
        write_private_new(&path, &format!("{json}\n")).map_err(|e| {
            let mut failure = Failure::io(&format!("cannot write {}", path.display()), e);
            failure.hint = Some("export into an empty folder: existing files are never replaced".into());
            failure
        })?;
        written.push(serde_json::json!({ "id": id, "file": path.display().to_string() }));
        Ok(())
    })?;
    if session.out.json {
        session.out.list_json(&written);
    } else {
        outln!("{} HSDS documents written to {}", written.len(), printable(&dir.display().to_string()));
    }
    Ok(())
}

fn export_stdout(session: &Session) -> Result<(), Failure> {
    if session.out.json {
        let mut docs: Vec<serde_json::Value> = Vec::new();
        export_all(session, |_, json| {
            docs.push(serde_json::from_str(json).map_err(|e| Failure::from(Error::storage(e)))?);
            Ok(())
        })?;
        session.out.list_json(&docs);
        return Ok(());
    }
    export_all(session, |_, json| {
        outln!("{json}");
        Ok(())
    })
}

pub fn import(session: &Session, args: ImportHsds) -> Result<(), Failure> {
    let bar = import_file::progress_bar(session.out);
    let limit = SizeLimit { megabytes: args.limit.megabytes.min(MAX_HSDS_IMPORT_BYTES as u64 / 1_000_000) };
    let mut text = String::new();
    import_file::open(&args.file, limit, &bar)?
        .read_to_string(&mut text)
        .map_err(|e| Failure::io(&format!("cannot read {}", args.file.display()), e))?;
    bar.finish_and_clear();
    let report = session.platform.groups().import_hsds(&session.actor, &text, args.dry_run)?;
    show(session, &report);
    Ok(())
}

fn show(session: &Session, report: &HsdsImport) {
    if session.out.json {
        return session.out.json(report);
    }
    let mut table = Table::new(&["KIND", "HSDS ID", "NAME", "ACTION", "HERE"]);
    for item in &report.items {
        table.row(vec![
            word(&item.kind),
            item.id.clone(),
            item.name.clone(),
            word(&item.action),
            item.local_id.map(|i| i.to_string()).unwrap_or_else(|| "-".into()),
        ]);
    }
    session.out.page(&report.items, None, &table);
    let verb = if report.dry_run { "would be" } else { "were" };
    Block::new()
        .line(
            "contact points",
            format!("{} created, {} updated", report.organizations_created, report.organizations_updated),
        )
        .line("groups", format!("{} created, {} updated", report.services_created, report.services_updated))
        .line("unchanged", report.unchanged.to_string())
        .line(
            "note",
            format!("these {verb} written{}", if report.dry_run { " (dry run: nothing written)" } else { "" }),
        )
        .print();
}

fn word(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}
