//! The records of the person's rights (GDPR Art. 15, 17, 20): what an export wrote, what an
//! erasure did, and the retention rule for inactive accounts. They live below the domains,
//! because every domain's erasure hook reads [`PostFate`] (see `crate::store::Personal`).

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::ids::AccountId;

/// What happens to an erased person's forum posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PostFate {
    /// The posts stay, shown as written by "former member", with no link to the account: the
    /// conversations others took part in keep their sense. The default.
    #[default]
    KeepAsFormerMember,
    /// The text of every post (and every earlier version) is deleted; the posts stay as
    /// "deleted" places in their threads, so replies and quotes keep their order.
    Delete,
}

super::named_enum!(PostFate, "posts", KeepAsFormerMember => "keep_as_former_member", Delete => "delete");

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportReport {
    pub account: AccountId,
    /// The archive written (mode 0600).
    pub path: String,
    /// Every file of the archive with its number of records (the README excepted).
    pub files: Vec<ExportedFile>,
    pub bytes: u64,
}

/// One JSON file of an export and how many records it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportedFile {
    pub name: String,
    pub records: u64,
}

/// What an erasure did, kind by kind. It names no pseudonym: the account id only, which after
/// erasure belongs to nobody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ErasureReport {
    pub account: AccountId,
    pub posts: PostFate,
    pub erased: Vec<ErasedCount>,
}

/// How many records of one kind an erasure removed or anonymised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ErasedCount {
    pub what: String,
    pub count: u64,
}

/// The retention rule for inactive accounts: off unless `inactive_months` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RetentionSettings {
    /// Months without any sign-in or activity after which an account is warned; `None` (the
    /// default) keeps accounts however long they rest.
    #[serde(default)]
    pub inactive_months: Option<u32>,
    /// Days between the warning and the erasure; activity in between cancels it.
    #[serde(default = "default_grace_days")]
    pub grace_days: u32,
    /// What happens to the posts of accounts erased for inactivity, and of erasures that do
    /// not choose: the operator's policy.
    #[serde(default)]
    pub posts: PostFate,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        RetentionSettings { inactive_months: None, grace_days: default_grace_days(), posts: PostFate::default() }
    }
}

fn default_grace_days() -> u32 {
    30
}

/// Where an account stands under the retention rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RetentionWarning {
    pub account: AccountId,
    pub warned_at: Timestamp,
    /// The account is erased at this time unless it is used before.
    pub erase_at: Timestamp,
}

/// Everything stored about an account as the export archive's documents, for a host that
/// writes or shows them itself (an app, the HTTP server): the archive's README and one JSON
/// document per kind of record, exactly the files of `trialog account export`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AccountExport {
    pub account: AccountId,
    /// The archive format's version (raised when a document's shape changes).
    pub format_version: u32,
    /// The archive's `README.md`: what each document holds and what its fields mean.
    pub readme: String,
    pub documents: Vec<ExportDocument>,
}

/// One document of an export: a JSON array of records of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportDocument {
    /// The file name in the archive (`forum_posts.json`).
    pub name: String,
    pub records: u64,
    /// The records as pretty-printed UTF-8 JSON (an array; empty when nothing of the kind is
    /// stored).
    pub json: String,
}
