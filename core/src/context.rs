//! What every domain needs from the platform, and nothing more: the store, the clock, the hosts'
//! seams ([`ContentCheck`], [`Triage`], the content key), a cache of compiled watched words, and
//! the way from an [`Actor`] to the [`Subject`] the policy decides on.
//!
//! The context sits below the domains: a domain's service holds a `&Context`, so that
//! `platform` (which builds the context and hands out the services) imports the domains and no
//! domain imports `platform`. The one thing the context needs from a domain, loading the
//! actor's account, is handed to it as plain functions when the platform is built.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::actor::{Actor, Subject};
use crate::clock::{Clock, Timestamp};
use crate::crypto::ContentKey;
use crate::error::{Error, Result};
use crate::ids::{AccountId, BoardId, PostId, ThreadId};
use crate::model::account::Account;
use crate::model::moderation::{ActionKind, Target, Undo};
use crate::model::search::SearchKind;
use crate::screening::{ContentCheck, Screening, Submission, Triage};
use crate::store::{Ahead, KeyCache, ReadTxn, Store, ThreadTitles, WriteTxn};

/// How the account behind an actor is loaded, in a read and in a write transaction. The
/// accounts domain supplies these (it sits above the context).
#[derive(Clone, Copy)]
pub(crate) struct AccountLoader {
    pub read: fn(&ReadTxn, AccountId) -> Result<Account>,
    pub write: fn(&WriteTxn, AccountId) -> Result<Account>,
    /// Adds the rows loading an account reads to an [`Ahead`] ([`Context::read_with`]).
    pub ahead: fn(Ahead, AccountId) -> Ahead,
}

/// A transaction the actor can be resolved in: a read or a write transaction.
pub(crate) trait Resolving {
    fn load_account(&self, loader: &AccountLoader, id: AccountId) -> Result<Account>;
}

impl Resolving for ReadTxn {
    fn load_account(&self, loader: &AccountLoader, id: AccountId) -> Result<Account> {
        (loader.read)(self, id)
    }
}

impl Resolving for WriteTxn {
    fn load_account(&self, loader: &AccountLoader, id: AccountId) -> Result<Account> {
        (loader.write)(self, id)
    }
}

/// What the forums ask of moderation while they write. Moderation sits above the forums (it
/// acts on their content through `forums::sanction`), so the forums reach it through this seam,
/// which the platform fills in with moderation's own.
pub(crate) trait ForumModeration: Send + Sync {
    /// The platform's own screening of a thread, reply or edit: watched words, crisis, trust,
    /// rate limits (`moderation::screen`).
    fn screen(
        &self,
        ctx: &Context,
        txn: &WriteTxn,
        submission: &Submission<'_>,
        author: &Account,
        moderator: bool,
        now: Timestamp,
    ) -> Result<Screening>;

    /// `ahead` with the rows [`ForumModeration::screen`] and
    /// [`ForumModeration::count_approved`] read of a post by `author` in `board`, so that a
    /// write can read them with its own (one round trip on PostgreSQL).
    fn screen_ahead(&self, ahead: Ahead, author: AccountId, board: BoardId) -> Ahead;

    /// Files what the screening flagged on the review item of the stored `target`.
    fn file(
        &self,
        txn: &WriteTxn,
        screening: &mut Screening,
        target: Target,
        summary: &str,
        board: BoardId,
        now: Timestamp,
    ) -> Result<()>;

    /// Counts an approved post towards its author's standing in `board`.
    fn count_approved(&self, txn: &WriteTxn, author: AccountId, board: BoardId) -> Result<()>;

    /// Keeps `text` on `target`'s open review item before its author takes it away.
    fn keep_snapshot(&self, txn: &WriteTxn, target: Target, text: &str, now: Timestamp) -> Result<()>;

    /// Writes a moderator's forum operation into the moderation log (and notifies `affected`).
    #[allow(clippy::too_many_arguments)]
    fn record_action(
        &self,
        txn: &WriteTxn,
        actor: &Actor,
        target: Target,
        action: ActionKind,
        reason: &str,
        expires: Option<Timestamp>,
        affected: Option<AccountId>,
        undo: Undo,
        now: Timestamp,
    ) -> Result<()>;
}

/// What the one search asks of the domains whose hits it cannot judge from its index alone: a
/// forum thread's board audience and state change without the thread being written again, so
/// whether a reader may see it is decided afresh for every hit, by the forums' own rule. The
/// platform fills it in (`crate::sources`); a domain that joins the search later (groups)
/// answers for its kind there.
pub(crate) trait SearchGate: Send + Sync {
    /// Whether `subject` may see record `id` of `kind` now. `hint` is what the domain gave the
    /// index for this record (a thread's board, a posting's end), so that it need not read the
    /// record; `None` when the index has none (then the domain reads its record). `memo` keeps
    /// answers a domain may reuse within one search (a board's audience), as (key, answer)
    /// pairs.
    #[allow(clippy::too_many_arguments)]
    fn visible(
        &self,
        txn: &ReadTxn,
        subject: &Subject,
        now: Timestamp,
        kind: SearchKind,
        id: u64,
        hint: Option<u64>,
        memo: &mut Vec<(u64, bool)>,
    ) -> Result<bool>;

