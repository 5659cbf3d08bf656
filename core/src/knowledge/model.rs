//! Knowledge-base records: articles, their revisions and what the operations return.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::forums::Audience;
use crate::orgs::OrgId;

/// Articles are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub u64);

impl std::fmt::Display for ArticleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_newtype!(ArticleId, u64);

pub use crate::model::article::ArticleState;

/// A related link of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Link {
    pub title: String,
    /// An `https://` address.
    pub url: String,
}

/// A file that belongs to an article, kept elsewhere and named by its address (the database
/// holds no file contents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Attachment {
    pub name: String,
    /// An `https://` address.
    pub url: String,
}

/// An article of the knowledge base, in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Article {
    pub id: ArticleId,
    /// Unique; names the article in files and addresses.
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// The forums' light markup.
    pub body: String,
    /// ISO 639-1 code.
    pub language: String,
    /// Topic slugs.
    #[serde(default)]
    pub topics: Vec<String>,
    pub audience: Audience,
    /// The organisation responsible for the content.
    #[serde(default)]
    pub org: Option<OrgId>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub state: ArticleState,
    /// The number of the current revision (from 1).
    pub revision: u32,
    /// Who wrote the first revision (absent: the operator, e.g. an import).
    #[serde(default)]
    pub author: Option<AccountId>,
    /// The editor who approved the current text, and which revision they approved.
    #[serde(default)]
    pub approved_by: Option<AccountId>,
    #[serde(default)]
    pub approved_revision: Option<u32>,
    /// When an editor last confirmed the content is still correct.
    #[serde(default)]
    pub checked_on: Option<NaiveDate>,
    /// When the next check is due (12 months after a check unless the editor chose).
    #[serde(default)]
    pub next_check_due: Option<NaiveDate>,
    /// The article whose language versions this one belongs to (its own id when it is the
    /// first version).
    pub translation_group: ArticleId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default)]
    pub published_at: Option<Timestamp>,
}

/// What a new article needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewArticle {
    pub title: String,
    pub body: String,
    /// ISO 639-1 code.
    pub language: String,
    /// Derived from the title when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub slug: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub summary: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub topics: Vec<String>,
    /// Everyone when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub audience: Option<Audience>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub org: Option<OrgId>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub links: Vec<Link>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub attachments: Vec<Attachment>,
    /// Makes the new article a language version of this one (in another language).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub translation_of: Option<ArticleId>,
}

/// Changes to an article; absent fields stay. A changed title, summary or body is a new
/// revision and takes the article back to draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub title: Option<String>,
    /// An empty string removes the summary.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub summary: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub body: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub topics: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub audience: Option<Audience>,
    /// Sets the responsible organisation.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub org: Option<OrgId>,
    /// Removes the responsible organisation.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub clear_org: bool,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub links: Option<Vec<Link>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub attachments: Option<Vec<Attachment>>,
}

/// An article in a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub language: String,
    pub topics: Vec<String>,
    pub state: ArticleState,
    #[serde(default)]
    pub next_check_due: Option<NaiveDate>,
    /// The languages of the other versions the reader may see.
    pub other_languages: Vec<String>,
    pub updated_at: Timestamp,
}

/// One article with its rendered body and its other language versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleDetail {
    pub article: Article,
    /// The body as HTML (the forums' renderer: escaped, safe to show).
    pub html: String,
    pub translations: Vec<ArticleSummary>,
}

/// Narrows an article listing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleFilter {
    /// A topic slug; its narrower topics count too.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub topic: Option<String>,
    /// Only this state (editors); readers see published articles only.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub state: Option<ArticleState>,
    /// The reader's language: of each article the version in this language is listed, else
    /// the first version. Absent: the account's first language, else every version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub org: Option<OrgId>,
}

/// One revision of an article's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleRevision {
    pub article: ArticleId,
    pub number: u32,
    /// Absent: the operator.
    #[serde(default)]
    pub author: Option<AccountId>,
    pub at: Timestamp,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub body: String,
}

/// Whether a line of a diff is in both revisions, only the later or only the earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DiffOp {
    Same,
    Added,
    Removed,
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DiffLine {
    pub op: DiffOp,
    pub text: String,
}

/// The line differences between two revisions (title and summary count as the first lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleDiff {
    pub article: ArticleId,
    pub from: u32,
    pub to: u32,
    pub lines: Vec<DiffLine>,
}

/// A Markdown file with front matter, as imported and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleFile {
    /// The file's path relative to the folder (`de/peer-arbeit.md`); its name is the default
    /// slug.
    pub path: String,
    pub text: String,
}

/// A problem with one file of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FileProblem {
    pub file: String,
    /// 1-based line in the file; 0 when the problem is the whole file.
    pub line: u64,
    /// The front matter key at fault (`title`, `topics`), `body`, or empty.
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// What an import did or, on a dry run or with problems, would do. All or nothing: with any
/// problem, nothing is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ArticleImport {
    /// Files that passed every check (would be imported, on a dry run).
    pub valid_files: u64,
    /// Ids of the articles created (none on a dry run or a refused import).
    pub created: Vec<ArticleId>,
    /// Existing slugs whose file changed them.
    pub updated: Vec<ArticleId>,
    pub unchanged: u64,
    pub problems: Vec<FileProblem>,
    pub dry_run: bool,
}
