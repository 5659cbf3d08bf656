//! The person's rights under the GDPR: take everything stored about them (Art. 15, 20), have it
//! erased (Art. 17), and have inactive accounts erased after a while (retention).
//!
//! The rights module reads no other domain's tables: every domain that stores anything about
//! an account registers a [`crate::store::Personal`] hook in its `DOMAIN` (like its `tick`),
//! which exports and erases its own records. A new domain that names accounts adds its hook
//! there, and the export and erasure include it.
//!
//! ```
//! use trialog_core::{Actor, NewAccount, Platform, PostFate};
//! let platform = Platform::in_memory()?;
//! let kim = platform.accounts().create(&Actor::Anonymous, &NewAccount {
//!     pseudonym: "Kim_aus_Jena".into(), ..Default::default()
//! })?;
//! let dir = std::env::temp_dir().join(format!("trialog-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let out = dir.join("kim.zip");
//! let me = Actor::account(kim.id);
//! let report = platform.rights().export(&me, kim.id, &out)?;
//! assert!(report.files.iter().any(|f| f.name == "account.json" && f.records == 1));
//! platform.rights().erase(&me, kim.id, Some(PostFate::Delete), "my wish")?;
//! assert!(platform.accounts().get(&Actor::Operator, kim.id).is_err());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), trialog_core::Error>(())
//! ```

mod erase;
pub mod export;
mod records;
mod retention;

use std::path::Path;

use crate::accounts;
use crate::actor::Actor;
use crate::audit;
use crate::context::Context;
use crate::error::Result;
use crate::ids::AccountId;
use crate::policy::{self, Action};
use crate::store::{Dossier, Erasure, Person, Personal, ReadTxn, WriteTxn};

pub use crate::model::rights::{
    AccountExport, ErasedCount, ErasureReport, ExportDocument, ExportReport, ExportedFile, PostFate, RetentionSettings,
    RetentionWarning,
};

/// The person's rights, borrowed from a [`crate::Platform`].
pub struct Rights<'p> {
    pub(crate) ctx: &'p Context,
}

impl Rights<'_> {
    /// Writes everything stored about `account` to a new zip archive at `out` (mode 0600): one
    /// JSON file per kind of record and a README explaining each. The account itself, admins
    /// and the operator. The export is in the audit log.
    pub fn export(&self, actor: &Actor, account: AccountId, out: &Path) -> Result<ExportReport> {
        let documents = self.gather(actor, account)?;
        let report = export::write(&documents, out)?;
        self.audit_export(actor, account)?;
        Ok(report)
    }

    /// The same as [`Rights::export`], as documents instead of a file: for a host that writes
    /// or shows them itself (an app, the HTTP server, which must not write files where a
    /// caller says).
    pub fn export_documents(&self, actor: &Actor, account: AccountId) -> Result<AccountExport> {
        let documents = self.gather(actor, account)?;
        self.audit_export(actor, account)?;
        Ok(documents)
    }

    /// Everything every domain holds about `account`, in one read snapshot.
    fn gather(&self, actor: &Actor, account: AccountId) -> Result<AccountExport> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ExerciseRights { account }, now)?;
            let dossier = export::gather(txn, crate::DOMAINS, &person(txn, account)?, self.ctx.thread_titles)?;
            export::documents(&dossier, account, now)
        })
    }

    fn audit_export(&self, actor: &Actor, account: AccountId) -> Result<()> {
        let now = self.ctx.now();
        self.ctx
            .store()
            .write(|txn| audit::append(txn, now, actor, "account.export", &accounts::target(account), None))?;
        Ok(())
    }

    /// Erases `account`: its record, profile, password, seeker profile, saved searches, inbox,
    /// read positions, registrations and certificates go; its posts stay as "former member" or
    /// are emptied (`posts`, else the platform's rule, see [`RetentionSettings::posts`]);
    /// moderation and audit entries keep the action without the person. The account itself,
    /// admins and the operator; `reason` (which must not name the person) goes into the audit
    /// log. Run [`crate::Platform::compact`] afterwards so no freed page keeps the old bytes.
    pub fn erase(
        &self,
        actor: &Actor,
        account: AccountId,
        posts: Option<PostFate>,
        reason: &str,
    ) -> Result<ErasureReport> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ExerciseRights { account }, now)?;
            let found = accounts::load_for_erasure(txn, account)?;
            let person = Person { account, pseudonym: found.pseudonym.clone() };
            let reason = erase::reason(&person, found.email.as_deref(), reason)?;
            let posts = match posts {
                Some(posts) => posts,
                None => records::settings(txn)?.posts,
            };
            erase::erase(txn, crate::DOMAINS, person, posts, actor, &reason, now)
        })
    }

    /// The retention rule for inactive accounts (admins and the operator).
    pub fn retention(&self, actor: &Actor) -> Result<RetentionSettings> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageRetention, now)?;
            records::settings(txn)
        })
    }

    /// Sets the retention rule (admins and the operator); logged in the audit.
    pub fn set_retention(&self, actor: &Actor, settings: &RetentionSettings) -> Result<RetentionSettings> {
        retention::validate(settings)?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageRetention, now)?;
            records::save_settings(txn, settings)?;
            let summary = match settings.inactive_months {
                Some(months) => format!("erase after {months} months inactive, {} days' grace", settings.grace_days),
                None => "off".to_string(),
            };
            audit::append(txn, now, actor, "retention.set", "retention", Some(&summary))?;
            Ok(*settings)
        })
    }

    /// Accounts warned for inactivity, with when they will be erased (admins and the operator).
    pub fn warnings(&self, actor: &Actor) -> Result<Vec<RetentionWarning>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageRetention, now)?;
            records::warnings(txn)
        })
    }
}

/// The person `account` is, for the hooks.
fn person(txn: &ReadTxn, account: AccountId) -> Result<Person> {
    let found = accounts::load(txn, account)?;
    Ok(Person { account, pseudonym: found.pseudonym })
}

/// The rights domain's own records about a person: a pending retention warning.
const PERSONAL: Personal = Personal { export: export_own, erase: erase_own };

fn export_own(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let warnings: Vec<RetentionWarning> =
        records::warnings(txn)?.into_iter().filter(|w| w.account == person.account).collect();
    dossier.add("retention_warnings", ABOUT_WARNINGS, &warnings)
}

fn erase_own(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    records::forget(txn, erasure.person.account)
}

const ABOUT_WARNINGS: &str = "A warning that the account is inactive and will be erased at `erase_at` unless it \
signs in before (empty when there is none).";

/// Registration of the rights domain: the retention rule and warnings, and the retention tick.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "rights",
    tables: records::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |_, _| Ok(()),
    tick: retention::tick,
    figures: None,
    personal: Some(PERSONAL),
};
