//! The stored watched words, crisis resources and trust settings, and the compiled word list
//! the platform keeps in memory until the words change.

use std::sync::Arc;

use crate::store::WriteTxn;

use super::model::ModerationSettings;
use super::resources::{CrisisResource, resources_for};
use super::words::{TextCheck, WatchedWord, WordAction, WordList};
use super::{Moderation, country_of, records};
use crate::actor::Actor;
use crate::audit;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::{AccountId, BoardId};
use crate::policy::{self, Action};
use crate::store::Ahead;
use crate::store::Reader;
use crate::store::tables::{bump_version, version, version_ahead};

/// The name the moderation settings are stored under among the platform settings.
const SETTINGS_NAME: &str = "moderation";
/// The version counter that changes whenever the watched words do (the cache's key).
const WORDS_VERSION: &str = "mod_words_version";

impl Moderation<'_> {
    /// Every watched word, by language then pattern (moderators and admins).
    pub fn words(&self, actor: &Actor) -> Result<Vec<WatchedWord>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::Moderate, now)?;
            stored_words(txn)
        })
    }

    /// Adds a watched word, or changes the action of one already listed (admins and the
    /// operator); a malformed pattern is `InvalidInput` naming `pattern`.
    pub fn add_word(&self, actor: &Actor, word: &WatchedWord) -> Result<WatchedWord> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageSafetyLists, now)?;
            let word = word.validated()?;
            records::put_word(txn, &word.language, &word.pattern, word.action as u8)?;
            bump_version(txn, WORDS_VERSION)?;
            let note = format!("{} ({})", word.pattern, word.action);
            audit::append(txn, now, actor, "moderation.words.add", &format!("words:{}", word.language), Some(&note))?;
            Ok(word)
        })
    }

    /// Removes a watched word (admins and the operator); `NotFound` if it is not listed.
    pub fn remove_word(&self, actor: &Actor, language: &str, pattern: &str) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageSafetyLists, now)?;
            let word = WatchedWord::new(language, pattern, WordAction::Flag).validated()?;
            let removed = records::remove_word(txn, &word.language, &word.pattern)?;
            if !removed {
                return Err(Error::not_found("watched word", format!("{} ({})", word.pattern, word.language)));
            }
            bump_version(txn, WORDS_VERSION)?;
            audit::append(
                txn,
                now,
                actor,
                "moderation.words.remove",
                &format!("words:{}", word.language),
                Some(&word.pattern),
            )?;
            Ok(())
        })
    }

    /// What the stored watched words find in `text` written in `language`, and why
    /// (moderators and admins: `trialog mod words test`).
    pub fn test_words(&self, actor: &Actor, text: &str, language: &str) -> Result<TextCheck> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::Moderate, now)?;
            Ok(word_list(self.ctx, txn)?.check(text, language))
        })
    }

    /// Checks a text against the stored watched words, for other parts of the platform and
    /// hosts (counselling triage): no actor, nothing stored, nothing logged.
    pub fn check_text(&self, text: &str, language: &str) -> Result<TextCheck> {
        let txn = self.ctx.store().read()?;
        Ok(word_list(self.ctx, &txn)?.check(text, language))
    }

    /// Every crisis resource, verified or not (anyone: they are public help).
    pub fn resources(&self, actor: &Actor) -> Result<Vec<CrisisResource>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ReadModerationLog, now)?;
            stored_resources(txn)
        })
    }

    /// Every verified resource (anyone: public help), for the crisis check on a device.
    pub fn verified_resources(&self) -> Result<Vec<CrisisResource>> {
        let txn = self.ctx.store().read()?;
        Ok(stored_resources(&txn)?.into_iter().filter(|r| r.verified).collect())
    }

    /// The verified resources to show someone in `country` writing in `language` (anyone).
    pub fn resources_for(&self, country: &str, language: &str) -> Result<Vec<CrisisResource>> {
        let txn = self.ctx.store().read()?;
        Ok(resources_for(&stored_resources(&txn)?, country, language))
    }

    /// Adds or replaces a crisis resource, keyed by country and name (admins and the operator).
    pub fn set_resource(&self, actor: &Actor, resource: &CrisisResource) -> Result<CrisisResource> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageSafetyLists, now)?;
            let resource = resource.validated()?;
            records::put_resources(txn, [&resource])?;
            let target = format!("resources:{}", resource.country);
            audit::append(txn, now, actor, "moderation.resources.set", &target, Some(&resource.name))?;
            Ok(resource)
        })
    }

    /// Removes a crisis resource (admins and the operator).
    pub fn remove_resource(&self, actor: &Actor, country: &str, name: &str) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageSafetyLists, now)?;
            let country = country.trim().to_ascii_uppercase();
            let removed = records::remove_resource(txn, &country, name.trim())?;
            if !removed {
                return Err(Error::not_found("crisis resource", format!("{name} ({country})")));
            }
            audit::append(txn, now, actor, "moderation.resources.remove", &format!("resources:{country}"), Some(name))?;
            Ok(())
        })
    }

    /// The trust and rate-limit rules in force (anyone: the rules are public).
    pub fn settings(&self, actor: &Actor) -> Result<ModerationSettings> {
        self.ctx.read(actor, |txn, _, _| settings(txn))
    }

    /// Changes the trust and rate-limit rules (admins and the operator); logged.
    pub fn set_settings(&self, actor: &Actor, value: &ModerationSettings) -> Result<ModerationSettings> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeSettings, now)?;
            if value.rate_limits && (value.first_day_threads == 0 || value.first_day_replies == 0) {
                return Err(Error::invalid("first_day_threads", "a limit of 0 would stop new accounts from posting"));
            }
            records::put_settings(txn, SETTINGS_NAME, value)?;
            let note = format!("trust {} posts, rate limits {}", value.trust_posts, value.rate_limits);
            audit::append(txn, now, actor, "settings.moderation", SETTINGS_NAME, Some(&note))?;
            Ok(value.clone())
        })
    }
}

