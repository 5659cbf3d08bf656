//! Each account's inbox of notifications: job alerts and interest updates, forum replies, new
//! threads and replies to one's posts. For people who chose it, a notice of each leaves the
//! platform by e-mail or push ([`notices`]); sending is the server's job.
//!
//! Notifications are stored compactly (see [`stored`]): one published posting can alert
//! hundreds of saved searches, and every byte of each notification is copied and written.

mod migrations;
pub mod notices;
pub(crate) mod records;
pub(crate) mod stored;
pub(crate) mod tables;
#[cfg(test)]
mod tests;

use crate::store::WriteTxn;
use serde::{Deserialize, Serialize};

use crate::accounts::AccountId;
use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::{BoardId, JobId, OrgId, PostId, ThreadId};
use crate::model::course::CourseNotice;
use crate::model::interest::InterestStatus;
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::store::tables::next_ids;

/// What a notification is about. A forum event's thread title is the thread's title when the
/// notification is read ("(deleted)" once the thread or its author's key is gone): the inbox
/// stores the thread's id only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Event {
    /// A newly published posting matches a saved search.
    JobAlert { search: u64, search_name: String, job: JobId, title: String },
    /// An employer moved the account's interest in a posting to a new status.
    InterestUpdated { interest: u64, job: JobId, title: String, status: InterestStatus },
    /// A new reply in a thread the account watches. `author` is "anonymous" for an anonymous
    /// reply.
    ForumReply { board: BoardId, thread: ThreadId, post: PostId, thread_title: String, author: String },
    /// A new thread in a board the account watches.
    ForumThread { board: BoardId, board_title: String, thread: ThreadId, title: String, author: String },
    /// A reply to (quoting) the account's post `your_post`.
    ForumReplyToYou { thread: ThreadId, post: PostId, your_post: PostId, thread_title: String, author: String },
    /// A moderator acted on the account's content or the account (`kind`: hide, remove,
    /// edit_out, lock, warn, silence, suspend, ban); `until` ends a silence or suspension;
    /// `appeal` says how to appeal action `action`.
    Moderated { action: u64, target: String, kind: String, reason: String, until: Option<Timestamp>, appeal: String },
    /// An appeal of the account was decided (`outcome`: upheld or overturned).
    AppealDecided { appeal: u64, action: u64, outcome: String, reason: String },
    /// The account's organisation `org` lost its verification (its name, kind or region
    /// changed); its postings wait until an admin verifies it again.
    OrganisationUnverified { org: OrgId, name: String, reason: String },
    /// About course `course`: a confirmation, a waitlist place, an offered place (open until
    /// `at`), a lapsed offer, a cancellation, a session reminder (the session starts at `at`)
    /// or a moved or cancelled session.
    Course {
        course: u64,
        title: String,
        notice: CourseNotice,
        registration: Option<u64>,
        session: Option<u64>,
        at: Option<Timestamp>,
    },
    /// The account has been inactive longer than the platform keeps inactive accounts: it will
    /// be erased at `erase_at` unless it signs in before (see `crate::rights`).
    RetentionWarning { inactive_since: Timestamp, erase_at: Timestamp },
    /// The account's request `request` to join group `group` moved to `state` (new, forwarded,
    /// connected, declined); a group contact gets `new` or `forwarded` when it reaches them.
    GroupRequest { request: u64, group: u64, group_name: String, state: String },
    /// Booking `booking` of room `room` by group `group` moved to `state` (requested,
    /// confirmed, declined, cancelled): told to the offering organisation's staff when a group
    /// asks or cancels, and to the group's side when the organisation answers or cancels.
    RoomBooking { booking: u64, room: u64, room_name: String, group: u64, group_name: String, state: String },
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Notification {
    pub id: u64,
    pub account: AccountId,
    pub at: Timestamp,
    pub event: Event,
    #[serde(default)]
    pub read: bool,
}

/// A page of notifications, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub next_cursor: Option<String>,
    /// Unread notifications in the whole inbox.
    pub unread: u64,
}

