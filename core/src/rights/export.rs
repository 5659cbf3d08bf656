//! The export (GDPR Art. 15 and 20): everything every domain holds about an account, asked of
//! each through its registered hook (`crate::store::Personal`), written as one zip archive of
//! JSON files — one per kind of record — with a README that explains each file.

use std::io::Write;
use std::path::Path;

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::model::rights::{AccountExport, ExportDocument, ExportReport, ExportedFile};
use crate::store::{Domain, Dossier, Person, ReadTxn, ThreadTitles};

/// The archive format's version, in the README: raised when a file's shape changes.
pub const FORMAT_VERSION: u32 = 1;

/// Asks every registered domain what it holds about `person` (`thread_titles` reads the titles
/// of the threads their forum notifications are about).
pub(crate) fn gather(
    txn: &ReadTxn,
    domains: &[Domain],
    person: &Person,
    thread_titles: ThreadTitles,
) -> Result<Dossier> {
    let mut dossier = Dossier::new(thread_titles);
    for domain in domains {
        if let Some(personal) = &domain.personal {
            (personal.export)(txn, person, &mut dossier)?;
        }
    }
    Ok(dossier)
}

/// The archive's documents: the README and one JSON array per kind of record.
pub(crate) fn documents(dossier: &Dossier, account: AccountId, at: Timestamp) -> Result<AccountExport> {
    let documents = dossier
        .files
        .iter()
        .map(|file| {
            let json = serde_json::to_string_pretty(&file.records)
                .map_err(|e| Error::Internal { detail: format!("export of {}: {e}", file.name) })?;
            Ok(ExportDocument { name: format!("{}.json", file.name), records: file.records.len() as u64, json })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AccountExport { account, format_version: FORMAT_VERSION, readme: readme(dossier, account, at), documents })
}

/// Writes `export` to a new zip file at `out` (mode 0600; an existing file is not overwritten).
pub(crate) fn write(export: &AccountExport, out: &Path) -> Result<ExportReport> {
    let file = create_private(out)?;
    let mut zip = zip::ZipWriter::new(file);
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).unix_permissions(0o600);
    let fail = |e: zip::result::ZipError| Error::Storage { detail: format!("cannot write the export archive: {e}") };
    let io = |e: std::io::Error| Error::Storage { detail: format!("cannot write the export archive: {e}") };
    zip.start_file("README.md", options).map_err(fail)?;
    zip.write_all(export.readme.as_bytes()).map_err(io)?;
    for document in &export.documents {
        zip.start_file(document.name.as_str(), options).map_err(fail)?;
        zip.write_all(document.json.as_bytes()).map_err(io)?;
    }
    let file = zip.finish().map_err(fail)?;
    file.sync_all().map_err(io)?;
    let bytes = file.metadata().map_err(io)?.len();
    let files = export.documents.iter().map(|d| ExportedFile { name: d.name.clone(), records: d.records }).collect();
    Ok(ExportReport { account: export.account, path: out.display().to_string(), files, bytes })
}

/// The archive's README: what it is, its format, and one paragraph per file.
fn readme(dossier: &Dossier, account: AccountId, at: Timestamp) -> String {
    let mut text = format!(
        "# Everything stored about account {account}\n\n\
         Exported {} (UTC) under GDPR Art. 15 (access) and Art. 20 (portability). Archive format version \
         {FORMAT_VERSION}.\n\n\
         Every file is UTF-8 JSON: an array of records, one per line item below; an empty array means nothing of \
         that kind is stored. Times are RFC 3339 in UTC; ids are the platform's numbers (`thread`, `post`, \
         `course`, …). Anonymous posts are included: only you and the platform's admins can link them to you. \
         Counselling enquiries are not linked to accounts and are not in this archive: your case code opens them.\n\n\
         ## Files\n\n",
        at.format("%Y-%m-%d %H:%M:%S")
    );
    for file in &dossier.files {
        text.push_str(&format!("- `{}.json` ({} records): {}\n", file.name, file.records.len(), file.about));
    }
    text
}

/// Creates `path` for writing, readable by its owner only; refuses to overwrite.
fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            Error::invalid("out", format!("{} exists already; choose a new file name", path.display()))
        }
        _ => Error::invalid("out", format!("cannot create {}: {e}", path.display())),
    })
}
