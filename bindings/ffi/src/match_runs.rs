//! Stored match runs on [`Platform`]: solve and store, list, show, accept and decline pairs.

use trialog_core::{Error, MatchRun, MatchRunFilter, MatchRunPage, PageRequest, RunId, RunInput};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Solves `input` for `cohort` and stores the run (supervisors and admins). Pairs declined
    /// in the cohort's earlier runs are not allowed and are listed under `excluded`.
    pub fn run_matching(&self, cohort: String, input: RunInput) -> Result<MatchRun, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.match_runs().run(actor, &cohort, &input)
        })
    }

    /// Runs newest first, optionally of one cohort; pass `nextCursor` back for the next page.
    #[uniffi::method(default(filter), default(page))]
    pub fn match_runs(&self, filter: MatchRunFilter, page: PageRequest) -> Result<MatchRunPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.match_runs().list(actor, &filter, &page)
        })
    }

    /// One run with its input, result and the decisions on its pairs.
    pub fn match_run(&self, id: RunId) -> Result<MatchRun, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.match_runs().get(actor, id)
        })
    }

    /// Confirms the pair proposed for `person` in run `id`. Decisions are final (`Conflict`).
    #[uniffi::method(default(reason = None))]
    pub fn accept_pair(&self, id: RunId, person: String, reason: Option<String>) -> Result<MatchRun, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.match_runs().accept(actor, id, &person, reason.as_deref())
        })
    }

    /// Turns down the pair proposed for `person` in run `id`; the cohort's later runs will not
    /// propose it again.
    #[uniffi::method(default(reason = None))]
    pub fn decline_pair(&self, id: RunId, person: String, reason: Option<String>) -> Result<MatchRun, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.match_runs().decline(actor, id, &person, reason.as_deref())
        })
    }
}
