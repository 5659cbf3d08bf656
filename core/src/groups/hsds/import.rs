//! Reading HSDS documents into contact points and groups: parse (bounded), plan (every check,
//! nothing written), apply (or only report, for a dry run).

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone};

use super::document::*;
use super::ids::{self, Kind};
use super::terms::{self, Taxonomy};
use super::{
    EXCEPTIONS_PREFIX, HsdsAction, HsdsImport, HsdsImportItem, HsdsKind, MAX_IMPORT_BYTES, MAX_IMPORT_SERVICES,
};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo;
use crate::groups::input;
use crate::groups::model::*;
use crate::groups::records::{self, GroupRecord};
use crate::groups::schedule;
use crate::groups::view::Lens;
use crate::model::organisation::{NewOrganisation, OrgKind};
use crate::orgs::{self, OrgId};
use crate::store::{Reader, WriteTxn, next_id};
use crate::validate;

/// Most attributes one record may carry.
const MAX_ATTRIBUTES: usize = 100;
/// Most languages one group may name.
const MAX_LANGUAGES: usize = 20;

/// Reads the file's services: a JSON array of them or one. Each refuses unknown fields, named
/// with their path (`services[3].schedules[0].byweekno`).
pub(crate) fn parse(json: &str) -> Result<Vec<Service>> {
    if json.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            "documents",
            format!("{} bytes; at most {MAX_IMPORT_BYTES} per import: split the file", json.len()),
        ));
    }
    let top: OneOrMany = serde_json::from_str(json)
        .map_err(|e| Error::invalid("documents", format!("not a JSON array of HSDS services or one service: {e}")))?;
    let values = match top {
        OneOrMany::Many(list) => list,
        OneOrMany::One(map) => vec![serde_json::Value::Object(map)],
    };
    if values.len() > MAX_IMPORT_SERVICES {
        return Err(Error::invalid(
            "documents",
            format!("{} services; at most {MAX_IMPORT_SERVICES} per import", values.len()),
        ));
    }
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            serde_path_to_error::deserialize(value).map_err(|e| {
                let path = e.path().to_string();
                let field = if path == "." { format!("services[{i}]") } else { format!("services[{i}].{path}") };
                Error::invalid(field, e.into_inner().to_string())
            })
        })
        .collect()
}

/// A contact point as the file describes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlannedOrg {
    uuid: String,
    existing: Option<OrgId>,
    name: String,
    region: String,
    website: Option<String>,
    contact: OrgContactInput,
    /// The checked contact data, to compare with what is stored.
    parts: ContactParts,
}

#[derive(Debug, Clone, PartialEq)]
struct ContactParts {
    street: Option<String>,
    postcode: Option<String>,
    country: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    opening_hours: Vec<OpeningHours>,
}

/// A group as the file describes it, checked.
pub(crate) struct PlannedGroup {
    uuid: String,
    existing: Option<GroupRecord>,
    /// Index into the plan's organizations; `None` for a group kept by its own contact.
    org: Option<usize>,
    record: GroupRecord,
}

/// Who receives a group's requests: a contact point (its id, 0 until it is created), or, for
/// a group already here without one, its own contact as stored.
enum Keeper<'a> {
    ContactPoint(OrgId),
    Existing(Option<&'a GroupRecord>),
}

pub(crate) struct Plan {
    orgs: Vec<PlannedOrg>,
    groups: Vec<PlannedGroup>,
}

