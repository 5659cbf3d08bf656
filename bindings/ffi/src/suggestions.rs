//! Suggestions between postings and seekers on [`Platform`], and the weights of their score.

use trialog_core::{AccountId, Error, JobId, JobSuggestion, SeekerSuggestion, SuggestionWeights};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Published, unexpired postings that suit the seeker `account`, best first (the seeker and
    /// admins). Each carries its score and a breakdown per criterion (distance, hours, pay,
    /// requirement, recency) with a reason. `limit`: 1 to 200, 20 when absent.
    ///
    /// A profile without working languages, or without a home and not open to remote work,
    /// throws `InvalidInput` naming `languages` or `location`.
    #[uniffi::method(default(limit = None))]
    pub fn suggest_jobs(&self, account: AccountId, limit: Option<u32>) -> Result<Vec<JobSuggestion>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().suggest_for_seeker(actor, account, limit)
        })
    }

    /// Findable seekers who suit posting `job`, best first (the posting's staff once the
    /// organisation is verified, and admins). Seekers who did not opt in are never included.
    #[uniffi::method(default(limit = None))]
    pub fn suggest_seekers(&self, job: JobId, limit: Option<u32>) -> Result<Vec<SeekerSuggestion>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.seekers().suggest_for_job(actor, job, limit)
        })
    }

    /// The weights suggestions are scored with (anyone); the defaults until an admin sets them.
    pub fn suggestion_weights(&self) -> Result<SuggestionWeights, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.settings().suggestion_weights(actor)
        })
    }

    /// Sets the weights of the suggestion score (admins). Each is 0 to 1000, not all 0; a bad
    /// one throws `InvalidInput` with field `weights.<name>`.
    pub fn set_suggestion_weights(&self, weights: SuggestionWeights) -> Result<SuggestionWeights, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.settings().set_suggestion_weights(actor, &weights)
        })
    }

    /// Goes back to the default weights (admins).
    pub fn reset_suggestion_weights(&self) -> Result<SuggestionWeights, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.settings().reset_suggestion_weights(actor)
        })
    }
}
