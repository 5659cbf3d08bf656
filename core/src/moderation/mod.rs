//! Moderation and safety: reports and the review queue, moderators' actions with their log,
//! appeals, watched words with crisis signposting, new-account pre-moderation and rate limits.
//!
//! The text checker — watched words ([`words`]) and crisis resources ([`resources`]) — stands
//! on its own, without the forums, so that every place people write (forum posts, counselling
//! enquiries) is checked the same way ([`Moderation::check_text`]). The forums call the
//! platform's own check (`screen`) for every thread, reply and edit.
//!
//! ```
//! use trialog_core::forums::{Audience, ModerationMode, NewBoard, NewThread};
//! use trialog_core::moderation::{ItemState, ModAction};
//! use trialog_core::{Actor, NewAccount, PageRequest, Platform, Role};
//! let platform = Platform::in_memory()?;
//! let board = platform.forums().create_board(&Actor::Operator, &NewBoard {
//!     slug: "austausch".into(), title: "Austausch".into(), description: String::new(),
//!     language: "de".into(), position: None, audience: Audience::Members, moderation: ModerationMode::PreModerated,
//! })?;
//! let kim = platform.accounts().create(&Actor::Anonymous, &NewAccount { pseudonym: "Kim".into(), ..Default::default() })?;
//! let posted = platform.forums().create_thread(&Actor::account(kim.id), &NewThread {
//!     board: board.id, title: "Heute".into(), body: "Ich will nicht mehr leben.".into(), tags: vec![], anonymous: true,
//! })?;
//! assert!(posted.held.is_some());                                   // the board holds it
//! assert_eq!(posted.signposts[0].title, "TelefonSeelsorge");        // help at once
//! let queue = platform.moderation().queue(&Actor::Operator, ItemState::Pending, &PageRequest::default())?;
//! assert!(queue.items[0].crisis);                                   // top of the queue
//! let item = &queue.items[0];
//! platform.moderation().act(&Actor::Operator, item.id, item.version, &ModAction::Approve, "")?;
//! # Ok::<(), trialog_core::Error>(())
//! ```

mod actions;
mod appeals;
pub mod crisis;
pub(crate) mod figures;
mod items;
pub(crate) mod lists;
mod model;
mod records;
pub mod resources;
pub(crate) mod screen;
mod seam;
pub(crate) mod tables;
pub mod words;

pub use actions::HOW_TO_APPEAL;
pub use crisis::{CrisisCategory, CrisisFinding, CrisisLevel};
pub use items::CRISIS_PRIORITY;
pub use model::{
    ActionId, ActionKind, Appeal, AppealId, AppealOutcome, AppealPage, AutoFlag, ItemDetail, ItemId, ItemState,
    LogEntry, LogPage, ModAction, ModerationSettings, NewReport, Report, ReportReason, ReviewItem, ReviewPage, Target,
};
pub use resources::{CrisisResource, EVERYWHERE, country_of, resources_for};
pub use words::{ANY_LANGUAGE, MAX_PATTERN, TextCheck, WatchedWord, WordAction, WordList, WordMatch};

pub(crate) use lists::seed_defaults;
pub(crate) use records::check_integrity;
pub(crate) use seam::ForumSeam;

use crate::context::Context;

/// Moderation operations, borrowed from a [`crate::Platform`].
pub struct Moderation<'p> {
    pub(crate) ctx: &'p Context,
}

/// Registration of the moderation domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "moderation",
    tick: crate::store::Domain::nothing_due,
    personal: Some(records::personal::PERSONAL),
    tables: tables::TABLES,
    migrate: |txn, migration| {
        // Version 7 brought moderation with its default watched words and crisis resources.
        if migration.new_or_predates(7) {
            seed_defaults(txn)?;
        }
        // Version 25 sealed the reporters' words under their keys.
        if migration.predates(25) {
            records::seal_reports_v25(txn)?;
        }
        // Version 26 sealed the appellants' statements under their keys.
        if migration.predates(26) {
            records::seal_appeals_v26(txn)?;
        }
        // Version 28 keeps the report counters beside the log.
        if migration.predates(28) {
            records::counters::count_log_v28(txn)?;
        }
        // Version 32 sealed the summaries and snapshots of items about forum content under
        // the content's author.
        if migration.predates(32) {
            records::seal_items_v32(txn, |item| crate::forums::sanction::author_of(txn, item.target))?;
        }
        Ok(())
    },
    check: |txn, found| {
        check_integrity(txn, &mut found.problems)?;
        records::counters::check(txn, &mut found.problems)
    },
    figures: Some(figures::gather),
};
