//! The knowledge base's bucket of a replica (`docs/replicas.md`): the published articles in
//! the account's language (its first), each as [`Knowledge::get`] shows it to the account
//! (its HTML and the other language versions it may read). Listed through
//! [`Knowledge::list`] as the account, so the same policy decides: no draft, article in
//! review or archived one, nothing of an audience the account is not in. An article that
//! leaves (archived, back to draft, out of its audience) arrives as a tombstone.
//!
//! An account without a language holds no articles: "its language" is what decides which
//! version of an article a phone keeps, and keeping every version would multiply the file.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Handshake, SyncBatch};
use crate::accounts::Accounts;
use crate::actor::Actor;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::knowledge::{ArticleDetail, ArticleFilter, ArticleId, ArticleState, Knowledge};
use crate::page::{MAX_PAGE_SIZE, PageRequest};

/// Articles a snapshot holds at most (the first written first); later changes add to them.
pub const ARTICLES: usize = 1_000;

/// The knowledge bucket replaced whole, and the language its articles are in (`None`: the
/// account has none, so the bucket is empty). The device sends the language back with each
/// incremental sync (`language`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeBucket {
    pub language: Option<String>,
}

/// The knowledge bucket of one account, read as it.
pub(super) struct ArticleBucket<'a> {
    pub ctx: &'a Context,
    pub actor: &'a Actor,
    pub account: AccountId,
}

impl ArticleBucket<'_> {
    /// Every article of the bucket in `language` (the account's), for a snapshot.
    pub fn fill(&self, language: Option<&str>, batch: &mut SyncBatch) -> Result<()> {
        let Some(language) = language.map(str::to_string) else { return Ok(()) };
        let knowledge = Knowledge { ctx: self.ctx };
        let filter = ArticleFilter { language: Some(language.clone()), ..ArticleFilter::default() };
        let mut page = PageRequest::first(MAX_PAGE_SIZE);
        loop {
            let listed = knowledge.list(self.actor, &filter, &page)?;
            for summary in listed.items.iter().filter(|s| s.language == language) {
                if batch.articles.len() == ARTICLES {
                    return Ok(());
                }
                match knowledge.get(self.actor, summary.id) {
                    Ok(detail) if held(&detail, &language) => batch.articles.push(detail),
                    Ok(_) | Err(Error::NotFound { .. } | Error::PermissionDenied { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
            let Some(next) = listed.next_cursor else { return Ok(()) };
            page = PageRequest::after(next, MAX_PAGE_SIZE);
        }
    }

    /// The changed articles: an upsert for each the account now holds, a tombstone for the
    /// others. When the device says its articles are in another language than the account's
    /// now (version 3), the whole bucket in the new language instead: the accounts table is
    /// not watched, so this is how a change of language arrives without a snapshot.
    pub fn changed(&self, ids: &BTreeSet<ArticleId>, handshake: &Handshake, batch: &mut SyncBatch) -> Result<()> {
        if ids.is_empty() && !handshake.knows_language() {
            return Ok(());
        }
        let language = self.language()?;
        if handshake.knows_language() && handshake.language != language {
            self.fill(language.as_deref(), batch)?;
            batch.knowledge = Some(KnowledgeBucket { language });
            return Ok(());
        }
        let knowledge = Knowledge { ctx: self.ctx };
        for &id in ids {
            match (knowledge.get(self.actor, id), &language) {
                (Ok(detail), Some(language)) if held(&detail, language) => batch.articles.push(detail),
                (Ok(_) | Err(Error::NotFound { .. } | Error::PermissionDenied { .. }), _) => {
                    batch.removed_articles.push(id)
                }
                (Err(other), _) => return Err(other),
            }
        }
        Ok(())
    }

    /// The account's first language, as the account itself reads its record.
    pub fn language(&self) -> Result<Option<String>> {
        let account = (Accounts { ctx: self.ctx }).get(self.actor, self.account)?;
        Ok(account.languages.first().cloned())
    }
}

/// Whether a replica keeps an article its reader may see: published, in their language.
fn held(detail: &ArticleDetail, language: &str) -> bool {
    detail.article.state == ArticleState::Published && detail.article.language == language
}
