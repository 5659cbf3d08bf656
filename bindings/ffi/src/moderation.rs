//! Moderation on [`Platform`]: a member's report and appeal, the moderators' review queue,
//! claims and actions, the moderation log, appeals, watched words, crisis resources and the
//! trust and rate-limit rules.
//!
//! Two moderators acting on the same item: the second throws `Conflict` (pass the item's
//! `version` you saw). Bad input throws `InvalidInput` naming the field (`detail`, `reason`,
//! `until`, `pattern`, `passage`, `country`); too many posts or reports throw `RateLimited`
//! with `retryAfterSecs`.

use trialog_core::moderation::{
    ActionId, AppealId, AppealPage, ItemDetail, ItemId, LogPage, Report, ReviewItem, ReviewPage,
};
use trialog_core::{
    Appeal, AppealOutcome, CrisisResource, Error, ItemState, LogEntry, ModAction, ModerationSettings, NewReport,
    PageRequest, Target, TextCheck, WatchedWord,
};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Reports a thread, post, profile or job posting (an account). Something that does not
    /// exist or that the actor cannot see throws `NotFound`; `other` needs a `detail`.
    pub fn report(&self, new: NewReport) -> Result<Report, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().report(actor, &new)
        })
    }

    /// Appeals an action that affected the actor, once, with a statement.
    pub fn appeal(&self, action: ActionId, statement: String) -> Result<Appeal, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().appeal(actor, action, &statement)
        })
    }

    /// A page of the review queue: crisis first, then by weighted reports, then oldest
    /// (moderators).
    #[uniffi::method(default(page))]
    pub fn review_queue(&self, state: ItemState, page: PageRequest) -> Result<ReviewPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().queue(actor, state, &page)
        })
    }

    /// One item with its reports and the target's history (moderators).
    pub fn review_item(&self, id: ItemId) -> Result<ItemDetail, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().item(actor, id)
        })
    }

    /// Claims an item at the `version` the moderator saw; throws `Conflict` if it changed.
    pub fn claim_item(&self, id: ItemId, version: u64) -> Result<ReviewItem, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().claim(actor, id, version)
        })
    }

    /// Acts on an item at the `version` the moderator saw and closes it; the affected person
    /// is notified with the reason and how to appeal.
    pub fn act_on_item(&self, id: ItemId, version: u64, action: ModAction, reason: String) -> Result<LogEntry, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().act(actor, id, version, &action, &reason)
        })
    }

    /// The moderation log, newest first, optionally of one target; moderators' accounts only
    /// for moderators.
    #[uniffi::method(default(target = None, page))]
    pub fn moderation_log(&self, target: Option<Target>, page: PageRequest) -> Result<LogPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().log(actor, target, &page)
        })
    }

    /// Open appeals, or decided ones (moderators).
    #[uniffi::method(default(decided = false, page))]
    pub fn appeals(&self, decided: bool, page: PageRequest) -> Result<AppealPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().appeals(actor, decided, &page)
        })
    }

    /// Decides an appeal (not by the moderator who acted); overturning undoes the action.
    pub fn decide_appeal(&self, appeal: AppealId, outcome: AppealOutcome, reason: String) -> Result<Appeal, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().decide_appeal(actor, appeal, outcome, &reason)
        })
    }

    /// Every watched word (moderators).
    pub fn watched_words(&self) -> Result<Vec<WatchedWord>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().words(actor)
        })
    }

    /// Adds a watched word or changes its action (admins).
    pub fn add_watched_word(&self, word: WatchedWord) -> Result<WatchedWord, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().add_word(actor, &word)
        })
    }

    /// Removes a watched word (admins).
    pub fn remove_watched_word(&self, language: String, pattern: String) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().remove_word(actor, &language, &pattern)
        })
    }

    /// What the watched words find in a text, and why (moderators).
    pub fn test_watched_words(&self, text: String, language: String) -> Result<TextCheck, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().test_words(actor, &text, &language)
        })
    }

    /// Every crisis resource, verified or not.
    pub fn crisis_resources(&self) -> Result<Vec<CrisisResource>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().resources(actor)
        })
    }

    /// The verified resources for someone in `country` writing in `language`.
    pub fn crisis_resources_for(&self, country: String, language: String) -> Result<Vec<CrisisResource>, Error> {
        guard(|| {
            let (core, _) = self.parts();
            core.moderation().resources_for(&country, &language)
        })
    }

    /// Adds or replaces a crisis resource (admins).
    pub fn set_crisis_resource(&self, resource: CrisisResource) -> Result<CrisisResource, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().set_resource(actor, &resource)
        })
    }

    /// The trust and rate-limit rules in force.
    pub fn moderation_settings(&self) -> Result<ModerationSettings, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().settings(actor)
        })
    }

    /// Changes the trust and rate-limit rules (admins).
    pub fn set_moderation_settings(&self, settings: ModerationSettings) -> Result<ModerationSettings, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.moderation().set_settings(actor, &settings)
        })
    }
}
