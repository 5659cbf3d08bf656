//! Organisations: clinics, municipalities, associations, self-help contact points, training
//! providers and employers. Anyone signed in may register one (and becomes its staff); an
//! admin verifies it.

use crate::model::organisation as model;
mod records;
pub(crate) mod tables;

use crate::store::WriteTxn;

pub use model::{NewOrganisation, OrgId, OrgKind, Organisation, OrganisationFilter, OrganisationUpdate};

use crate::accounts::{self, Role};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::Result;
use crate::inbox::{self, Event};
use crate::page::{OrganisationPage, PageRequest};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};
use crate::validate;

const MAX_NAME: usize = 200;
const MAX_CITY: usize = 100;

/// Organisation operations, borrowed from a [`crate::Platform`].
pub struct Organisations<'p> {
    pub(crate) ctx: &'p Context,
}

impl Organisations<'_> {
    /// Registers an organisation, unverified. When a member registers it, they become its staff.
    pub fn create(&self, actor: &Actor, new: &NewOrganisation) -> Result<Organisation> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::RegisterOrganisation, now)?;
            let org = insert(txn, new, now)?;
            if let Subject::Member(me) = subject
                && !me.has_role(&Role::Admin)
            {
                accounts::add_role(txn, me.id, Role::EmployerStaff { org: org.id }, now)?;
            }
            audit::append(txn, now, actor, "org.create", &target(org.id), Some(&org.name))?;
            Ok(org)
        })
    }

    /// One organisation (public).
    pub fn get(&self, actor: &Actor, id: OrgId) -> Result<Organisation> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewOrganisations, now)?;
            load(txn, id)
        })
    }

    /// Organisations in id order, filtered, one page at a time (public).
    pub fn list(&self, actor: &Actor, filter: &OrganisationFilter, page: &PageRequest) -> Result<OrganisationPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewOrganisations, now)?;
            let limit = page.limit()?;
            let start = OrgId(page.first_id()?);
            let region = filter.region.as_deref().map(|r| validate::region("region", r)).transpose()?;
            let needle = filter.name_contains.as_deref().map(str::to_lowercase);
            let mut items: Vec<Organisation> = Vec::new();
            let mut more = false;
            records::scan(txn, start, |org| {
                if !matches(&org, filter, region.as_deref(), needle.as_deref()) {
                    return Ok(true);
                }
                if items.len() == limit {
                    more = true;
                    return Ok(false);
                }
                items.push(org);
                Ok(true)
            })?;
            let last = if more { items.last().map(|o| o.id.0) } else { None };
            Ok(OrganisationPage::new(items, last))
        })
    }

    /// Changes an organisation's details (its staff or an admin).
    ///
    /// Verification vouches for a name, a kind and a region: when staff change any of them,
    /// the organisation loses its verification until an admin checks it again (audited, and
    /// every staff member is told). Admins' own changes keep it.
    pub fn update(&self, actor: &Actor, id: OrgId, change: &OrganisationUpdate) -> Result<Organisation> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::EditOrganisation { org: id }, now)?;
            let before = load(txn, id)?;
            let mut org = before.clone();
            apply(&mut org, change)?;
            org.updated_at = now;
            let vouched_changed = org.name != before.name || org.kind != before.kind || org.region != before.region;
            let by_admin = policy::allows(subject, Action::VerifyOrganisation, now);
            let unverify = before.verified && vouched_changed && !by_admin;
            if unverify {
                org.verified = false;
                org.verified_at = None;
            }
            records::save(txn, &org)?;
            audit::append(txn, now, actor, "org.update", &target(id), None)?;
            if unverify {
                audit::append(txn, now, actor, "org.unverify", &target(id), Some(REVERIFY))?;
                tell_staff(txn, &org, now)?;
            }
            Ok(org)
        })
    }

    /// Marks an organisation verified, or withdraws the verification (admins only).
    pub fn verify(&self, actor: &Actor, id: OrgId, verified: bool, reason: Option<&str>) -> Result<Organisation> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::VerifyOrganisation, now)?;
            let reason = validate::optional_line("reason", reason, 500)?;
            let mut org = load(txn, id)?;
            if org.verified == verified {
                return Ok(org);
            }
            org.verified = verified;
            org.verified_at = verified.then_some(now);
            org.updated_at = now;
            records::save(txn, &org)?;
            let action = if verified { "org.verify" } else { "org.unverify" };
            audit::append(txn, now, actor, action, &target(id), reason.as_deref())?;
            Ok(org)
        })
    }
}

