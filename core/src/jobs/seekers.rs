//! Seeker profiles: what a person looks for. Private by default; verified employers see a
//! profile only after its owner opts in to be findable.

use serde::{Deserialize, Serialize};

use super::model::{Contract, ExInStatus, Hours, Location, LocationInput};
use super::query::MinPay;
use super::records;
use super::{resolve_location, validate_currency, validate_hours};
use crate::accounts::{self, AccountId, Role};
use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates};
use crate::orgs;
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::store::{Reader, WriteTxn};
use crate::validate;

/// The longest distance a seeker may say they would travel.
const MAX_TRAVEL_KM: u32 = 1000;

/// What a person looks for on the job board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeekerProfile {
    pub account: AccountId,
    /// The account's pseudonym, for employers' lists.
    pub pseudonym: String,
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default)]
    pub max_distance_km: Option<u32>,
    #[serde(default)]
    pub hours: Option<Hours>,
    /// Wanted contract types; any when empty.
    #[serde(default)]
    pub contracts: Vec<Contract>,
    #[serde(default)]
    pub exin: ExInStatus,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub open_to_remote: bool,
    /// Whether staff of verified employers may find and see this profile. Off by default.
    #[serde(default)]
    pub findable: bool,
    pub updated_at: Timestamp,
    /// The least pay wanted (compared with the upper end of a posting's range); scores job
    /// suggestions, filters nothing.
    #[serde(default)]
    pub min_pay: Option<MinPay>,
}

/// A seeker profile as its owner enters it; replaces the whole profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeekerProfileInput {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub location: Option<LocationInput>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub max_distance_km: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub hours: Option<Hours>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub contracts: Vec<Contract>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub exin: Option<ExInStatus>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub languages: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub open_to_remote: bool,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub findable: bool,
    /// The least pay wanted, per hour, month or year; counts in job suggestions.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub min_pay: Option<MinPay>,
}

/// Narrows the list of findable seekers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeekerFilter {
    /// Seekers who would travel to this place (within their own maximum distance).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub near: Option<LocationInput>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub exin: Option<ExInStatus>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
}

/// A page of seeker profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeekerPage {
    pub items: Vec<SeekerProfile>,
    pub next_cursor: Option<String>,
}

/// Seeker profile operations, borrowed from a [`crate::Platform`].
pub struct Seekers<'p> {
    pub(crate) ctx: &'p Context,
}

impl Seekers<'_> {
    /// Sets (replaces) the seeker profile of `account` (its owner or an admin).
    pub fn set(&self, actor: &Actor, account: AccountId, input: &SeekerProfileInput) -> Result<SeekerProfile> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::EditSeekerProfile { account }, now)?;
            let owner = accounts::load(txn, account)?;
            let profile = SeekerProfile {
                account,
                pseudonym: owner.pseudonym,
                location: input.location.as_ref().map(|l| resolve_location(txn, l)).transpose()?,
                max_distance_km: input.max_distance_km.map(travel).transpose()?,
                hours: input.hours.map(|h| validate_hours("hours", h)).transpose()?,
                contracts: dedup(&input.contracts),
                exin: input.exin.unwrap_or_default(),
                languages: validate::languages("languages", &input.languages)?,
                open_to_remote: input.open_to_remote,
                findable: input.findable,
                updated_at: now,
                min_pay: input.min_pay.as_ref().map(wanted_pay).transpose()?,
            };
            if matches!(profile.location, Some(Location::Remote)) {
                return Err(Error::invalid(
                    "location",
                    "is where you live or would work from; use open_to_remote for remote work",
                ));
            }
            records::seekers::save_profile(txn, account, &profile)?;
            Ok(profile)
        })
    }

    /// The seeker profile of `account`: its owner, admins, and — once the seeker opted in —
    /// staff of verified employers.
    ///
    /// A profile the actor may not see and a profile that does not exist give the same
    /// `NotFound`, so nobody can list who is looking for work by probing account ids. Actors
    /// who may see no profile at all are told so, whoever they ask about.
    pub fn get(&self, actor: &Actor, account: AccountId) -> Result<SeekerProfile> {
        self.ctx.read(actor, |txn, subject, now| {
            let employer = is_verified_employer(txn, subject)?;
            policy::check(subject, Action::ViewSeekerProfile { owner: account, findable: true, employer }, now)?;
            let hidden = || Error::not_found("seeker profile", account);
            let profile = find(txn, account)?.ok_or_else(hidden)?;
            let action = Action::ViewSeekerProfile { owner: account, findable: profile.findable, employer };
            policy::check(subject, action, now).map_err(|_| hidden())?;
            Ok(profile)
        })
    }

    /// Findable seekers, in account order (staff of verified employers and admins).
    pub fn list_findable(&self, actor: &Actor, filter: &SeekerFilter, page: &PageRequest) -> Result<SeekerPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let employer = is_verified_employer(txn, subject)?;
            policy::check(subject, Action::ViewSeekerProfile { owner: AccountId(0), findable: true, employer }, now)?;
            let limit = page.limit()?;
            let start = AccountId(page.first_id()?);
            let place = filter.near.as_ref().map(|l| super::matcher::resolve_center(txn, l)).transpose()?;
            let language =
                filter.language.as_deref().map(|l| validate::languages("language", &[l.to_string()])).transpose()?;
            let mut items: Vec<SeekerProfile> = Vec::new();
            let mut more = false;
            records::seekers::visit_findable(txn, start, |profile| {
                if !reaches(&profile, place) {
                    return Ok(true);
                }
                if filter.exin.is_some_and(|e| profile.exin != e)
                    || language.as_ref().is_some_and(|l| !profile.languages.contains(&l[0]))
                {
                    return Ok(true);
                }
                if items.len() == limit {
                    more = true;
                    return Ok(false);
                }
                items.push(profile);
                Ok(true)
            })?;
            let next_cursor = if more { items.last().map(|p| cursor_for(p.account.0)) } else { None };
            Ok(SeekerPage { items, next_cursor })
        })
    }
}