/// Checks every service against the directory's rules and what is stored; writes nothing.
pub(crate) fn plan(txn: &impl Reader, services: &[Service], lens: Lens) -> Result<Plan> {
    let mut orgs: Vec<PlannedOrg> = Vec::new();
    let mut org_index: HashMap<String, (usize, usize)> = HashMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut groups = Vec::new();
    let local = ids::Local::build(txn)?;
    for (i, service) in services.iter().enumerate() {
        let p = format!("services[{i}]");
        let uuid = ids::check(&format!("{p}.id"), &service.id)?;
        if let Some(first) = seen.insert(uuid.clone(), i) {
            return Err(Error::invalid(format!("{p}.id"), format!("'{uuid}' is also the id of services[{first}]")));
        }
        let existing = match local.find(txn, Kind::Service, &uuid)? {
            Some(id) => Some(records::load_group(txn, GroupId(id))?),
            None => None,
        };
        let index = match &service.organization {
            Some(organization) => {
                let planned = org(txn, &local, &format!("{p}.organization"), organization)?;
                Some(match org_index.get(&planned.uuid) {
                    Some(&(at, first)) => {
                        if orgs[at] != planned {
                            return Err(Error::invalid(
                                format!("{p}.organization"),
                                format!("differs from services[{first}].organization, which has the same id"),
                            ));
                        }
                        at
                    }
                    None => {
                        org_index.insert(planned.uuid.clone(), (orgs.len(), i));
                        orgs.push(planned);
                        orgs.len() - 1
                    }
                })
            }
            // A group kept by its own contact person goes out without an organization; only
            // such a group already here can come back without one.
            None if existing.as_ref().is_some_and(|g| g.contact_point.is_none()) => None,
            None => {
                return Err(Error::invalid(
                    format!("{p}.organization"),
                    "a group needs its self-help contact point, which receives the requests to join",
                ));
            }
        };
        let keeper = match index {
            Some(at) => Keeper::ContactPoint(orgs[at].existing.unwrap_or(OrgId(0))),
            None => Keeper::Existing(existing.as_ref()),
        };
        let mut record = group(txn, &p, service, keeper, lens)?;
        if let Some(before) = &existing {
            keep_what_the_file_cannot_say(before, &mut record, lens);
        }
        groups.push(PlannedGroup { uuid, existing, org: index, record });
    }
    Ok(Plan { orgs, groups })
}

/// An export leaves out what the file cannot say: a confidential place's address (only its
/// locality goes out) and the time of day the entry was confirmed. When the file still says
/// the same, the stored details stay.
fn keep_what_the_file_cannot_say(before: &GroupRecord, record: &mut GroupRecord, lens: Lens) {
    if let (Some(old), Some(new)) = (&before.place, &record.place)
        && old.confidential
        && new.confidential
        && old.country == new.country
        && old.locality == new.locality
    {
        record.place = before.place.clone();
    }
    let day = |t: Timestamp| t.with_timezone(&lens.zone).date_naive();
    if day(before.last_confirmed) == day(record.last_confirmed) {
        record.last_confirmed = before.last_confirmed;
    }
}

fn within(prefix: &str, e: Error) -> Error {
    match e {
        Error::InvalidInput { field, reason } => Error::invalid(format!("{prefix}.{field}"), reason),
        other => other,
    }
}

fn org(txn: &impl Reader, local: &ids::Local, p: &str, o: &Organization) -> Result<PlannedOrg> {
    let uuid = ids::check(&format!("{p}.id"), &o.id)?;
    let existing = local.find(txn, Kind::Organization, &uuid)?.map(OrgId);
    if let Some(id) = existing {
        input::contact_point(txn, Some(id)).map_err(|e| within(p, e))?;
    }
    if o.attributes.len() > MAX_ATTRIBUTES || o.phones.len() > 1 || o.locations.len() > 1 {
        return Err(Error::invalid(p, "a contact point has at most one phone, one office and 100 attributes"));
    }
    let mut region = None;
    for (j, a) in o.attributes.iter().enumerate() {
        let (taxonomy, code, _) = term(&format!("{p}.attributes[{j}]"), a)?;
        if taxonomy == Some(Taxonomy::Region) {
            region = Some(code);
        }
    }
    let office = o.locations.first();
    let address = office.map(|l| one_address(&format!("{p}.locations[0]"), l)).transpose()?.flatten();
    let region = region
        .or_else(|| address.map(|a| a.state_province.clone()).filter(|s| !s.trim().is_empty()))
        .ok_or_else(|| {
            Error::invalid(
                format!("{p}.attributes"),
                "the contact point's region is missing: a trialog:region attribute or the address's \
                 state_province, as DE-TH",
            )
        })?;
    let mut hours = Vec::new();
    for (j, s) in office.map(|l| l.schedules.as_slice()).unwrap_or_default().iter().enumerate() {
        hours.extend(opening_hours(&format!("{p}.locations[0].schedules[{j}]"), s)?);
    }
    let contact = OrgContactInput {
        street: address.map(|a| a.address_1.clone()).filter(|s| !s.trim().is_empty()),
        postcode: address.map(|a| a.postal_code.clone()),
        country: address.map(|a| a.country.clone()),
        phone: o.phones.first().map(|ph| ph.number.clone()),
        email: o.email.clone(),
        opening_hours: hours,
    };
    let checked = input::org_contact(txn, &contact).map_err(|e| within(p, e))?;
    Ok(PlannedOrg {
        uuid,
        existing,
        name: validate::required_line(&format!("{p}.name"), &o.name, 200)?,
        region: validate::region(&format!("{p}.region"), &region)?,
        website: o.website.as_deref().map(|w| validate::website(&format!("{p}.website"), w)).transpose()?,
        contact,
        parts: ContactParts {
            street: checked.street,
            postcode: checked.postcode,
            country: checked.country,
            phone: checked.phone,
            email: checked.email,
            opening_hours: checked.opening_hours,
        },
    })
}

