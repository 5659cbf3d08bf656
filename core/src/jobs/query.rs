//! What a job search asks for, and what it returns.

use serde::{Deserialize, Serialize};

use super::model::{Contract, ExInStatus, Hours, Job, LocationInput, PayUnit};
use crate::clock::Timestamp;
use crate::geo::Coordinates;
use crate::orgs::OrgId;

/// The radius used when a search names a place but no radius.
pub const DEFAULT_RADIUS_KM: f64 = 50.0;
/// The largest radius a search may ask for.
pub const MAX_RADIUS_KM: f64 = 1000.0;

/// How to order search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum JobSort {
    /// Best text match first (BM25); without text, nearest first, or newest without a place.
    #[default]
    Relevance,
    Newest,
    /// Nearest first; remote postings last.
    Distance,
    /// Highest pay first (upper end, compared per month); postings without pay last.
    Pay,
}

crate::accounts::named_enum!(JobSort, "sort", Relevance => "relevance", Newest => "newest", Distance => "distance", Pay => "pay");

/// "At least this much": compared with the upper end of each posting's range, converted to
/// `unit` at the posting's mean weekly hours. Only postings paid in `currency` qualify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MinPay {
    pub amount: f64,
    pub unit: PayUnit,
    pub currency: String,
}

/// A job search. Every given criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JobQuery {
    /// Search around a postcode or coordinates (not `remote`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub near: Option<LocationInput>,
    /// Kilometres around `near`, in (0, 1000]; 50 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub radius_km: Option<f64>,
    /// Words to find in title and description (all of them; any case, accents and word forms).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub text: Option<String>,
    /// Any of these contract types; all when empty.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub contracts: Vec<Contract>,
    /// Weekly hours the posting's range must overlap.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub hours: Option<Hours>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub min_pay: Option<MinPay>,
    /// Only postings a person with this EX-IN status qualifies for.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub exin: Option<ExInStatus>,
    /// Only postings with this working language (ISO 639-1).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
    /// With `near`: also remote postings (without `near` they are always included).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub include_remote: bool,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub org: Option<OrgId>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub published_since: Option<Timestamp>,
    /// With `org`, for its own staff and admins: drafts, filled, withdrawn and expired
    /// postings too.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub include_unpublished: bool,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub sort: Option<JobSort>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JobHit {
    pub job: Job,
    /// Great-circle distance from the search's place; absent without a place or for remote jobs.
    pub distance_km: Option<f64>,
    /// Where the job is; absent for remote jobs.
    pub coordinates: Option<Coordinates>,
    /// The text-relevance score (BM25), when the search had text.
    pub score: Option<f64>,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JobSearchPage {
    pub items: Vec<JobHit>,
    /// Pass this back in the next `PageRequest` for the following page; absent on the last.
    pub next_cursor: Option<String>,
}