/// Why a staff change of name, kind or region withdrew the verification.
const REVERIFY: &str = "name, kind or region changed by staff; an admin verifies the organisation again";

/// Tells every staff member of `org` that it lost its verification.
fn tell_staff(txn: &WriteTxn, org: &Organisation, now: Timestamp) -> Result<()> {
    let event = |_| Event::OrganisationUnverified { org: org.id, name: org.name.clone(), reason: REVERIFY.into() };
    let staff = accounts::holders_of(txn, Role::EmployerStaff { org: org.id })?;
    inbox::deliver_all(txn, staff.into_iter().map(|id| (id, event(id))).collect(), now)
}

/// Loads an organisation inside any transaction.
/// Checks and stores a new, unverified organisation (for [`Organisations::create`] and the
/// directory's import of contact points); the caller checks the policy and audits.
pub(crate) fn insert(txn: &WriteTxn, new: &NewOrganisation, now: Timestamp) -> Result<Organisation> {
    let org = Organisation {
        id: OrgId(next_id(txn, "orgs")?),
        name: validate::required_line("name", &new.name, MAX_NAME)?,
        kind: new.kind,
        region: validate::region("region", &new.region)?,
        city: validate::optional_line("city", new.city.as_deref(), MAX_CITY)?,
        website: new
            .website
            .as_deref()
            .filter(|w| !w.trim().is_empty())
            .map(|w| validate::website("website", w))
            .transpose()?,
        verified: false,
        verified_at: None,
        created_at: now,
        updated_at: now,
    };
    records::save(txn, &org)?;
    Ok(org)
}

pub(crate) fn load(txn: &impl Reader, id: OrgId) -> Result<Organisation> {
    records::load(txn, id)
}

/// `NotFound` unless the organisation exists (for roles bound to an organisation).
pub(crate) fn require_exists(txn: &impl Reader, id: OrgId) -> Result<()> {
    load(txn, id).map(|_| ())
}

fn apply(org: &mut Organisation, change: &OrganisationUpdate) -> Result<()> {
    if let Some(name) = &change.name {
        org.name = validate::required_line("name", name, MAX_NAME)?;
    }
    if let Some(kind) = change.kind {
        org.kind = kind;
    }
    if let Some(region) = &change.region {
        org.region = validate::region("region", region)?;
    }
    if let Some(city) = &change.city {
        org.city = validate::optional_line("city", Some(city), MAX_CITY)?;
    }
    if let Some(site) = &change.website {
        org.website = (!site.trim().is_empty()).then(|| validate::website("website", site)).transpose()?;
    }
    Ok(())
}

fn matches(org: &Organisation, filter: &OrganisationFilter, region: Option<&str>, needle: Option<&str>) -> bool {
    filter.kind.is_none_or(|k| org.kind == k)
        && filter.verified.is_none_or(|v| org.verified == v)
        && region.is_none_or(|r| org.region == r || org.region.starts_with(&format!("{r}-")))
        && needle.is_none_or(|n| org.name.to_lowercase().contains(n))
}

fn target(id: OrgId) -> String {
    format!("org:{id}")
}

/// Registration of the orgs domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "orgs",
    tick: crate::store::Domain::nothing_due,
    personal: None,
    tables: tables::TABLES,
    migrate: |txn, migration| if migration.predates(12) { records::compact_records_v12(txn) } else { Ok(()) },
    check: |txn, found| {
        let n = records::check_integrity(txn, &mut found.problems)?;
        found.count("organisations", n);
        Ok(())
    },
    figures: None,
};
