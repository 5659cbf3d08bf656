//! A group as an HSDS service document. Only what the public may see goes out: a confidential
//! meeting place never appears (only its locality, as a service area), nor the group's own
//! contact person.

use super::document::*;
use super::ids;
use super::terms::{self, Taxonomy};
use crate::error::Result;
use crate::groups::model::*;
use crate::groups::records::{self, GroupRecord};
use crate::groups::view::Lens;
use crate::orgs::{self, OrgId};
use crate::store::Reader;

/// The service document of `rec`.
pub(crate) fn service(txn: &impl Reader, rec: &GroupRecord, lens: Lens) -> Result<Service> {
    let id = ids::of_group(txn, rec)?;
    let organization = rec.contact_point.map(|org| organization(txn, org)).transpose()?;
    let mut service = Service {
        organization_id: organization.as_ref().map(|o| o.id.clone()),
        name: rec.name.clone(),
        description: Some(rec.description.clone()).filter(|d| !d.is_empty()),
        status: status(rec.status).into(),
        eligibility_description: Some(eligibility(rec.audience).into()),
        minimum_age: rec.age_min,
        maximum_age: rec.age_max,
        assured_date: Some(rec.last_confirmed.with_timezone(&lens.zone).date_naive()),
        organization,
        schedules: rec.meetings.iter().enumerate().map(|(i, m)| meeting(&id, i, m)).collect(),
        languages: rec.languages.iter().enumerate().map(|(i, code)| language(&id, i, code)).collect(),
        attributes: attributes(&id, rec),
        ..Service::default()
    };
    match &rec.place {
        Some(place) if place.confidential => {
            service.service_areas.push(ServiceArea {
                id: ids::child(&id, "area", 0),
                service_id: Some(id.clone()),
                name: place.locality.clone(),
                description: Some(
                    "The contact point tells people the meeting place once it has put them in touch.".into(),
                ),
            });
        }
        Some(place) => {
            let location = meeting_place(&id, place, rec);
            service.service_at_locations.push(ServiceAtLocation {
                id: ids::child(&id, "service_at_location", 0),
                service_id: Some(id.clone()),
                location_id: Some(location.id.clone()),
                location: Some(location),
            });
        }
        None => {}
    }
    service.id = id;
    Ok(service)
}

/// HSDS's service status for a group's status (the exact one travels as an attribute).
fn status(value: GroupStatus) -> &'static str {
    match value {
        GroupStatus::Founding | GroupStatus::Active | GroupStatus::Full => "active",
        GroupStatus::Paused => "temporarily closed",
        GroupStatus::Ended => "defunct",
    }
}

fn eligibility(audience: GroupAudience) -> &'static str {
    match audience {
        GroupAudience::Affected => "For people affected themselves.",
        GroupAudience::Relatives => "For relatives and friends.",
        GroupAudience::Both => "For people affected and for relatives and friends.",
    }
}

/// The contact point as an HSDS organization: name, public contact data, office and hours.
fn organization(txn: &impl Reader, id: OrgId) -> Result<Organization> {
    let org = orgs::load(txn, id)?;
    let uuid = ids::of_org(txn, &org)?;
    let contact = records::load_org_contact(txn, id)?;
    let mut out = Organization {
        id: uuid.clone(),
        name: org.name.clone(),
        description: "Self-help contact point".into(),
        website: org.website.clone(),
        attributes: vec![terms::attribute(&uuid, "organization", 0, Taxonomy::Region, &org.region, None)],
        ..Organization::default()
    };
    let Some(contact) = contact else { return Ok(out) };
    if let Some(locality) = &contact.locality {
        out.description = format!("Self-help contact point in {locality}");
    }
    out.email = contact.email.clone();
    out.phones = contact
        .phone
        .iter()
        .map(|number| Phone { id: ids::child(&uuid, "phone", 0), number: number.clone() })
        .collect();
    if let (Some(postcode), Some(country)) = (&contact.postcode, &contact.country) {
        let location_id = ids::child(&uuid, "location", 0);
        out.locations.push(Location {
            id: location_id.clone(),
            location_type: "physical".into(),
            latitude: contact.coordinates.map(|c| c.latitude),
            longitude: contact.coordinates.map(|c| c.longitude),
            addresses: vec![Address {
                id: ids::child(&uuid, "address", 0),
                location_id: Some(location_id.clone()),
                address_1: contact.street.clone().unwrap_or_default(),
                city: contact.locality.clone().unwrap_or_default(),
                state_province: org.region.clone(),
                postal_code: postcode.clone(),
                country: country.clone(),
                address_type: "physical".into(),
            }],
            schedules: contact
                .opening_hours
                .iter()
                .enumerate()
                .map(|(i, h)| Schedule {
                    id: ids::child(&uuid, "hours", i),
                    location_id: Some(location_id.clone()),
                    freq: Some("WEEKLY".into()),
                    byday: Some(h.day.code().into()),
                    opens_at: Some(h.opens.clone()),
                    closes_at: Some(h.closes.clone()),
                    ..Schedule::default()
                })
                .collect(),
            ..Location::default()
        });
    }
    Ok(out)
}