/// Inbox operations, borrowed from a [`crate::Platform`].
pub struct Inbox<'p> {
    pub(crate) ctx: &'p Context,
}

impl Inbox<'_> {
    /// The acting account's notifications, newest first; `unread_only` skips read ones.
    pub fn list(&self, actor: &Actor, unread_only: bool, page: &PageRequest) -> Result<NotificationPage> {
        self.list_where(actor, unread_only, page, false)
    }

    /// Like [`Inbox::list`], for the forums' notifications only when `forum_only` (`unread`
    /// counts those). Only the notifications shown are opened (one opening each when sealed):
    /// the count and the filter read what lies beside the sealed event. A forum notification
    /// shows its thread's title as the thread reads now (the inbox keeps none): through one
    /// [`stored::Opener`] for the page, each thread author's key is looked up once and each
    /// thread's title opened once.
    pub(crate) fn list_where(
        &self,
        actor: &Actor,
        unread_only: bool,
        page: &PageRequest,
        forum_only: bool,
    ) -> Result<NotificationPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = own_account(subject)?;
            policy::check(subject, Action::UseJobBoard, now)?;
            let limit = page.limit()?;
            let before = page.cursor_id()?.unwrap_or(u64::MAX);
            let (mut items, mut unread, mut next) = (Vec::new(), 0, None);
            let mut opener = stored::Opener::new(txn, self.ctx.thread_titles);
            records::visit_newest_of(txn, me, |n| {
                if forum_only && !n.is_forum() {
                    return Ok(());
                }
                unread += u64::from(!n.read());
                if n.id >= before || (unread_only && n.read()) {
                    return Ok(());
                }
                if items.len() == limit {
                    next = items.last().map(|n: &Notification| n.id);
                    return Ok(());
                }
                items.push(n.open(&mut opener)?);
                Ok(())
            })?;
            Ok(NotificationPage { items, next_cursor: next.map(cursor_for), unread })
        })
    }

    /// Marks notifications read: the given ids, or all when `ids` is empty. Returns how many changed.
    pub fn mark_read(&self, actor: &Actor, ids: &[u64]) -> Result<u64> {
        self.ctx.write(actor, |txn, subject, now| {
            let me = own_account(subject)?;
            policy::check(subject, Action::UseJobBoard, now)?;
            records::mark_read(txn, me, ids)
        })
    }
}

/// Puts a notification into `account`'s inbox, inside the caller's transaction.
pub(crate) fn deliver(txn: &WriteTxn, account: AccountId, event: Event, now: Timestamp) -> Result<()> {
    deliver_all(txn, vec![(account, event)], now)
}

/// Puts many notifications into their inboxes at once (one id reservation, one table open).
/// The id sequence of notifications: a write that knows how many it will deliver may draw
/// them with its other ids ([`crate::store::WriteTxn::reserve_ids`]).
pub(crate) const NOTIFICATION_IDS: &str = "notifications";

pub(crate) fn deliver_all(txn: &WriteTxn, events: Vec<(AccountId, Event)>, now: Timestamp) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let first = next_ids(txn, NOTIFICATION_IDS, events.len() as u64)?;
    let notifications: Vec<Notification> = (first..)
        .zip(events)
        .map(|(id, (account, event))| Notification { id, account, at: now, event, read: false })
        .collect();
    let written: Vec<(AccountId, u64)> = notifications.iter().map(|n| (n.account, n.id)).collect();
    records::deliver(txn, notifications)?;
    notices::queue(txn, &written, now)
}

fn own_account(subject: &Subject) -> Result<AccountId> {
    subject
        .account()
        .map(|a| a.id)
        .ok_or_else(|| Error::denied("read an inbox", "only accounts have an inbox; sign in"))
}

/// Registration of the inbox domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "inbox",
    tables: tables::TABLES,
    migrate: migrations::migrate,
    check: |txn, found| records::check_integrity(txn, &mut found.problems),
    figures: None,
    tick: crate::store::Domain::nothing_due,
    personal: Some(records::PERSONAL),
};
