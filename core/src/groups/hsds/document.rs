//! The subset of Open Referral HSDS 3 the directory writes and reads: a service (a group) with
//! its organization (the contact point), its locations through `service_at_locations`, its
//! schedules, languages and attributes (topics, keywords, audience, format, status,
//! accessibility). Field names are HSDS's; every object refuses fields it does not know, so an
//! import names the field it cannot take instead of dropping it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

fn none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

fn empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

/// An HSDS service: one self-help group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Service {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub organization_id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
    /// `active`, `inactive`, `defunct` or `temporarily closed`.
    pub status: String,
    #[serde(default, skip_serializing_if = "none")]
    pub eligibility_description: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub minimum_age: Option<u32>,
    #[serde(default, skip_serializing_if = "none")]
    pub maximum_age: Option<u32>,
    /// The date the entry was last confirmed.
    #[serde(default, skip_serializing_if = "none")]
    pub assured_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "none")]
    pub organization: Option<Organization>,
    #[serde(default, skip_serializing_if = "empty")]
    pub service_at_locations: Vec<ServiceAtLocation>,
    /// Only the locality of a group whose meeting place is confidential.
    #[serde(default, skip_serializing_if = "empty")]
    pub service_areas: Vec<ServiceArea>,
    #[serde(default, skip_serializing_if = "empty")]
    pub schedules: Vec<Schedule>,
    #[serde(default, skip_serializing_if = "empty")]
    pub languages: Vec<Language>,
    #[serde(default, skip_serializing_if = "empty")]
    pub attributes: Vec<Attribute>,
}

/// An HSDS organization: the group's self-help contact point.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Organization {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "empty")]
    pub phones: Vec<Phone>,
    /// The contact point's office, with its opening hours as schedules.
    #[serde(default, skip_serializing_if = "empty")]
    pub locations: Vec<Location>,
    #[serde(default, skip_serializing_if = "empty")]
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Phone {
    pub id: String,
    pub number: String,
}

/// An HSDS location: a public meeting place or a contact point's office.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Location {
    pub id: String,
    /// `physical`, `postal` or `virtual`.
    pub location_type: String,
    #[serde(default, skip_serializing_if = "none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "none")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "empty")]
    pub addresses: Vec<Address>,
    #[serde(default, skip_serializing_if = "empty")]
    pub accessibility: Vec<AccessibilityEntry>,
    #[serde(default, skip_serializing_if = "empty")]
    pub schedules: Vec<Schedule>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Address {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub location_id: Option<String>,
    pub address_1: String,
    pub city: String,
    pub state_province: String,
    pub postal_code: String,
    pub country: String,
    pub address_type: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccessibilityEntry {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub details: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceAtLocation {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub location: Option<Location>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceArea {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
}

/// An HSDS schedule: the RRULE fields of one weekly or monthly meeting (or opening time),
/// local times of the platform's zone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Schedule {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub freq: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub interval: Option<u32>,
    #[serde(default, skip_serializing_if = "none")]
    pub byday: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub opens_at: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub closes_at: Option<String>,
    /// The first date of the recurrence (the anchor of "every n weeks").
    #[serde(default, skip_serializing_if = "none")]
    pub dtstart: Option<NaiveDate>,
    /// The last date of the recurrence.
    #[serde(default, skip_serializing_if = "none")]
    pub until: Option<NaiveDate>,
    /// Read as `dtstart` when that is absent.
    #[serde(default, skip_serializing_if = "none")]
    pub valid_from: Option<NaiveDate>,
    /// Read as `until` when that is absent.
    #[serde(default, skip_serializing_if = "none")]
    pub valid_to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "none")]
    pub description: Option<String>,
    /// The dates the group does not meet: `No meeting on 2026-12-24, 2026-12-31.`
    #[serde(default, skip_serializing_if = "none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Language {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub name: Option<String>,
}

/// An HSDS attribute: a taxonomy term applied to the service.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Attribute {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub link_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub link_entity: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy_term_id: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy_term: Option<TaxonomyTerm>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaxonomyTerm {
    pub id: String,
    #[serde(default, skip_serializing_if = "none")]
    pub code: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "none")]
    pub taxonomy: Option<String>,
}

/// A file holds one service or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    Many(Vec<serde_json::Value>),
    One(serde_json::Map<String, serde_json::Value>),
}