fn one_address<'a>(p: &str, l: &'a Location) -> Result<Option<&'a Address>> {
    if l.addresses.len() > 1 {
        return Err(Error::invalid(format!("{p}.addresses"), "one address per place"));
    }
    if l.location_type != "physical" && l.location_type != "postal" {
        return Err(Error::invalid(
            format!("{p}.location_type"),
            format!("'{}': only physical or postal places are kept", l.location_type),
        ));
    }
    Ok(l.addresses.first())
}

/// A weekly opening time (one or more days).
fn opening_hours(p: &str, s: &Schedule) -> Result<Vec<OpeningHours>> {
    if s.freq.as_deref() != Some("WEEKLY") || s.interval.is_some_and(|n| n != 1) {
        return Err(Error::invalid(format!("{p}.freq"), "opening hours repeat every week: freq WEEKLY"));
    }
    let days = s.byday.as_deref().ok_or_else(|| Error::invalid(format!("{p}.byday"), "name the days, as MO,TU"))?;
    let opens = time(&format!("{p}.opens_at"), s.opens_at.as_deref())?;
    let closes = time(&format!("{p}.closes_at"), s.closes_at.as_deref())?;
    let rule = schedule::parse_rule(&format!("{p}.byday"), &format!("FREQ=WEEKLY;BYDAY={days}"))?;
    let schedule::Rule::Weekly { days, .. } = rule else { return Ok(vec![]) };
    Ok(days.into_iter().map(|day| OpeningHours { day, opens: opens.clone(), closes: closes.clone() }).collect())
}

/// A local time `HH:MM` (seconds of zero allowed); a UTC offset is refused.
fn time(field: &str, value: Option<&str>) -> Result<String> {
    let v = value.ok_or_else(|| Error::invalid(field, "missing: a local time such as 18:00"))?.trim();
    if v.ends_with('Z') || v.get(5..).is_some_and(|rest| rest.contains(['+', '-'])) {
        return Err(Error::invalid(
            field,
            format!("'{v}' has a UTC offset; give the local time of the platform's zone, such as 18:00"),
        ));
    }
    let v = v.strip_suffix(":00").filter(|s| s.len() == 5).unwrap_or(v);
    schedule::local_time(field, v).map(|t| t.format("%H:%M").to_string())
}

/// The classification an attribute carries: its taxonomy (`None`: another directory's), its
/// code and its value.
fn term(p: &str, a: &Attribute) -> Result<(Option<Taxonomy>, String, Option<String>)> {
    let t = a.taxonomy_term.as_ref().ok_or_else(|| {
        Error::invalid(format!("{p}.taxonomy_term"), "missing: the directory reads the term with the attribute")
    })?;
    let taxonomy = t.taxonomy.as_deref().and_then(Taxonomy::named);
    let code = match taxonomy {
        Some(_) => t.code.clone().ok_or_else(|| Error::invalid(format!("{p}.taxonomy_term.code"), "missing"))?,
        None => t.name.clone(),
    };
    Ok((taxonomy, code, a.value.clone()))
}

/// What the service's attributes say.
#[derive(Default)]
struct Classes {
    topics: Vec<String>,
    keywords: Vec<String>,
    audience: Option<GroupAudience>,
    format: Option<GroupFormat>,
    status: Option<GroupStatus>,
    accessibility: Option<Vec<Accessibility>>,
    notes: Option<String>,
    confidential_in: Option<String>,
}