/// Sets the EX-IN status on `account`'s seeker profile, creating a private (not findable)
/// profile when there is none. For programmes, after the person consented to it.
pub(crate) fn record_exin(
    txn: &WriteTxn,
    account: AccountId,
    exin: ExInStatus,
    now: Timestamp,
) -> Result<SeekerProfile> {
    let mut profile = match find(txn, account)? {
        Some(profile) => profile,
        None => SeekerProfile {
            account,
            pseudonym: accounts::load(txn, account)?.pseudonym,
            location: None,
            max_distance_km: None,
            hours: None,
            contracts: Vec::new(),
            exin,
            languages: Vec::new(),
            open_to_remote: false,
            findable: false,
            updated_at: now,
            min_pay: None,
        },
    };
    profile.exin = exin;
    profile.updated_at = now;
    records::seekers::save_profile(txn, account, &profile)?;
    Ok(profile)
}

/// Loads a seeker profile.
pub(crate) fn load(txn: &impl Reader, account: AccountId) -> Result<SeekerProfile> {
    find(txn, account)?.ok_or_else(|| Error::not_found("seeker profile", account))
}

/// The seeker profile of `account`, if there is one.
fn find(txn: &impl Reader, account: AccountId) -> Result<Option<SeekerProfile>> {
    records::seekers::profile(txn, account)
}

/// Whether `subject` is staff of at least one verified organisation.
fn is_verified_employer(txn: &impl Reader, subject: &Subject) -> Result<bool> {
    let Subject::Member(me) = subject else { return Ok(false) };
    for role in &me.roles {
        if let Role::EmployerStaff { org } = role
            && orgs::load(txn, *org)?.verified
        {
            return Ok(true);
        }
    }
    Ok(false)
}

fn reaches(profile: &SeekerProfile, place: Option<Coordinates>) -> bool {
    let Some(place) = place else { return true };
    match (profile.location.as_ref().and_then(Location::coordinates), profile.max_distance_km) {
        (Some(home), Some(max)) => geo::distance_km(home, place) <= f64::from(max),
        (Some(_), None) => true,
        (None, _) => profile.open_to_remote,
    }
}

fn wanted_pay(pay: &MinPay) -> Result<MinPay> {
    if !pay.amount.is_finite() || pay.amount <= 0.0 {
        return Err(Error::invalid("min_pay.amount", format!("{} is not an amount above 0", pay.amount)));
    }
    Ok(MinPay { amount: pay.amount, unit: pay.unit, currency: validate_currency("min_pay.currency", &pay.currency)? })
}

fn travel(km: u32) -> Result<u32> {
    if km == 0 || km > MAX_TRAVEL_KM {
        return Err(Error::invalid("max_distance_km", format!("{km} is not between 1 and {MAX_TRAVEL_KM} km")));
    }
    Ok(km)
}

fn dedup(contracts: &[Contract]) -> Vec<Contract> {
    let mut out: Vec<Contract> = Vec::new();
    for c in contracts {
        if !out.contains(c) {
            out.push(*c);
        }
    }
    out
}
