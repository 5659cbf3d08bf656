//! Organisation records.

use serde::{Deserialize, Serialize};

use super::named_enum;
use crate::clock::Timestamp;

pub use crate::ids::OrgId;

/// What an organisation is. One organisation has one kind; a clinic that employs peer
/// workers is a clinic, and may still post jobs once verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OrgKind {
    Clinic,
    Municipality,
    Association,
    /// Selbsthilfekontaktstelle: supports self-help groups in a region.
    SelfHelpContactPoint,
    /// Offers EX-IN and other peer-work training.
    TrainingProvider,
    Employer,
}

named_enum!(OrgKind, "kind",
    Clinic => "clinic", Municipality => "municipality", Association => "association",
    SelfHelpContactPoint => "self_help_contact_point", TrainingProvider => "training_provider", Employer => "employer");

/// An organisation on the platform. Only verified organisations will publish jobs and
/// offer counselling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Organisation {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    /// ISO 3166 code of the home region: `DE-TH`, `DK-84`, or a country.
    pub region: String,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub verified_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a new organisation needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrgKind,
    pub region: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub city: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub website: Option<String>,
}

/// Changes to an organisation; absent fields stay, an empty string clears `city` or `website`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OrganisationUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub kind: Option<OrgKind>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub region: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub city: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub website: Option<String>,
}

/// Narrows an organisation listing; every given criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OrganisationFilter {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub kind: Option<OrgKind>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub verified: Option<bool>,
    /// A country (`DE`) matches all its subdivisions (`DE-TH`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub region: Option<String>,
    /// Part of the name, ignoring case.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub name_contains: Option<String>,
}