fn classes(p: &str, attributes: &[Attribute]) -> Result<Classes> {
    if attributes.len() > MAX_ATTRIBUTES {
        return Err(Error::invalid(format!("{p}.attributes"), format!("at most {MAX_ATTRIBUTES}")));
    }
    let mut c = Classes::default();
    for (j, a) in attributes.iter().enumerate() {
        let q = format!("{p}.attributes[{j}]");
        let (taxonomy, code, value) = term(&q, a)?;
        let unknown = |t: Taxonomy| {
            Error::invalid(format!("{q}.taxonomy_term.code"), format!("'{code}' is not one of {}", terms::codes(t)))
        };
        match taxonomy {
            None | Some(Taxonomy::Keyword) => c.keywords.push(code),
            Some(Taxonomy::Topic) => c.topics.push(code),
            Some(Taxonomy::Audience) => {
                c.audience = Some(terms::audience(&code).ok_or_else(|| unknown(Taxonomy::Audience))?)
            }
            Some(Taxonomy::Format) => c.format = Some(terms::format(&code).ok_or_else(|| unknown(Taxonomy::Format))?),
            Some(Taxonomy::Status) => c.status = Some(terms::status(&code).ok_or_else(|| unknown(Taxonomy::Status))?),
            Some(Taxonomy::Accessibility) if code == terms::NOTES => {
                c.accessibility.get_or_insert_with(Vec::new);
                c.notes = value;
            }
            Some(Taxonomy::Accessibility) => {
                let item = terms::accessibility(&code).ok_or_else(|| unknown(Taxonomy::Accessibility))?;
                c.accessibility.get_or_insert_with(Vec::new).push(item);
            }
            Some(Taxonomy::Place) if code == terms::CONFIDENTIAL => {
                c.confidential_in = Some(value.ok_or_else(|| {
                    Error::invalid(format!("{q}.value"), "the country of the confidential place, such as DE")
                })?);
            }
            Some(Taxonomy::Place) => return Err(unknown(Taxonomy::Place)),
            Some(Taxonomy::Region) => {
                return Err(Error::invalid(format!("{q}.taxonomy_term"), "a region belongs to the organization"));
            }
        }
    }
    Ok(c)
}

/// HSDS's service status, when the exact status is not given.
fn status(p: &str, value: &str) -> Result<GroupStatus> {
    match value {
        "active" => Ok(GroupStatus::Active),
        "inactive" | "temporarily closed" => Ok(GroupStatus::Paused),
        "defunct" => Ok(GroupStatus::Ended),
        other => Err(Error::invalid(
            format!("{p}.status"),
            format!("'{other}' is not active, inactive, defunct or temporarily closed"),
        )),
    }
}

