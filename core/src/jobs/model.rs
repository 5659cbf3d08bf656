//! Job posting records and the enums around them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accounts::named_enum;
use crate::clock::Timestamp;
use crate::geo::Coordinates;
use crate::orgs::OrgId;

pub use crate::ids::JobId;

/// The kind of contract a posting offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Contract {
    Permanent,
    FixedTerm,
    /// Geringfügige Beschäftigung (in Germany up to the mini-job earnings limit).
    MiniJob,
    Freelance,
    /// Placement or internship, e.g. the practical part of EX-IN training.
    Placement,
    Volunteer,
}

named_enum!(Contract, "contract",
    Permanent => "permanent", FixedTerm => "fixed_term", MiniJob => "mini_job",
    Freelance => "freelance", Placement => "placement", Volunteer => "volunteer");

impl Contract {
    /// A bit of its own, for compact sets of contract types.
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// What a pay figure is per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PayUnit {
    Hour,
    Month,
    Year,
}

named_enum!(PayUnit, "pay.unit", Hour => "hour", Month => "month", Year => "year");

/// Weeks per month, for turning hourly pay into monthly pay (52 weeks / 12 months).
pub(crate) const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

impl PayUnit {
    /// How many of this unit make a month, at `hours_per_week`.
    pub(crate) fn per_month(self, hours_per_week: f64) -> f64 {
        match self {
            PayUnit::Hour => hours_per_week * WEEKS_PER_MONTH,
            PayUnit::Month => 1.0,
            PayUnit::Year => 1.0 / 12.0,
        }
    }
}

/// Pay as the EU pay-transparency directive asks for it: a range, its unit and currency, and
/// where it comes from a collective agreement, the agreement and group ("TV-L", "E 7").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Pay {
    /// Lower end of the range, gross, in `currency`; at most two decimals.
    pub min: f64,
    /// Upper end of the range; absent when the pay is a single figure.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub max: Option<f64>,
    pub unit: PayUnit,
    /// ISO 4217 code: EUR, DKK, …
    pub currency: String,
    /// Collective agreement, e.g. "TV-L", "TVöD-VKA", "AVR Caritas".
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub agreement: Option<String>,
    /// Pay group under the agreement, e.g. "E 7", "S 12".
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub group: Option<String>,
}

impl Pay {
    /// The upper end of the range (the single figure when there is no range).
    pub fn upper(&self) -> f64 {
        self.max.unwrap_or(self.min)
    }
}

/// Weekly working hours, a range from `min` to `max` (equal for a fixed figure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Hours {
    pub min: u32,
    pub max: u32,
}

impl Hours {
    /// Whether two ranges share at least one hour.
    pub fn overlaps(self, other: Hours) -> bool {
        self.min <= other.max && other.min <= self.max
    }
}

/// What a posting asks of EX-IN training (the peer-support qualification in German-speaking
/// countries; "peer-worker training" elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ExInRequirement {
    /// Open to everyone.
    #[default]
    None,
    /// A certificate, or training in progress.
    TrainingAccepted,
    /// A completed certificate.
    CertificateRequired,
}

named_enum!(ExInRequirement, "requirement",
    None => "none", TrainingAccepted => "training_accepted", CertificateRequired => "certificate_required");

/// Where a person stands with EX-IN training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ExInStatus {
    #[default]
    None,
    InTraining,
    Certified,
}

named_enum!(ExInStatus, "exin", None => "none", InTraining => "in_training", Certified => "certified");

impl ExInStatus {
    /// Whether a person with this status meets `requirement`.
    pub fn meets(self, requirement: ExInRequirement) -> bool {
        match requirement {
            ExInRequirement::None => true,
            ExInRequirement::TrainingAccepted => self != ExInStatus::None,
            ExInRequirement::CertificateRequired => self == ExInStatus::Certified,
        }
    }
}

/// Where a posting's life stands. `Expired` is never stored: a published posting whose
/// expiry date has passed reads as expired, by the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum JobState {
    Draft,
    Published,
    Filled,
    Withdrawn,
    Expired,
}

named_enum!(JobState, "state",
    Draft => "draft", Published => "published", Filled => "filled", Withdrawn => "withdrawn", Expired => "expired");

/// Where a job is, as given by the person posting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LocationInput {
    /// A postcode, resolved through the gazetteer of `country` (ISO 3166 alpha-2).
    Postcode { country: String, postcode: String },
    /// Explicit coordinates, with an optional place name to show.
    Coordinates {
        latitude: f64,
        longitude: f64,
        #[serde(default)]
        place: Option<String>,
    },
    /// Work from anywhere.
    Remote,
}

/// Where a job is, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Location {
    OnSite {
        coordinates: Coordinates,
        /// The place's name, from the gazetteer or as typed in.
        #[serde(default)]
        place: Option<String>,
        #[serde(default)]
        postcode: Option<String>,
        #[serde(default)]
        country: Option<String>,
    },
    Remote,
}

impl Location {
    /// The coordinates of an on-site job.
    pub fn coordinates(&self) -> Option<Coordinates> {
        match self {
            Location::OnSite { coordinates, .. } => Some(*coordinates),
            Location::Remote => None,
        }
    }
}

/// A job posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Job {
    pub id: JobId,
    /// The employer organisation.
    pub org: OrgId,
    pub title: String,
    pub description: String,
    pub location: Location,
    pub contract: Contract,
    pub hours: Hours,
    /// Absent only on volunteer posts; required to publish anything else.
    #[serde(default)]
    pub pay: Option<Pay>,
    #[serde(default)]
    pub requirement: ExInRequirement,
    /// ISO 639-1 codes of the working languages, at least one.
    pub languages: Vec<String>,
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    /// The last day the posting is shown; set at the latest when it is published.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    pub openings: u32,
    /// How to apply: an address, a phone number or a web page.
    #[serde(default)]
    pub contact: Option<String>,
    /// The state as of the time it was read (`Expired` by the clock).
    pub state: JobState,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default)]
    pub published_at: Option<Timestamp>,
}

/// What a new posting needs. It starts as a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewJob {
    pub org: OrgId,
    pub title: String,
    pub description: String,
    pub location: LocationInput,
    pub contract: Contract,
    pub hours: Hours,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub pay: Option<Pay>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub requirement: Option<ExInRequirement>,
    pub languages: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub starts_on: Option<NaiveDate>,
    /// The last day to show the posting; 60 days after publishing when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub expires_on: Option<NaiveDate>,
    /// 1 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub openings: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub contact: Option<String>,
}

/// Changes to a draft or published posting; absent fields stay. An empty `contact` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JobUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub title: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub location: Option<LocationInput>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub contract: Option<Contract>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub hours: Option<Hours>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub pay: Option<Pay>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub requirement: Option<ExInRequirement>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub starts_on: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub expires_on: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub openings: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub contact: Option<String>,
}

/// Views of a posting (or of all postings) in one calendar month (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MonthlyViews {
    /// `YYYY-MM`.
    pub month: String,
    pub views: u64,
}
