//! Checking what people give the directory: every bad value is refused with the field it came
//! from and the reason.

use super::model::*;
use super::records::GroupRecord;
use super::schedule;
use crate::accounts::{self, AccountId};
use crate::error::{Error, Result};
use crate::geo;
use crate::model::organisation::OrgKind;
use crate::orgs::{self, OrgId};
use crate::store::Reader;
use crate::topics;
use crate::validate;

const MAX_TOPICS: usize = 20;
const MAX_KEYWORDS: usize = 20;
const MAX_DESCRIPTION: usize = 4000;

pub(crate) fn name(value: &str) -> Result<String> {
    validate::required_line("name", value, 160)
}

pub(crate) fn description(value: &str) -> Result<String> {
    if value.trim().is_empty() {
        return Ok(String::new());
    }
    validate::required_text("description", value, MAX_DESCRIPTION)
}

/// Thesaurus slugs: each must name a topic.
pub(crate) fn topics(txn: &impl Reader, values: &[String]) -> Result<Vec<String>> {
    if values.len() > MAX_TOPICS {
        return Err(Error::invalid("topics", format!("{} topics; at most {MAX_TOPICS}", values.len())));
    }
    topics::require_all(txn, "topics", values)
}

/// Free keywords, lower-cased and de-duplicated.
pub(crate) fn keywords(values: &[String]) -> Result<Vec<String>> {
    if values.len() > MAX_KEYWORDS {
        return Err(Error::invalid("keywords", format!("{} keywords; at most {MAX_KEYWORDS}", values.len())));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let k = validate::required_line(&format!("keywords[{i}]"), v, 60)?.to_lowercase();
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Ok(out)
}

pub(crate) fn languages(values: &[String]) -> Result<Vec<String>> {
    let out = validate::languages("languages", values)?;
    if out.is_empty() {
        return Err(Error::invalid("languages", "name at least one language the group speaks, such as de"));
    }
    Ok(out)
}

pub(crate) fn ages(min: Option<u32>, max: Option<u32>) -> Result<()> {
    for (field, age) in [("age_min", min), ("age_max", max)] {
        if let Some(a) = age
            && a > 120
        {
            return Err(Error::invalid(field, format!("{a} is not an age")));
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && hi < lo
    {
        return Err(Error::invalid("age_max", format!("{hi} is below age_min {lo}")));
    }
    Ok(())
}

/// The contact point must be an organisation of kind self-help contact point.
pub(crate) fn contact_point(txn: &impl Reader, org: Option<OrgId>) -> Result<()> {
    let Some(org) = org else { return Ok(()) };
    let found = orgs::load(txn, org)
        .map_err(|_| Error::invalid("contact_point", format!("organisation {org} does not exist")))?;
    if found.kind != OrgKind::SelfHelpContactPoint {
        return Err(Error::invalid(
            "contact_point",
            format!("organisation {org} is a {:?}, not a self-help contact point", found.kind),
        ));
    }
    Ok(())
}

pub(crate) fn contact(txn: &impl Reader, account: Option<AccountId>) -> Result<()> {
    if let Some(a) = account {
        accounts::load(txn, a).map_err(|_| Error::invalid("contact", format!("account {a} does not exist")))?;
    }
    Ok(())
}

/// A meeting place through the gazetteer.
pub(crate) fn place(txn: &impl Reader, value: &GroupPlaceInput) -> Result<GroupPlace> {
    let found = geo::resolve(txn, &value.country, &value.postcode).map_err(|e| match e {
        Error::InvalidInput { reason, .. } => Error::invalid("place.postcode", reason),
        other => other,
    })?;
    Ok(GroupPlace {
        venue: validate::optional_line("place.venue", value.venue.as_deref(), 200)?,
        street: validate::optional_line("place.street", value.street.as_deref(), 200)?,
        postcode: found.postcode,
        country: found.country,
        locality: found.names.first().cloned(),
        coordinates: found.coordinates,
        confidential: value.confidential,
    })
}

pub(crate) fn accessibility(values: &[Accessibility]) -> Vec<Accessibility> {
    let mut out = values.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

pub(crate) fn accessibility_notes(value: Option<&str>) -> Result<Option<String>> {
    validate::optional_line("accessibility_notes", value, 500)
}

/// The rules that join several fields, checked on the whole record after every change.
pub(crate) fn consistent(group: &GroupRecord) -> Result<()> {
    if group.format.in_person() && group.place.is_none() {
        return Err(Error::invalid("place", "a group that meets in person needs a meeting place"));
    }
    if group.place.as_ref().is_some_and(|p| p.confidential) && group.contact_point.is_none() {
        return Err(Error::invalid(
            "contact_point",
            "a group with a confidential meeting place needs a contact point that puts people in touch",
        ));
    }
    if group.requests_to == RequestRoute::GroupContact && group.contact.is_none() {
        return Err(Error::invalid("requests_to", "requests can go to the group contact only when the group has one"));
    }
    if group.requests_to == RequestRoute::ContactPoint && group.contact_point.is_none() {
        return Err(Error::invalid(
            "contact_point",
            "a group needs a contact point to receive its requests, or a contact person",
        ));
    }
    Ok(())
}

/// Public contact data of an organisation.
pub(crate) fn org_contact(txn: &impl Reader, value: &OrgContactInput) -> Result<OrgContactParts> {
    let (postcode, country, locality, coordinates) = match (&value.postcode, &value.country) {
        (Some(postcode), Some(country)) => {
            let found = geo::resolve(txn, country, postcode).map_err(|e| match e {
                Error::InvalidInput { reason, .. } => Error::invalid("postcode", reason),
                other => other,
            })?;
            (Some(found.postcode), Some(found.country), found.names.first().cloned(), Some(found.coordinates))
        }
        (None, None) => (None, None, None, None),
        (Some(_), None) => return Err(Error::invalid("country", "a postcode needs its country, such as DE")),
        (None, Some(_)) => return Err(Error::invalid("postcode", "a country needs a postcode")),
    };
    if value.opening_hours.len() > 21 {
        return Err(Error::invalid("opening_hours", "at most 21 opening times"));
    }
    let hours = weekly_hours("opening_hours", &value.opening_hours)?;
    Ok(OrgContactParts {
        street: validate::optional_line("street", value.street.as_deref(), 200)?,
        postcode,
        country,
        locality,
        coordinates,
        phone: value.phone.as_deref().map(phone).transpose()?,
        email: value.email.as_deref().map(|e| validate::email("email", e)).transpose()?,
        opening_hours: hours,
    })
}

/// Weekly times (opening hours, a room's windows): each closes after it opens; normalised to
/// `HH:MM` and sorted by day and time.
pub(crate) fn weekly_hours(field: &str, values: &[OpeningHours]) -> Result<Vec<OpeningHours>> {
    let mut hours = Vec::new();
    for (i, h) in values.iter().enumerate() {
        let opens = schedule::local_time(&format!("{field}[{i}].opens"), &h.opens)?;
        let closes = schedule::local_time(&format!("{field}[{i}].closes"), &h.closes)?;
        if closes <= opens {
            return Err(Error::invalid(format!("{field}[{i}].closes"), "closes before it opens"));
        }
        hours.push(OpeningHours {
            day: h.day,
            opens: opens.format("%H:%M").to_string(),
            closes: closes.format("%H:%M").to_string(),
        });
    }
    hours.sort_by(|a, b| (a.day, &a.opens).cmp(&(b.day, &b.opens)));
    Ok(hours)
}

/// The checked parts of [`OrgContactInput`].
pub(crate) struct OrgContactParts {
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub locality: Option<String>,
    pub coordinates: Option<geo::Coordinates>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub opening_hours: Vec<OpeningHours>,
}

impl OrgContactParts {
    /// The contact data of organisation `org` (shown under `name`) as of `now`.
    pub(crate) fn into_contact(self, org: OrgId, name: String, now: crate::clock::Timestamp) -> OrgContact {
        OrgContact {
            org,
            name,
            street: self.street,
            postcode: self.postcode,
            country: self.country,
            locality: self.locality,
            coordinates: self.coordinates,
            phone: self.phone,
            email: self.email,
            opening_hours: self.opening_hours,
            updated_at: now,
        }
    }
}

/// A phone number as people write it: digits, spaces, `+`, `-`, `/`, `(`, `)`; 5 to 20 digits.
fn phone(value: &str) -> Result<String> {
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !v.chars().all(|c| c.is_ascii_digit() || " +-/()".contains(c)) || !(5..=20).contains(&digits) {
        return Err(Error::invalid("phone", format!("'{value}' is not a phone number such as +49 3641 123456")));
    }
    Ok(v.to_string())
}

/// The platform's time zone from the settings.
pub(crate) fn time_zone(name: &str) -> Result<chrono_tz::Tz> {
    name.trim()
        .parse::<chrono_tz::Tz>()
        .map_err(|_| Error::invalid("time_zone", format!("'{name}' is not an IANA time zone such as Europe/Berlin")))
}