fn group(txn: &impl Reader, p: &str, s: &Service, keeper: Keeper<'_>, lens: Lens) -> Result<GroupRecord> {
    let c = classes(p, &s.attributes)?;
    let hsds_status = status(p, &s.status)?;
    let today = lens.now.with_timezone(&lens.zone).date_naive();
    let (place, place_accessibility) = place(txn, p, s, c.confidential_in.as_deref())?;
    let (accessibility, notes) = match c.accessibility {
        Some(list) => (list, c.notes),
        None => place_accessibility,
    };
    if s.languages.len() > MAX_LANGUAGES {
        return Err(Error::invalid(format!("{p}.languages"), format!("at most {MAX_LANGUAGES}")));
    }
    let mut languages = Vec::new();
    for (j, l) in s.languages.iter().enumerate() {
        languages.push(l.code.clone().ok_or_else(|| {
            Error::invalid(format!("{p}.languages[{j}].code"), "missing: an ISO 639-1 code such as de")
        })?);
    }
    input::ages(s.minimum_age, s.maximum_age).map_err(|e| within(p, e))?;
    let format = c.format.unwrap_or(if place.is_some() { GroupFormat::InPerson } else { GroupFormat::Online });
    let record = GroupRecord {
        id: GroupId(0),
        name: input::name(&s.name).map_err(|e| within(p, e))?,
        description: input::description(s.description.as_deref().unwrap_or_default()).map_err(|e| within(p, e))?,
        topics: input::topics(txn, &c.topics).map_err(|e| within(&format!("{p}.attributes"), e))?,
        keywords: input::keywords(&c.keywords).map_err(|e| within(&format!("{p}.attributes"), e))?,
        audience: c.audience.unwrap_or(GroupAudience::Both),
        age_min: s.minimum_age,
        age_max: s.maximum_age,
        languages: input::languages(&languages).map_err(|e| within(p, e))?,
        status: c.status.unwrap_or(hsds_status),
        format,
        // A placeholder until the contact point exists; its id comes in `apply`.
        contact_point: match keeper {
            Keeper::ContactPoint(org) => Some(org),
            Keeper::Existing(_) => None,
        },
        contact: match keeper {
            Keeper::ContactPoint(_) => None,
            Keeper::Existing(before) => before.and_then(|g| g.contact),
        },
        requests_to: match keeper {
            Keeper::ContactPoint(_) => RequestRoute::ContactPoint,
            Keeper::Existing(before) => before.map_or(RequestRoute::ContactPoint, |g| g.requests_to),
        },
        place,
        meetings: meetings(p, &s.schedules, today)?,
        accessibility: input::accessibility(&accessibility),
        accessibility_notes: input::accessibility_notes(notes.as_deref()).map_err(|e| within(p, e))?,
        last_confirmed: assured(p, s.assured_date, lens)?,
        created_at: lens.now,
        updated_at: lens.now,
    };
    input::consistent(&record).map_err(|e| within(p, e))?;
    Ok(record)
}

type PlaceAccessibility = (Vec<Accessibility>, Option<String>);

/// The meeting place: a public location, or a confidential one found by its locality; and the
/// accessibility the location lists (used when the attributes do not say).
fn place(
    txn: &impl Reader,
    p: &str,
    s: &Service,
    confidential_in: Option<&str>,
) -> Result<(Option<GroupPlace>, PlaceAccessibility)> {
    if s.service_at_locations.len() > 1 {
        return Err(Error::invalid(format!("{p}.service_at_locations"), "a group has one meeting place"));
    }
    if let Some(country) = confidential_in {
        if !s.service_at_locations.is_empty() {
            return Err(Error::invalid(
                format!("{p}.service_at_locations"),
                "a confidential place must not be given in the file",
            ));
        }
        let q = format!("{p}.service_areas[0].name");
        let locality = s
            .service_areas
            .first()
            .and_then(|a| a.name.as_deref())
            .ok_or_else(|| Error::invalid(&q, "the locality of the confidential place is missing"))?;
        let found = geo::named(txn, country, locality)
            .map_err(|e| within(p, e))?
            .ok_or_else(|| Error::invalid(&q, format!("'{locality}' is not a place of the {country} gazetteer")))?;
        let input = GroupPlaceInput {
            country: found.country.clone(),
            postcode: found.postcode.clone(),
            venue: None,
            street: None,
            confidential: true,
        };
        return Ok((Some(input::place(txn, &input).map_err(|e| within(p, e))?), (vec![], None)));
    }
    let Some(link) = s.service_at_locations.first() else { return Ok((None, (vec![], None))) };
    let q = format!("{p}.service_at_locations[0].location");
    let location = link.location.as_ref().ok_or_else(|| Error::invalid(&q, "missing: the meeting place"))?;
    let address = one_address(&q, location)?.ok_or_else(|| Error::invalid(format!("{q}.addresses"), "missing"))?;
    let input = GroupPlaceInput {
        country: address.country.clone(),
        postcode: address.postal_code.clone(),
        venue: location.name.clone(),
        street: Some(address.address_1.clone()).filter(|s| !s.trim().is_empty()),
        confidential: false,
    };
    let found = input::place(txn, &input).map_err(|e| within(&q, e))?;
    let mut items = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for entry in &location.accessibility {
        let text = entry.description.as_deref().unwrap_or_default();
        match terms::accessibility(text) {
            Some(a) => items.push(a),
            None if !text.trim().is_empty() => notes.push(text.trim().to_string()),
            None => {}
        }
    }
    Ok((Some(found), (items, Some(notes.join("; ")).filter(|n| !n.is_empty()))))
}

