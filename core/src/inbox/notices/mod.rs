//! Notices that leave the platform for people who chose them: an e-mail per inbox
//! notification, and a push hook call for apps that says only "you have new notices".
//!
//! Everything is off until the person turns it on ([`Notices::set_settings`]); e-mail goes to
//! the account's own address (none is collected for notices alone). When the inbox writes a
//! notification for an account that chose a channel, an outbox entry is queued in the same
//! transaction. A deliverer (`trialog serve --smtp …`) claims due entries in bounded batches
//! ([`Notices::claim`]), sends them, and reports each as delivered or failed; a failed entry is
//! retried with growing pauses and dropped after [`MAX_ATTEMPTS`], counted. What a notice may
//! say is decided in one place, [`render`].

pub(crate) mod records;
pub(crate) mod render;
pub(crate) mod tables;

use serde::{Deserialize, Serialize};

pub use render::{EmailNotice, PUSH_TEXT, email_notice};

use self::records::{Channel, Entry, Slot};
use crate::accounts;
use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::policy::{self, Action};
use crate::store::{Findings, ThreadTitles, WriteTxn};
use crate::validate::WebAddress;

/// Failed attempts after which an entry is dropped.
pub const MAX_ATTEMPTS: u32 = 5;
/// The most entries one claim hands out.
pub const MAX_BATCH: usize = 500;
/// How long a claimed entry waits before it is handed out again when its deliverer never
/// reported back (it crashed): delivery is at least once.
const LEASE_SECS: u64 = 600;
/// The pause after the first failure; each further one waits four times as long
/// (1, 4, 16, 64 minutes).
const FIRST_RETRY_SECS: u64 = 60;
/// The longest push hook address kept.
const URL_CHARS: usize = 2000;

/// A person's choice of notices outside the platform; everything is off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NoticeSettings {
    /// An e-mail for each new notification, to the account's e-mail address.
    #[serde(default)]
    pub email: bool,
    /// A call of the app's push hook when there are new notices (it carries no content).
    #[serde(default)]
    pub push: bool,
    /// The app's push hook: `https://…` (or `http://` to this machine, for tests); required
    /// when `push` is on.
    #[serde(default)]
    pub push_url: Option<String>,
}

impl NoticeSettings {
    fn is_off(&self) -> bool {
        !self.email && !self.push
    }
}

/// One notice to send, handed out by [`Notices::claim`]; report it back with its `ticket`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub ticket: Ticket,
    pub message: Message,
}

/// What to send.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// An e-mail to `to`.
    Email { to: String, notice: EmailNotice },
    /// A POST to the push hook `url` with [`PUSH_TEXT`] and the count of unread notifications.
    Push { url: String, unread: u64 },
}

/// Names a claimed entry when it is reported delivered or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    slot: Slot,
}

/// What became of a failed notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// It is tried again at this time.
    RetryAt(Timestamp),
    /// It failed [`MAX_ATTEMPTS`] times and was dropped.
    Dropped,
    /// It was no longer in the outbox (reported already, or its person was erased).
    Gone,
}

/// A claimed batch, and how many due entries were dropped unsent because their notification,
/// address or choice is gone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claimed {
    pub outgoing: Vec<Outgoing>,
    pub unwanted: u64,
}

/// Notices, borrowed from a [`crate::Platform`].
pub struct Notices<'p> {
    pub(crate) ctx: &'p Context,
}