    /// The title and text a hit on record `id` of `kind` shows, for a kind whose documents
    /// keep none (`crate::search::Entry::keeps_text`); `None` for the others (their document
    /// has them). Opened with `keys`, shared by the hits of one page.
    fn shown(
        &self,
        txn: &ReadTxn,
        keys: &mut KeyCache<'_, ReadTxn>,
        kind: SearchKind,
        id: u64,
    ) -> Result<Option<(String, String)>>;
}

/// One compiled artefact kept between calls, with the version of the stored data it was
/// compiled from (moderation's watched words): rebuilt only when that version changes. The
/// context cannot name the artefact's type (its domain sits above), so the owner names it
/// when it asks.
#[derive(Default)]
pub(crate) struct Compiled(Mutex<Option<(u64, Arc<dyn Any + Send + Sync>)>>);

impl Compiled {
    /// The artefact for `version`: the cached one when it was built from that version and is
    /// a `T`, else a new one from `build` (which is then cached).
    pub(crate) fn get<T: Any + Send + Sync>(&self, version: u64, build: impl FnOnce() -> Result<T>) -> Result<Arc<T>> {
        if let Some((cached, artefact)) = self.0.lock().map_err(|_| poisoned())?.as_ref()
            && *cached == version
            && let Ok(artefact) = artefact.clone().downcast::<T>()
        {
            return Ok(artefact);
        }
        let artefact = Arc::new(build()?);
        *self.0.lock().map_err(|_| poisoned())? = Some((version, artefact.clone()));
        Ok(artefact)
    }
}

/// One artefact a domain derives from stored rows and keeps between requests, of a type only
/// that domain knows (the one search's analysed thesaurus, `search::query::ThesaurusCache`): the
/// domain checks it against what it was made from before using it. Type-erased, so that the
/// context need not know the domains that keep something here.
#[derive(Default)]
pub(crate) struct Kept(Mutex<Option<Arc<dyn Any + Send + Sync>>>);

impl Kept {
    /// The artefact kept, when there is one and it is a `T`.
    // A panic elsewhere while the lock was held cannot leave a half-made entry: the slot only
    // ever holds a whole artefact, so a poisoned lock is used as it is.
    pub(crate) fn get<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()?.downcast::<T>().ok()
    }

    /// Keeps `artefact` instead of what was kept.
    pub(crate) fn set<T: Any + Send + Sync>(&self, artefact: Arc<T>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(artefact);
    }
}

fn poisoned() -> Error {
    Error::Internal { detail: "a compiled-artefact cache was poisoned by a panic".into() }
}

/// The platform's shared state as the domains see it.
pub(crate) struct Context {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) content_check: Arc<dyn ContentCheck>,
    /// The compiled watched words and the version of the stored words they were compiled from.
    pub(crate) words: Compiled,
    pub(crate) content_key: Option<ContentKey>,
    pub(crate) triage: Option<Arc<dyn Triage>>,
    pub(crate) accounts: AccountLoader,
    /// Moderation, as the forums need it.
    pub(crate) moderation: &'static dyn ForumModeration,
    /// The largest match run solved ([`crate::PlatformOptions::max_match_cells`]).
    pub(crate) max_match_cells: u64,
    /// The domains' answers to the one search's visibility questions.
    pub(crate) search_gate: &'static dyn SearchGate,
    /// The titles the inbox's forum notifications show (the forums answer).
    pub(crate) thread_titles: ThreadTitles,
    /// What thread pages read once their first rows were in ([`ThreadPageHints`]).
    pub(crate) thread_page_hints: ThreadPageHints,
    /// The watchers replies to a thread found ([`ReplyHints`]).
    pub(crate) reply_hints: ReplyHints,
    /// The thesaurus the one search last analysed (`search::query::ThesaurusCache`).
    pub(crate) thesaurus: Kept,
}

/// What a thread page reads once its thread's record and first posts are in — the thread's
/// board and the people whose keys open the thread and its first run of posts — remembered
/// per thread and cursor on PostgreSQL, so that the next page of that thread names them in the
/// read ahead its snapshot begins with: one round trip instead of two
/// (`forums::Forums::thread_page`).
///
/// A hint, never an answer: the page still reads its board and keys from its own snapshot, and
/// whatever the hint named that the page does not need is only read, not used. When the hint
/// is stale (the thread moved, new authors) the page reads what is missing in a second round
/// trip, as it did without one, and the hint is replaced.
pub(crate) type ThreadPageHints = Hints<(ThreadId, Option<PostId>), PageHint>;