/// The schedules as meetings; errors name the schedule's HSDS fields.
fn meetings(p: &str, schedules: &[Schedule], today: NaiveDate) -> Result<Vec<Meeting>> {
    if schedules.len() > schedule::MAX_MEETINGS {
        return Err(Error::invalid(format!("{p}.schedules"), format!("at most {}", schedule::MAX_MEETINGS)));
    }
    let mut out = Vec::new();
    for (j, s) in schedules.iter().enumerate() {
        let q = format!("{p}.schedules[{j}]");
        let freq =
            s.freq.as_deref().ok_or_else(|| Error::invalid(format!("{q}.freq"), "missing: WEEKLY or MONTHLY"))?;
        let byday =
            s.byday.as_deref().ok_or_else(|| Error::invalid(format!("{q}.byday"), "missing, as TU or 2TU,4TU"))?;
        let input = MeetingInput {
            rule: format!("FREQ={freq};INTERVAL={};BYDAY={byday}", s.interval.unwrap_or(1)),
            starts: time(&format!("{q}.opens_at"), s.opens_at.as_deref())?,
            ends: time(&format!("{q}.closes_at"), s.closes_at.as_deref())?,
            valid_from: s.dtstart.or(s.valid_from),
            valid_until: s.until.or(s.valid_to),
            exceptions: exceptions(&format!("{q}.notes"), s.notes.as_deref())?,
        };
        let mut one = schedule::meetings(std::slice::from_ref(&input), today).map_err(|e| match e {
            Error::InvalidInput { field, reason } => {
                let name = match field.rsplit('.').next().unwrap_or_default() {
                    "rule" => "freq",
                    "starts" => "opens_at",
                    "ends" => "closes_at",
                    "valid_until" => "until",
                    other => other,
                };
                Error::invalid(format!("{q}.{name}"), reason)
            }
            other => other,
        })?;
        out.append(&mut one);
    }
    Ok(out)
}

/// `No meeting on 2026-12-24, 2026-12-31.`
fn exceptions(field: &str, notes: Option<&str>) -> Result<Vec<NaiveDate>> {
    let Some(text) = notes.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(vec![]) };
    let list = text.strip_prefix(EXCEPTIONS_PREFIX).map(|rest| rest.trim_end_matches('.')).ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "the directory reads only the dates a group does not meet: '{EXCEPTIONS_PREFIX}2026-12-24, 2026-12-31.'"
            ),
        )
    })?;
    list.split(',')
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| Error::invalid(field, format!("'{}' is not a date such as 2026-12-24", d.trim())))
        })
        .collect()
}

/// When the entry was last confirmed: the start of the assured date in the platform's zone.
fn assured(p: &str, date: Option<NaiveDate>, lens: Lens) -> Result<Timestamp> {
    let Some(date) = date else { return Ok(lens.now) };
    let start = lens
        .zone
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or(lens.now);
    if start > lens.now {
        return Err(Error::invalid(format!("{p}.assured_date"), format!("{date} is in the future")));
    }
    Ok(start)
}

/// Writes the plan, or only reports it.
pub(crate) fn apply(txn: &WriteTxn, plan: &Plan, dry_run: bool, now: Timestamp) -> Result<HsdsImport> {
    let mut report = HsdsImport {
        dry_run,
        organizations_created: 0,
        organizations_updated: 0,
        services_created: 0,
        services_updated: 0,
        unchanged: 0,
        items: Vec::new(),
    };
    let mut org_ids = Vec::new();
    for o in &plan.orgs {
        let stored = match o.existing {
            Some(id) => records::load_org_contact(txn, id)?,
            None => None,
        };
        let action = match (o.existing, &stored) {
            (None, _) => HsdsAction::Created,
            (Some(_), Some(c)) if same_contact(c, &o.parts) => HsdsAction::Unchanged,
            (Some(_), None) if o.parts == ContactParts::empty() => HsdsAction::Unchanged,
            (Some(_), _) => HsdsAction::Updated,
        };
        let id = if dry_run { o.existing } else { Some(write_org(txn, o, action, now)?) };
        org_ids.push(id);
        count(&mut report, HsdsKind::Organization, action);
        report.items.push(HsdsImportItem {
            kind: HsdsKind::Organization,
            id: o.uuid.clone(),
            name: o.name.clone(),
            action,
            local_id: id.map(|org| org.0),
        });
    }
    for g in &plan.groups {
        let action = match &g.existing {
            None => HsdsAction::Created,
            Some(before) if same_group(before, &g.record, g.org.and_then(|i| org_ids[i])) => HsdsAction::Unchanged,
            Some(_) => HsdsAction::Updated,
        };
        let id = match (&g.existing, dry_run) {
            (Some(before), _) => Some(before.id),
            (None, true) => None,
            (None, false) => Some(GroupId(next_id(txn, "groups")?)),
        };
        if !dry_run && action != HsdsAction::Unchanged {
            write_group(txn, g, id.unwrap_or_default(), g.org.and_then(|i| org_ids[i]), now)?;
        }
        count(&mut report, HsdsKind::Service, action);
        report.items.push(HsdsImportItem {
            kind: HsdsKind::Service,
            id: g.uuid.clone(),
            name: g.record.name.clone(),
            action,
            local_id: id.map(|i| i.0),
        });
    }
    Ok(report)
}

