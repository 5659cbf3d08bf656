//! The job board's buckets of a replica (`docs/replicas.md`): the account's saved searches,
//! its seeker profile, and the published postings near it. Each is read through its read
//! operation as the account ([`Alerts::list`], [`Seekers::get`], [`Jobs::search`]), so the
//! same policy decides what reaches the device: no draft, withdrawn, filled or expired
//! posting, no other person's search or profile.
//!
//! "Near" is the place of the seeker profile within its `max_distance_km` (else
//! [`DEFAULT_RADIUS_KM`]); without a place there, the place of the first saved search that has
//! one, within its radius; neither: no postings. At most [`JOBS_NEAR`] postings, nearest first.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::SyncBatch;
use crate::actor::Actor;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::jobs::{
    Alerts, DEFAULT_RADIUS_KM, JobHit, JobId, JobQuery, JobSort, Jobs, LocationInput, SavedSearch, SeekerProfile,
    Seekers,
};
use crate::page::PageRequest;

/// Postings near the account a replica holds at most (nearest first).
pub const JOBS_NEAR: u32 = 100;

/// The account's seeker profile, when it changed (`None` inside: it has none, or no more).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeekerBucket {
    pub profile: Option<SeekerProfile>,
}

/// Postings near the account, when they changed: every one (`replace`), or only the ones
/// whose records changed and are still near (the others changed arrive as `removed_jobs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsNear {
    /// Whether `hits` replaces every posting the replica holds.
    pub replace: bool,
    pub hits: Vec<JobHit>,
}

/// The job buckets of one account, read as it.
pub(super) struct JobBuckets<'a> {
    pub ctx: &'a Context,
    pub actor: &'a Actor,
    pub account: AccountId,
}

impl JobBuckets<'_> {
    /// Every job bucket, for a snapshot.
    pub fn fill(&self, batch: &mut SyncBatch) -> Result<()> {
        let searches = self.saved_searches()?;
        let profile = self.seeker_profile()?;
        let (hits, _) = self.near(profile.as_ref(), &searches)?;
        batch.jobs = Some(JobsNear { replace: true, hits });
        batch.saved_searches = Some(searches);
        batch.seeker = Some(SeekerBucket { profile });
        Ok(())
    }

    /// The buckets that changed: saved searches or the profile (`searches`, `seeker`) are sent
    /// whole, and so are the postings near when the place they are near may have moved, or
    /// when the bound cut them (a posting may have entered without its record changing);
    /// otherwise only the changed postings, as upserts or tombstones.
    pub fn changed(&self, searches: bool, seeker: bool, jobs: &BTreeSet<JobId>, batch: &mut SyncBatch) -> Result<()> {
        if !(searches || seeker || !jobs.is_empty()) {
            return Ok(());
        }
        let saved = self.saved_searches()?;
        let profile = self.seeker_profile()?;
        let (hits, capped) = self.near(profile.as_ref(), &saved)?;
        if searches || seeker || capped {
            batch.jobs = Some(JobsNear { replace: true, hits });
        } else {
            let near: BTreeSet<JobId> = hits.iter().map(|h| h.job.id).collect();
            batch.removed_jobs = jobs.iter().filter(|id| !near.contains(id)).copied().collect();
            let hits = hits.into_iter().filter(|h| jobs.contains(&h.job.id)).collect();
            batch.jobs = Some(JobsNear { replace: false, hits });
        }
        if searches {
            batch.saved_searches = Some(saved);
        }
        if seeker {
            batch.seeker = Some(SeekerBucket { profile });
        }
        Ok(())
    }

    /// The account's saved searches (none when it may not use the job board).
    fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        match (Alerts { ctx: self.ctx }).list(self.actor) {
            Err(Error::PermissionDenied { .. }) => Ok(Vec::new()),
            other => other,
        }
    }

    fn seeker_profile(&self) -> Result<Option<SeekerProfile>> {
        match (Seekers { ctx: self.ctx }).get(self.actor, self.account) {
            Ok(profile) => Ok(Some(profile)),
            Err(Error::NotFound { .. } | Error::PermissionDenied { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// The postings near the account as the job search shows them to it, and whether the
    /// bound cut them.
    fn near(&self, profile: Option<&SeekerProfile>, searches: &[SavedSearch]) -> Result<(Vec<JobHit>, bool)> {
        let Some(query) = near_query(profile, searches) else { return Ok((Vec::new(), false)) };
        match (Jobs { ctx: self.ctx }).search(self.actor, &query, &PageRequest::first(JOBS_NEAR)) {
            Ok(page) => Ok((page.items, page.next_cursor.is_some())),
            Err(Error::PermissionDenied { .. }) => Ok((Vec::new(), false)),
            Err(other) => Err(other),
        }
    }
}

/// The search "near them": the seeker profile's place, else the first saved search's place.
fn near_query(profile: Option<&SeekerProfile>, searches: &[SavedSearch]) -> Option<JobQuery> {
    let from_profile = profile.and_then(|p| {
        let at = p.location.as_ref()?.coordinates()?;
        let near = LocationInput::Coordinates { latitude: at.latitude, longitude: at.longitude, place: None };
        let radius = p.max_distance_km.map_or(DEFAULT_RADIUS_KM, f64::from);
        Some((near, radius, p.open_to_remote))
    });
    let from_search = || {
        searches.iter().find_map(|s| {
            let near = s.query.near.clone().filter(|n| !matches!(n, LocationInput::Remote))?;
            Some((near, s.query.radius_km.unwrap_or(DEFAULT_RADIUS_KM), s.query.include_remote))
        })
    };
    let (near, radius, remote) = from_profile.or_else(from_search)?;
    Some(JobQuery {
        near: Some(near),
        radius_km: Some(radius),
        include_remote: remote,
        sort: Some(JobSort::Distance),
        ..JobQuery::default()
    })
}