impl Notices<'_> {
    /// The acting account's choice of notices.
    pub fn settings(&self, actor: &Actor) -> Result<NoticeSettings> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = own_account(subject)?;
            policy::check(subject, Action::ChooseNotices { account: me }, now)?;
            records::choice(txn, me)
        })
    }

    /// Sets the acting account's choice of notices. E-mail needs an e-mail address on the
    /// account; push needs a push hook address. Turning a channel off drops what waits in it.
    pub fn set_settings(&self, actor: &Actor, settings: &NoticeSettings) -> Result<NoticeSettings> {
        let settings = checked(settings)?;
        self.ctx.write(actor, |txn, subject, now| {
            let me = own_account(subject)?;
            policy::check(subject, Action::ChooseNotices { account: me }, now)?;
            if settings.email && accounts::load(txn, me)?.email.is_none() {
                return Err(Error::invalid(
                    "email",
                    "the account has no e-mail address: add one first (update_account, or `trialog account edit <you> --email ADDRESS`)",
                ));
            }
            records::set_choice(txn, me, &settings)?;
            Ok(settings.clone())
        })
    }

    /// Hands out up to `limit` (at most [`MAX_BATCH`]) notices due now, rendered for sending
    /// with links to the platform at `link`; each stays leased to the caller for ten minutes.
    /// Entries whose notification, address or choice is gone are dropped, counted.
    pub fn claim(&self, actor: &Actor, limit: usize, link: &str) -> Result<Claimed> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::DeliverNotices, now)?;
            let now_secs = secs(now);
            let mut claimed = Claimed::default();
            for (slot, entry) in records::due(txn, now_secs, limit.clamp(1, MAX_BATCH))? {
                match message(txn, self.ctx.thread_titles, &entry, link)? {
                    Some(message) => {
                        let slot = records::reschedule(txn, slot, now_secs + LEASE_SECS, &entry)?;
                        claimed.outgoing.push(Outgoing { ticket: Ticket { slot }, message });
                    }
                    None => {
                        records::remove(txn, slot, &entry)?;
                        claimed.unwanted += 1;
                    }
                }
            }
            Ok(claimed)
        })
    }

    /// The notice of `ticket` was sent: it leaves the outbox. Whether it was still there.
    pub fn delivered(&self, actor: &Actor, ticket: Ticket) -> Result<bool> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::DeliverNotices, now)?;
            match records::load(txn, ticket.slot)? {
                Some(entry) => records::remove(txn, ticket.slot, &entry).map(|()| true),
                None => Ok(false),
            }
        })
    }

    /// Sending the notice of `ticket` failed: it is tried again later, or dropped after
    /// [`MAX_ATTEMPTS`] failures.
    pub fn failed(&self, actor: &Actor, ticket: Ticket) -> Result<Failed> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::DeliverNotices, now)?;
            let Some(mut entry) = records::load(txn, ticket.slot)? else { return Ok(Failed::Gone) };
            entry.attempts += 1;
            if entry.attempts >= MAX_ATTEMPTS {
                records::remove(txn, ticket.slot, &entry)?;
                return Ok(Failed::Dropped);
            }
            let pause = FIRST_RETRY_SECS << (2 * (entry.attempts - 1));
            records::reschedule(txn, ticket.slot, secs(now) + pause, &entry)?;
            Ok(Failed::RetryAt(now + chrono::Duration::seconds(pause as i64)))
        })
    }
}

/// `ahead` with what [`queue`] reads of notifications to `accounts` (their notice choices), so
/// that a write that knows whom it will notify reads it with its other rows.
pub(crate) fn queue_ahead(ahead: crate::store::Ahead, accounts: &[AccountId]) -> crate::store::Ahead {
    records::choices_ahead(ahead, accounts)
}

/// Queues the notices the accounts chose for notifications just written (`(account, id)`),
/// in the inbox's transaction: the inbox's one hook.
pub(crate) fn queue(txn: &WriteTxn, written: &[(AccountId, u64)], now: Timestamp) -> Result<()> {
    records::queue(txn, written, secs(now))
}