fn count(report: &mut HsdsImport, kind: HsdsKind, action: HsdsAction) {
    let slot = match (kind, action) {
        (_, HsdsAction::Unchanged) => &mut report.unchanged,
        (HsdsKind::Organization, HsdsAction::Created) => &mut report.organizations_created,
        (HsdsKind::Organization, HsdsAction::Updated) => &mut report.organizations_updated,
        (HsdsKind::Service, HsdsAction::Created) => &mut report.services_created,
        (HsdsKind::Service, HsdsAction::Updated) => &mut report.services_updated,
    };
    *slot += 1;
}

impl ContactParts {
    fn empty() -> ContactParts {
        ContactParts { street: None, postcode: None, country: None, phone: None, email: None, opening_hours: vec![] }
    }
}

fn same_contact(c: &OrgContact, parts: &ContactParts) -> bool {
    c.street == parts.street
        && c.postcode == parts.postcode
        && c.country == parts.country
        && c.phone == parts.phone
        && c.email == parts.email
        && c.opening_hours == parts.opening_hours
}

/// Whether the stored group already is what the file says (ids, contact and times aside).
fn same_group(before: &GroupRecord, new: &GroupRecord, org: Option<OrgId>) -> bool {
    let comparable = GroupRecord {
        id: before.id,
        contact_point: org,
        contact: before.contact,
        requests_to: before.requests_to,
        created_at: before.created_at,
        updated_at: before.updated_at,
        ..new.clone()
    };
    comparable == *before
}

/// Creates the contact point (or updates its contact data); returns its id.
fn write_org(txn: &WriteTxn, o: &PlannedOrg, action: HsdsAction, now: Timestamp) -> Result<OrgId> {
    let org = match o.existing {
        Some(id) => orgs::load(txn, id)?,
        None => {
            let new = NewOrganisation {
                name: o.name.clone(),
                kind: OrgKind::SelfHelpContactPoint,
                region: o.region.clone(),
                city: None,
                website: o.website.clone(),
            };
            let org = orgs::insert(txn, &new, now)?;
            records::save_hsds_id(txn, Kind::Organization.code(), &o.uuid, org.id.0)?;
            org
        }
    };
    if action != HsdsAction::Unchanged && o.parts != ContactParts::empty() {
        let contact = input::org_contact(txn, &o.contact)?.into_contact(org.id, org.name.clone(), now);
        records::save_org_contact(txn, &contact)?;
    }
    Ok(org.id)
}

fn write_group(txn: &WriteTxn, g: &PlannedGroup, id: GroupId, org: Option<OrgId>, now: Timestamp) -> Result<()> {
    let mut record = GroupRecord { id, contact_point: org, updated_at: now, ..g.record.clone() };
    if let Some(before) = &g.existing {
        record.created_at = before.created_at;
        record.contact = before.contact;
        if before.requests_to == RequestRoute::GroupContact && before.contact.is_some() {
            record.requests_to = RequestRoute::GroupContact;
        }
    } else {
        records::save_hsds_id(txn, Kind::Service.code(), &g.uuid, id.0)?;
    }
    records::save_group(txn, g.existing.as_ref(), &record)
}
