//! Where an employer stands with a seeker's interest in a posting: the job board keeps it, the
//! inbox tells the seeker when it changes.

use serde::{Deserialize, Serialize};

/// Where an employer stands with an interested seeker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum InterestStatus {
    New,
    Contacted,
    Interviewing,
    Hired,
    Declined,
    /// The seeker took the interest back.
    Withdrawn,
}

super::named_enum!(InterestStatus, "status",
    New => "new", Contacted => "contacted", Interviewing => "interviewing", Hired => "hired",
    Declined => "declined", Withdrawn => "withdrawn");

impl InterestStatus {
    /// Hired, declined and withdrawn are final.
    pub fn is_final(self) -> bool {
        matches!(self, InterestStatus::Hired | InterestStatus::Declined | InterestStatus::Withdrawn)
    }
}