/// A public meeting place as an HSDS location, with its accessibility.
fn meeting_place(service: &str, place: &GroupPlace, rec: &GroupRecord) -> Location {
    let id = ids::child(service, "location", 0);
    let mut accessibility: Vec<AccessibilityEntry> = rec
        .accessibility
        .iter()
        .enumerate()
        .map(|(i, a)| AccessibilityEntry {
            id: ids::child(service, "accessibility", i),
            location_id: Some(id.clone()),
            description: Some(terms::accessibility_words(*a).into()),
            details: None,
        })
        .collect();
    if let Some(notes) = &rec.accessibility_notes {
        accessibility.push(AccessibilityEntry {
            id: ids::child(service, "accessibility", rec.accessibility.len()),
            location_id: Some(id.clone()),
            description: Some(notes.clone()),
            details: None,
        });
    }
    Location {
        id: id.clone(),
        location_type: "physical".into(),
        name: place.venue.clone(),
        latitude: Some(place.coordinates.latitude),
        longitude: Some(place.coordinates.longitude),
        addresses: vec![Address {
            id: ids::child(service, "address", 0),
            location_id: Some(id),
            address_1: place.street.clone().unwrap_or_default(),
            city: place.locality.clone().unwrap_or_default(),
            state_province: String::new(),
            postal_code: place.postcode.clone(),
            country: place.country.clone(),
            address_type: "physical".into(),
        }],
        accessibility,
        ..Location::default()
    }
}

/// A meeting schedule as HSDS's RRULE fields.
fn meeting(service: &str, index: usize, m: &Meeting) -> Schedule {
    let mut out = Schedule {
        id: ids::child(service, "schedule", index),
        service_id: Some(service.to_string()),
        opens_at: Some(m.starts.clone()),
        closes_at: Some(m.ends.clone()),
        dtstart: Some(m.valid_from),
        until: m.valid_until,
        description: Some(m.description.clone()),
        interval: Some(1),
        ..Schedule::default()
    };
    for part in m.rule.split(';') {
        match part.split_once('=') {
            Some(("FREQ", v)) => out.freq = Some(v.to_string()),
            Some(("INTERVAL", v)) => out.interval = v.parse().ok(),
            Some(("BYDAY", v)) => out.byday = Some(v.to_string()),
            _ => {}
        }
    }
    if !m.exceptions.is_empty() {
        let dates: Vec<String> = m.exceptions.iter().map(|d| d.to_string()).collect();
        out.notes = Some(format!("{}{}.", super::EXCEPTIONS_PREFIX, dates.join(", ")));
    }
    out
}

fn language(service: &str, index: usize, code: &str) -> Language {
    Language {
        id: ids::child(service, "language", index),
        service_id: Some(service.to_string()),
        code: Some(code.to_string()),
        name: None,
    }
}

/// The group's classifications: topics, keywords, audience, format, exact status,
/// accessibility (with its notes) and whether its place is confidential.
fn attributes(service: &str, rec: &GroupRecord) -> Vec<super::document::Attribute> {
    let mut list: Vec<(Taxonomy, String, Option<String>)> = Vec::new();
    list.extend(rec.topics.iter().map(|t| (Taxonomy::Topic, t.clone(), None)));
    list.extend(rec.keywords.iter().map(|k| (Taxonomy::Keyword, k.clone(), None)));
    list.push((Taxonomy::Audience, terms::audience_code(rec.audience).into(), None));
    list.push((Taxonomy::Format, terms::format_code(rec.format).into(), None));
    list.push((Taxonomy::Status, terms::status_code(rec.status).into(), None));
    list.extend(
        rec.accessibility.iter().map(|a| (Taxonomy::Accessibility, terms::accessibility_code(*a).into(), None)),
    );
    if let Some(notes) = &rec.accessibility_notes {
        list.push((Taxonomy::Accessibility, terms::NOTES.into(), Some(notes.clone())));
    }
    if let Some(place) = rec.place.as_ref().filter(|p| p.confidential) {
        list.push((Taxonomy::Place, terms::CONFIDENTIAL.into(), Some(place.country.clone())));
    }
    list.into_iter()
        .enumerate()
        .map(|(i, (taxonomy, code, value))| terms::attribute(service, "service", i, taxonomy, &code, value))
        .collect()
}
