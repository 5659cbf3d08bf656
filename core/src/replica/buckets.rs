//! Reads of the job and knowledge buckets, answered from the replica file (offline too) as the
//! platform's operations of the same names answer them for this account: its saved searches,
//! its seeker profile, the published postings near it, and the published articles in its
//! language (`docs/replicas.md`).

use super::{Replica, records};
use crate::error::{Error, Result};
use crate::jobs::{JobHit, SavedSearch, SeekerProfile};
use crate::knowledge::{ArticleDetail, ArticleId, ArticleSummary};

impl Replica {
    /// The account's saved searches, oldest first, as last synced (`saved_searches`).
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        records::saved_searches(&self.store.read()?)
    }

    /// The account's own seeker profile as last synced (`seeker_profile`); `None` when it has
    /// none.
    pub fn seeker_profile(&self) -> Result<Option<SeekerProfile>> {
        records::seeker_profile(&self.store.read()?)
    }

    /// The published postings near the account (its seeker profile's place, else its first
    /// saved search's), nearest first, remote ones last, as `search_jobs` found them; a
    /// posting whose closing date has passed on this device's clock is left out before the
    /// server says so.
    pub fn jobs_near(&self) -> Result<Vec<JobHit>> {
        let today = self.clock.now().date_naive();
        let mut hits: Vec<JobHit> = records::jobs(&self.store.read()?)?
            .into_iter()
            .filter(|h| h.job.expires_on.is_none_or(|last| last >= today))
            .collect();
        hits.sort_by(|a, b| {
            let far = |h: &JobHit| h.distance_km.unwrap_or(f64::INFINITY);
            far(a).total_cmp(&far(b)).then(a.job.id.cmp(&b.job.id))
        });
        Ok(hits)
    }

    /// One article in the account's language with its HTML (`article`).
    pub fn article(&self, id: ArticleId) -> Result<ArticleDetail> {
        records::article(&self.store.read()?, id)?.ok_or_else(|| Error::not_found("article in the replica", id))
    }

    /// One article by its slug (`article_by_slug`).
    pub fn article_by_slug(&self, slug: &str) -> Result<ArticleDetail> {
        let txn = self.store.read()?;
        let found = match records::article_id(&txn, slug)? {
            Some(id) => records::article(&txn, id)?,
            None => None,
        };
        found.ok_or_else(|| Error::not_found("article in the replica", slug))
    }

    /// The articles held, in the order they were written (`list_articles` in the account's
    /// language), each with the other languages it may be read in.
    pub fn list_articles(&self) -> Result<Vec<ArticleSummary>> {
        Ok(records::articles(&self.store.read()?)?.iter().map(summary_of).collect())
    }
}

/// The listing's summary of an article held in full.
fn summary_of(detail: &ArticleDetail) -> ArticleSummary {
    let others = detail.translations.iter().map(|t| t.language.clone()).collect();
    crate::knowledge::summary(&detail.article, others)
}