/// The watchers of a thread that the last reply to it found, remembered on PostgreSQL so that
/// the next reply reads their notice choices with its other rows (`forums::posts`), one round
/// trip fewer. A hint, never an answer, as [`ThreadPageHints`]: the reply reads the watchers
/// from its own snapshot, and the choices of watchers the hint missed in a trip of their own.
pub(crate) type ReplyHints = Hints<ThreadId, Vec<AccountId>>;

/// Hints by key, bounded: past [`Hints::MOST`] they start afresh (a few hundred kilobytes).
pub(crate) struct Hints<K, V>(Mutex<HashMap<K, V>>);

impl<K, V> Default for Hints<K, V> {
    fn default() -> Self {
        Hints(Mutex::default())
    }
}

/// The board and the people of one thread page ([`ThreadPageHints`]).
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct PageHint {
    pub board: BoardId,
    /// Sorted, each once.
    pub people: Vec<AccountId>,
}

impl PageHint {
    pub fn new(board: BoardId, people: impl IntoIterator<Item = AccountId>) -> PageHint {
        let mut people: Vec<AccountId> = people.into_iter().collect();
        people.sort_unstable_by_key(|p| p.0);
        people.dedup();
        PageHint { board, people }
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> Hints<K, V> {
    /// Hints remembered at most.
    const MOST: usize = 4096;

    /// The hint noted for `key`, if one was.
    pub fn get(&self, key: &K) -> Option<V> {
        self.0.lock().ok()?.get(key).cloned()
    }

    /// Notes the hint for `key`.
    pub fn note(&self, key: K, hint: V) {
        let Ok(mut hints) = self.0.lock() else { return };
        if hints.len() >= Self::MOST && !hints.contains_key(&key) {
            hints.clear();
        }
        hints.insert(key, hint);
    }
}

impl Context {
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The platform's current time.
    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn content_check(&self) -> &dyn ContentCheck {
        self.content_check.as_ref()
    }

    /// The cache of compiled watched words.
    pub(crate) fn word_cache(&self) -> &Compiled {
        &self.words
    }

    pub(crate) fn content_key(&self) -> Option<&ContentKey> {
        self.content_key.as_ref()
    }

    /// The host's own triage, when it brought one.
    pub(crate) fn triage(&self) -> Option<&dyn Triage> {
        self.triage.as_deref()
    }

    /// Loads what the policy needs to know about `actor`.
    pub(crate) fn resolve(&self, txn: &impl Resolving, actor: &Actor) -> Result<Subject> {
        match actor {
            Actor::Operator => Ok(Subject::Operator),
            Actor::Anonymous => Ok(Subject::Anonymous),
            Actor::Account { id } => match txn.load_account(&self.accounts, *id) {
                Ok(account) => Ok(Subject::Member(account)),
                Err(Error::NotFound { .. }) => Err(Error::denied("act", format!("account {id} does not exist"))),
                Err(e) => Err(e),
            },
        }
    }

    /// Runs `work` in one write transaction with the resolved actor and the current time; the
    /// actor's account is read as the transaction begins (with the `BEGIN`, one round trip on
    /// PostgreSQL).
    pub(crate) fn write<T>(
        &self,
        actor: &Actor,
        work: impl Fn(&WriteTxn, &Subject, Timestamp) -> Result<T>,
    ) -> Result<T> {
        self.write_with(actor, Ahead::default(), work)
    }

    /// [`Context::write`], the transaction begun by reading `ahead` and the actor's account
    /// together (one round trip on PostgreSQL, with the `BEGIN`).
    pub(crate) fn write_with<T>(
        &self,
        actor: &Actor,
        ahead: Ahead,
        work: impl Fn(&WriteTxn, &Subject, Timestamp) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        self.store.write_reading(&self.actor_ahead(ahead, actor), |txn| {
            let subject = self.resolve(txn, actor)?;
            work(txn, &subject, now)
        })
    }

    /// `ahead` with the rows resolving `actor` reads.
    fn actor_ahead(&self, ahead: Ahead, actor: &Actor) -> Ahead {
        match actor {
            Actor::Account { id } => (self.accounts.ahead)(ahead, *id),
            Actor::Operator | Actor::Anonymous => ahead,
        }
    }

    /// Runs `work` on a read snapshot with the resolved actor and the current time.
    pub(crate) fn read<T>(
        &self,
        actor: &Actor,
        work: impl FnOnce(&ReadTxn, &Subject, Timestamp) -> Result<T>,
    ) -> Result<T> {
        self.read_with(actor, Ahead::default(), work)
    }

    /// [`Context::read`], the snapshot taken by reading `ahead` and the actor's account
    /// together (one round trip on PostgreSQL, with the `BEGIN`).
    pub(crate) fn read_with<T>(
        &self,
        actor: &Actor,
        ahead: Ahead,
        work: impl FnOnce(&ReadTxn, &Subject, Timestamp) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let txn = self.store.read_with(&self.actor_ahead(ahead, actor))?;
        let subject = self.resolve(&txn, actor)?;
        work(&txn, &subject, now)
    }
}