/// What `entry` sends now, or `None` when it is no longer wanted or possible.
/// (`titles` reads a forum notification's thread title, which its e-mail never names.)
fn message(txn: &WriteTxn, titles: ThreadTitles, entry: &Entry, link: &str) -> Result<Option<Message>> {
    let choice = records::choice(txn, entry.account)?;
    match entry.channel {
        Channel::Email { notification } => {
            if !choice.email {
                return Ok(None);
            }
            let to = match accounts::load(txn, entry.account) {
                Ok(account) => account.email,
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            let Some(to) = to else { return Ok(None) };
            let Some(n) = crate::inbox::records::load(txn, titles, entry.account, notification)? else {
                return Ok(None);
            };
            Ok(Some(Message::Email { to, notice: email_notice(&n.event, link) }))
        }
        Channel::Push => match (choice.push, choice.push_url) {
            (true, Some(url)) => {
                Ok(Some(Message::Push { url, unread: crate::inbox::records::unread(txn, entry.account)? }))
            }
            _ => Ok(None),
        },
    }
}

/// `settings` with its push hook checked; `InvalidInput` naming the field otherwise.
fn checked(settings: &NoticeSettings) -> Result<NoticeSettings> {
    let push_url = match (&settings.push_url, settings.push) {
        (Some(_), false) => return Err(Error::invalid("push_url", "is only kept while push is on; leave it out")),
        (None, true) => return Err(Error::invalid("push_url", "is required when push is on: the app's push hook")),
        (None, false) => None,
        (Some(url), true) => Some(push_url(url)?),
    };
    Ok(NoticeSettings { email: settings.email, push: settings.push, push_url })
}

/// A push hook address: `https://host…`, or `http://` to this machine (loopback, for tests
/// and a local relay).
fn push_url(url: &str) -> Result<String> {
    let bad = |why: &str| Err(Error::invalid("push_url", why.to_string()));
    let url = url.trim();
    if url.chars().count() > URL_CHARS {
        return bad("is longer than 2000 characters");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return bad("must not contain spaces or control characters");
    }
    let address = WebAddress::parse("push_url", url)?;
    if !address.secure && !address.is_this_machine() {
        return bad("must use https:// (plain http:// only to this machine: localhost, 127.0.0.1, [::1])");
    }
    Ok(url.to_string())
}

fn own_account(subject: &Subject) -> Result<AccountId> {
    subject.account().map(|a| a.id).ok_or_else(|| {
        Error::denied("choose notices", "only accounts get notices; sign in (the operator acts --as an account)")
    })
}

fn secs(at: Timestamp) -> u64 {
    u64::try_from(at.timestamp()).unwrap_or(0)
}

/// Registration of the notices: the choices and the outbox.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "notices",
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found: &mut Findings| {
        found.count("notices waiting to be sent", records::waiting(txn)?);
        Ok(())
    },
    figures: None,
    tick: crate::store::Domain::nothing_due,
    personal: Some(records::PERSONAL),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<String>) -> String {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn push_hooks_are_https_or_loopback_http() {
        for good in
            ["https://push.example.org/hook/1", "http://127.0.0.1:9000/p", "http://localhost/p", "http://[::1]:8/p"]
        {
            assert_eq!(push_url(good).unwrap(), good);
        }
        for bad in [
            "http://push.example.org/hook",
            "ftp://x.org",
            "https://",
            "https://user:pw@x.org/",
            "https://x.org/a b",
            "http://127.0.0.1.evil.org/",
            "push.example.org",
        ] {
            assert_eq!(field_of(push_url(bad)), "push_url", "{bad} should be refused");
        }
    }

    #[test]
    fn a_push_hook_comes_with_push_on_only() {
        let hook = Some("https://push.example.org/h".to_string());
        assert!(checked(&NoticeSettings { email: false, push: true, push_url: hook.clone() }).is_ok());
        let stray = checked(&NoticeSettings { email: true, push: false, push_url: hook });
        assert!(matches!(stray, Err(Error::InvalidInput { ref field, .. }) if field == "push_url"), "{stray:?}");
        let missing = checked(&NoticeSettings { email: false, push: true, push_url: None });
        assert!(matches!(missing, Err(Error::InvalidInput { ref field, .. }) if field == "push_url"), "{missing:?}");
    }
}
