//! The weights job suggestions are scored with: a platform setting ([`crate::settings`]) that
//! belongs to the job board, so its operations live here.

use super::SuggestionWeights;
use crate::actor::Actor;
use crate::audit;
use crate::error::Result;
use crate::policy::{self, Action};
use crate::settings::{self, Settings};
use crate::store::Reader;

/// The name the suggestion weights are stored under.
const SUGGESTION_WEIGHTS: &str = "suggestion_weights";

impl Settings<'_> {
    /// The weights job suggestions are scored with (anyone: they explain the scores people
    /// see); [`SuggestionWeights::default`] until an admin sets them.
    pub fn suggestion_weights(&self, actor: &Actor) -> Result<SuggestionWeights> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewSettings, now)?;
            suggestion_weights(txn)
        })
    }

    /// Sets the weights of job suggestions (admins); logged with the new values.
    pub fn set_suggestion_weights(&self, actor: &Actor, weights: &SuggestionWeights) -> Result<SuggestionWeights> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeSettings, now)?;
            let weights = weights.validate()?;
            settings::store(txn, SUGGESTION_WEIGHTS, &weights)?;
            let note = format!(
                "distance {}, hours {}, pay {}, requirement {}, recency {}",
                weights.distance, weights.hours, weights.pay, weights.requirement, weights.recency
            );
            audit::append(txn, now, actor, "settings.suggestion_weights", SUGGESTION_WEIGHTS, Some(&note))?;
            Ok(weights)
        })
    }

    /// Forgets the stored weights, so the defaults apply again (admins); logged.
    pub fn reset_suggestion_weights(&self, actor: &Actor) -> Result<SuggestionWeights> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeSettings, now)?;
            settings::forget(txn, SUGGESTION_WEIGHTS)?;
            audit::append(
                txn,
                now,
                actor,
                "settings.suggestion_weights",
                SUGGESTION_WEIGHTS,
                Some("reset to defaults"),
            )?;
            Ok(SuggestionWeights::default())
        })
    }
}

/// The suggestion weights in force inside `txn`.
pub(crate) fn suggestion_weights(txn: &impl Reader) -> Result<SuggestionWeights> {
    settings::load(txn, SUGGESTION_WEIGHTS)
}