/// Fills the crisis resources with the defaults (new files and the migration to version 7).
/// No watched words are seeded: the built-in crisis detector ([`super::crisis`]) checks every
/// text; files seeded before it keep the crisis words they were given until an operator
/// removes them (they still match, at level `high`).
pub(crate) fn seed_defaults(txn: &WriteTxn) -> Result<()> {
    records::create_words(txn)?;
    records::put_resources(txn, &CrisisResource::defaults())
}

pub(crate) fn settings(txn: &impl Reader) -> Result<ModerationSettings> {
    Ok(records::settings(txn, SETTINGS_NAME)?.unwrap_or_default())
}

fn stored_words(txn: &impl Reader) -> Result<Vec<WatchedWord>> {
    let mut words = Vec::new();
    for (language, pattern, action) in records::words(txn)? {
        let action = WordAction::ALL
            .get(usize::from(action))
            .copied()
            .ok_or_else(|| Error::storage(format!("watched word '{pattern}' has an unknown action")))?;
        words.push(WatchedWord::new(&language, &pattern, action));
    }
    Ok(words)
}

pub(crate) fn stored_resources(txn: &impl Reader) -> Result<Vec<CrisisResource>> {
    records::resources(txn)
}

/// The resources for a writer with this home region, writing in `language`.
pub(crate) fn resources_for_writer(
    txn: &impl Reader,
    home_region: Option<&str>,
    language: &str,
) -> Result<Vec<CrisisResource>> {
    Ok(resources_for(&stored_resources(txn)?, &country_of(home_region, language), language))
}

/// The compiled watched words: from the platform's cache while the stored words have not
/// changed, compiled afresh (and cached) when they have.
/// `ahead` with the rows screening a post by `author` in `board` reads ([`super::screen`]): the
/// watched words' version, the settings, the notes of the author's recent writes (the rate
/// limits) and the author's standing on the board.
pub(crate) fn screen_ahead(ahead: Ahead, author: AccountId, board: BoardId) -> Ahead {
    let ahead = version_ahead(ahead, WORDS_VERSION);
    let ahead = records::rates_ahead(records::settings_ahead(ahead, SETTINGS_NAME), author);
    records::trust_ahead(ahead, author, board)
}

pub(crate) fn word_list(ctx: &Context, txn: &impl Reader) -> Result<Arc<WordList>> {
    let version = version(txn, WORDS_VERSION)?;
    ctx.word_cache().get(version, || WordList::compile(&stored_words(txn)?))
}
