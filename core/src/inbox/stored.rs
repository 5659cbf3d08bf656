//! The stored form of a notification: postcard, without the account and id its key already
//! holds, with the time in microseconds. About 60 bytes for a job alert where the JSON record
//! took 200: publishing a posting that alerts hundreds of searches copies and writes that much
//! less (see benches/README.md, "Missed targets").
//!
//! Postcard does not skip unknown fields, so this layout changes only with a schema version
//! (the migration to version 4 rewrote the JSON notifications of earlier files).
//!
//! Since schema version 25 a notification whose event carries something of its recipient (a
//! job alert repeating their saved search's name, the state of their application, a
//! moderator's words to them, their request to join a self-help group) keeps that event
//! sealed under the recipient's key ([`StoredEvent::Sealed`], appended last: a plain event
//! of an older file reads as before). Forum events stay plain: they repeat what others
//! published (authors' pseudonyms, a board's title), and the erasure of an author finds and
//! rewrites them in everyone's inbox without opening anything.
//!
//! Since schema version 34 a forum event keeps no thread title ([`StoredEvent::ThreadReply`],
//! [`StoredEvent::NewThread`], [`StoredEvent::ReplyToYou`], appended after `Sealed`): the
//! title is sealed under the thread author's key in the thread's record, and a reader derives
//! it when the notification is shown ([`Opener`]), so that erasing the author leaves it in no
//! one's inbox, nor in any copy of the file. The old variants, with their titles, are read
//! (their title ignored) until the migration to version 34 rewrites them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Event, Notification};
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{BoardId, JobId, OrgId, PostId, ThreadId};
use crate::model::course::CourseNotice;
use crate::model::interest::InterestStatus;
use crate::store::{KeyCache, ReadTxn, Reader, Sealer, ThreadTitles, WriteTxn};

/// A notification as it lies in the `inbox` table under `(account, id)`, its event still
/// sealed when it is: the read flag, the time and the kind of event read without opening it.
#[derive(Serialize, Deserialize)]
pub(crate) struct Stored {
    at_micros: i64,
    pub read: bool,
    event: StoredEvent,
}

/// [`Event`] in a form postcard can read back (it cannot read internally tagged enums).
#[derive(Serialize, Deserialize)]
enum StoredEvent {
    JobAlert {
        search: u64,
        search_name: String,
        job: u64,
        title: String,
    },
    InterestUpdated {
        interest: u64,
        job: u64,
        title: String,
        status: InterestStatus,
    },
    ForumReply {
        board: u64,
        thread: u64,
        post: u64,
        thread_title: String,
        author: String,
    },
    ForumThread {
        board: u64,
        board_title: String,
        thread: u64,
        title: String,
        author: String,
    },
    ForumReplyToYou {
        thread: u64,
        post: u64,
        your_post: u64,
        thread_title: String,
        author: String,
    },
    Moderated {
        action: u64,
        target: String,
        kind: String,
        reason: String,
        until: Option<i64>,
        appeal: String,
    },
    AppealDecided {
        appeal: u64,
        action: u64,
        outcome: String,
        reason: String,
    },
    OrganisationUnverified {
        org: u64,
        name: String,
        reason: String,
    },
    Course {
        course: u64,
        title: String,
        notice: CourseNotice,
        registration: Option<u64>,
        session: Option<u64>,
        at: Option<i64>,
    },
    GroupRequest {
        request: u64,
        group: u64,
        group_name: String,
        state: String,
    },
    /// Appended last: earlier notifications keep their variant numbers.
    RetentionWarning {
        inactive_since: i64,
        erase_at: i64,
    },
    /// Appended last: earlier notifications keep their variant numbers.
    RoomBooking {
        booking: u64,
        room: u64,
        room_name: String,
        group: u64,
        group_name: String,
        state: String,
    },
    /// Appended last: since version 25, the postcard bytes of a personal event (see
    /// [`is_personal`]), sealed under the recipient's key at [`place`].
    Sealed(Vec<u8>),
    /// Since version 34: [`Event::ForumReply`] without the thread's title.
    ThreadReply {
        board: u64,
        thread: u64,
        post: u64,
        author: String,
    },
    /// Since version 34: [`Event::ForumThread`] without the thread's title.
    NewThread {
        board: u64,
        board_title: String,
        thread: u64,
        author: String,
    },
    /// Since version 34: [`Event::ForumReplyToYou`] without the thread's title.
    ReplyToYou {
        thread: u64,
        post: u64,
        your_post: u64,
        author: String,
    },
}

impl StoredEvent {
    /// A forum event of a file older than version 34 in the shape without its title; every
    /// other event as it is.
    fn untitled(self) -> StoredEvent {
        match self {
            StoredEvent::ForumReply { board, thread, post, author, .. } => {
                StoredEvent::ThreadReply { board, thread, post, author }
            }
            StoredEvent::ForumThread { board, board_title, thread, author, .. } => {
                StoredEvent::NewThread { board, board_title, thread, author }
            }
            StoredEvent::ForumReplyToYou { thread, post, your_post, author, .. } => {
                StoredEvent::ReplyToYou { thread, post, your_post, author }
            }
            event => event,
        }
    }

    /// The author's pseudonym a forum event names.
    fn author_mut(&mut self) -> Option<&mut String> {
        match self {
            StoredEvent::ThreadReply { author, .. }
            | StoredEvent::NewThread { author, .. }
            | StoredEvent::ReplyToYou { author, .. }
            | StoredEvent::ForumReply { author, .. }
            | StoredEvent::ForumThread { author, .. }
            | StoredEvent::ForumReplyToYou { author, .. } => Some(author),
            _ => None,
        }
    }
}

/// Whether `event` carries something of its recipient and is sealed under their key: a job
/// alert (their saved search's name, what they look for), an update of their interest in a
/// posting, a moderator's action on them or decision on their appeal (the moderator's words),
/// their request to join a self-help group (the group's name tells of their health).
fn is_personal(event: &StoredEvent) -> bool {
    matches!(
        event,
        StoredEvent::JobAlert { .. }
            | StoredEvent::InterestUpdated { .. }
            | StoredEvent::Moderated { .. }
            | StoredEvent::AppealDecided { .. }
            | StoredEvent::GroupRequest { .. }
    )
}

/// Where notification `id` of `account` is sealed (its associated data): it opens nowhere else.
fn place(account: AccountId, id: u64) -> Vec<u8> {
    [b"notification\0".as_slice(), &account.0.to_be_bytes(), &id.to_be_bytes()].concat()
}

/// Encodes `n` for the `inbox` table, its event sealed under the recipient's key when it is
/// personal and the store has a key store (through `sealer`, which serves a whole delivery).
/// A forum event keeps no thread title (see the module's documentation).
pub(crate) fn write(sealer: &mut Sealer<'_>, n: &Notification) -> Result<Vec<u8>> {
    let stored = Stored { at_micros: n.at.timestamp_micros(), read: n.read, event: plain_event(&n.event) };
    stored.sealed(sealer, n.account, n.id)
}

fn postcard_bytes(value: &impl Serialize) -> Result<Vec<u8>> {
    postcard::to_allocvec(value).map_err(|e| Error::Internal { detail: format!("cannot encode a notification: {e}") })
}

/// The bytes of `stored` for the `inbox` table.
pub(crate) fn encode(stored: &Stored) -> Result<Vec<u8>> {
    postcard_bytes(stored)
}

/// The stored form of `event`, every field as it is but a forum event's thread title.
fn plain_event(event: &Event) -> StoredEvent {
    match event {
        Event::JobAlert { search, search_name, job, title } => StoredEvent::JobAlert {
            search: *search,
            search_name: search_name.clone(),
            job: job.0,
            title: title.clone(),
        },
        Event::InterestUpdated { interest, job, title, status } => {
            StoredEvent::InterestUpdated { interest: *interest, job: job.0, title: title.clone(), status: *status }
        }
        Event::ForumReply { board, thread, post, author, .. } => {
            StoredEvent::ThreadReply { board: board.0, thread: thread.0, post: post.0, author: author.clone() }
        }
        Event::ForumThread { board, board_title, thread, author, .. } => StoredEvent::NewThread {
            board: board.0,
            board_title: board_title.clone(),
            thread: thread.0,
            author: author.clone(),
        },
        Event::ForumReplyToYou { thread, post, your_post, author, .. } => {
            StoredEvent::ReplyToYou { thread: thread.0, post: post.0, your_post: your_post.0, author: author.clone() }
        }
        Event::Moderated { action, target, kind, reason, until, appeal } => StoredEvent::Moderated {
            action: *action,
            target: target.clone(),
            kind: kind.clone(),
            reason: reason.clone(),
            until: until.map(|t| t.timestamp_micros()),
            appeal: appeal.clone(),
        },
        Event::AppealDecided { appeal, action, outcome, reason } => StoredEvent::AppealDecided {
            appeal: *appeal,
            action: *action,
            outcome: outcome.clone(),
            reason: reason.clone(),
        },
        Event::OrganisationUnverified { org, name, reason } => {
            StoredEvent::OrganisationUnverified { org: org.0, name: name.clone(), reason: reason.clone() }
        }
        Event::Course { course, title, notice, registration, session, at } => StoredEvent::Course {
            course: *course,
            title: title.clone(),
            notice: *notice,
            registration: *registration,
            session: *session,
            at: at.map(|t| t.timestamp_micros()),
        },
        Event::GroupRequest { request, group, group_name, state } => StoredEvent::GroupRequest {
            request: *request,
            group: *group,
            group_name: group_name.clone(),
            state: state.clone(),
        },
        Event::RetentionWarning { inactive_since, erase_at } => StoredEvent::RetentionWarning {
            inactive_since: inactive_since.timestamp_micros(),
            erase_at: erase_at.timestamp_micros(),
        },
        Event::RoomBooking { booking, room, room_name, group, group_name, state } => StoredEvent::RoomBooking {
            booking: *booking,
            room: *room,
            room_name: room_name.clone(),
            group: *group,
            group_name: group_name.clone(),
            state: state.clone(),
        },
    }
}

/// Decodes the notification stored under `(account, id)`, its event left sealed.
pub(crate) fn decode(account: AccountId, id: u64, bytes: &[u8]) -> Result<Stored> {
    postcard::from_bytes(bytes)
        .map_err(|e| Error::storage(format!("notification {id} of account {account} does not decode: {e}")))
}

impl Stored {
    /// Whether the event comes from the forums (never sealed).
    pub fn is_forum(&self) -> bool {
        self.is_titled()
            || matches!(
                self.event,
                StoredEvent::ThreadReply { .. } | StoredEvent::NewThread { .. } | StoredEvent::ReplyToYou { .. }
            )
    }

    /// Whether the event is a forum event as files before version 34 kept it, with its thread's
    /// title: the migration rewrites it without.
    pub fn is_titled(&self) -> bool {
        matches!(
            self.event,
            StoredEvent::ForumReply { .. } | StoredEvent::ForumThread { .. } | StoredEvent::ForumReplyToYou { .. }
        )
    }

    /// Whether the event is personal but still plain (written before version 25, or without
    /// a key store): the migration seals it.
    pub fn is_plain_personal(&self) -> bool {
        is_personal(&self.event)
    }

    /// The same notification without a forum event's thread title.
    pub fn untitled(self) -> Stored {
        Stored { event: self.event.untitled(), ..self }
    }

    /// Names `former` instead of `name` as the author of a forum event; whether it named
    /// `name`.
    pub fn forget_author(&mut self, name: &str, former: &str) -> bool {
        match self.event.author_mut() {
            Some(author) if author == name => {
                *author = former.to_string();
                true
            }
            _ => false,
        }
    }

    /// The bytes of notification `id` of `account` for the `inbox` table, its event sealed
    /// under the recipient's key when it is personal and the store has a key store (through
    /// `sealer`, which serves a whole delivery).
    pub fn sealed(mut self, sealer: &mut Sealer<'_>, account: AccountId, id: u64) -> Result<Vec<u8>> {
        if is_personal(&self.event)
            && let Some(sealed) = sealer.seal_bytes(account, &place(account, id), &postcard_bytes(&self.event)?)?
        {
            self.event = StoredEvent::Sealed(sealed);
        }
        encode(&self)
    }

    /// Notification `id` of `account` with its event opened with `keys` when it is sealed (the
    /// recipient's key looked up once per cache); a forum event's thread title is not read yet.
    pub fn unseal<R: Reader>(self, keys: &mut KeyCache<'_, R>, account: AccountId, id: u64) -> Result<Opened> {
        let what = || format!("notification {id} of account {account}");
        let event = match self.event {
            StoredEvent::Sealed(sealed) => {
                let plain = keys.open(account, &place(account, id), &sealed, what)?;
                match postcard::from_bytes(&plain) {
                    Ok(StoredEvent::Sealed(_)) | Err(_) => {
                        return Err(Error::storage(format!("{} holds no event", what())));
                    }
                    Ok(event) => event,
                }
            }
            event => event,
        };
        opened(account, id, self.at_micros, self.read, event)
    }
}

/// Notification `id` of `account` with its event as opened.
fn opened(account: AccountId, id: u64, at_micros: i64, read: bool, event: StoredEvent) -> Result<Opened> {
    let at = Timestamp::from_timestamp_micros(at_micros)
        .ok_or_else(|| Error::storage(format!("notification {id} of account {account} has an impossible time")))?;
    Ok(Opened { id, account, at, read, event })
}

/// A notification with its event opened, the title of the thread a forum event is about not
/// read yet ([`Opened::shown`]).
pub(crate) struct Opened {
    id: u64,
    account: AccountId,
    at: Timestamp,
    read: bool,
    event: StoredEvent,
}

impl Opened {
    /// The notification, a forum event showing the title `title_of` gives its thread (called
    /// once, for a forum event only).
    pub fn shown(self, title_of: impl FnOnce(ThreadId) -> Result<String>) -> Result<Notification> {
        let Opened { id, account, at, read, event } = self;
        let event = match event {
            StoredEvent::Sealed(_) => {
                return Err(Error::storage(format!("notification {id} of account {account} is sealed twice")));
            }
            // The shape before version 34: its title is not the thread's title now.
            old @ (StoredEvent::ForumReply { .. }
            | StoredEvent::ForumThread { .. }
            | StoredEvent::ForumReplyToYou { .. }) => {
                return Opened { id, account, at, read, event: old.untitled() }.shown(title_of);
            }
            StoredEvent::ThreadReply { board, thread, post, author } => Event::ForumReply {
                board: BoardId(board),
                thread: ThreadId(thread),
                post: PostId(post),
                thread_title: title_of(ThreadId(thread))?,
                author,
            },
            StoredEvent::NewThread { board, board_title, thread, author } => Event::ForumThread {
                board: BoardId(board),
                board_title,
                thread: ThreadId(thread),
                title: title_of(ThreadId(thread))?,
                author,
            },
            StoredEvent::ReplyToYou { thread, post, your_post, author } => Event::ForumReplyToYou {
                thread: ThreadId(thread),
                post: PostId(post),
                your_post: PostId(your_post),
                thread_title: title_of(ThreadId(thread))?,
                author,
            },
            StoredEvent::JobAlert { search, search_name, job, title } => {
                Event::JobAlert { search, search_name, job: JobId(job), title }
            }
            StoredEvent::InterestUpdated { interest, job, title, status } => {
                Event::InterestUpdated { interest, job: JobId(job), title, status }
            }
            StoredEvent::Moderated { action, target, kind, reason, until, appeal } => Event::Moderated {
                action,
                target,
                kind,
                reason,
                until: until.and_then(Timestamp::from_timestamp_micros),
                appeal,
            },
            StoredEvent::AppealDecided { appeal, action, outcome, reason } => {
                Event::AppealDecided { appeal, action, outcome, reason }
            }
            StoredEvent::OrganisationUnverified { org, name, reason } => {
                Event::OrganisationUnverified { org: OrgId(org), name, reason }
            }
            StoredEvent::Course { course, title, notice, registration, session, at } => Event::Course {
                course,
                title,
                notice,
                registration,
                session,
                at: at.and_then(Timestamp::from_timestamp_micros),
            },
            StoredEvent::GroupRequest { request, group, group_name, state } => {
                Event::GroupRequest { request, group, group_name, state }
            }
            StoredEvent::RetentionWarning { inactive_since, erase_at } => {
                let time = |micros: i64| {
                    Timestamp::from_timestamp_micros(micros).ok_or_else(|| {
                        Error::storage(format!("notification {id} of account {account} has an impossible time"))
                    })
                };
                Event::RetentionWarning { inactive_since: time(inactive_since)?, erase_at: time(erase_at)? }
            }
            StoredEvent::RoomBooking { booking, room, room_name, group, group_name, state } => {
                Event::RoomBooking { booking, room, room_name, group, group_name, state }
            }
        };
        Ok(Notification { id, account, at, event, read })
    }
}

/// What opens the notifications of one read (a page of the inbox, an export, a notice): one
/// [`KeyCache`], so the recipient's key and each thread author's key are looked up once, and
/// the title of each thread shown, opened once however many notifications are about it.
pub(crate) struct Opener<'t, R: Titled> {
    keys: KeyCache<'t, R>,
    title_of: fn(&mut KeyCache<'_, R>, ThreadId) -> Result<String>,
    titles: HashMap<ThreadId, String>,
}

impl<'t, R: Titled> Opener<'t, R> {
    /// An opener reading in `txn`, the threads' titles read through `titles`.
    pub fn new(txn: &'t R, titles: ThreadTitles) -> Self {
        Opener { keys: KeyCache::new(txn), title_of: R::title_of(titles), titles: HashMap::new() }
    }

    /// Notification `id` of `account` as it is shown, from its stored form.
    pub fn open(&mut self, stored: Stored, account: AccountId, id: u64) -> Result<Notification> {
        let opened = stored.unseal(&mut self.keys, account, id)?;
        opened.shown(|thread| self.title(thread))
    }

    /// [`Opener::open`] from the stored bytes.
    pub fn read(&mut self, account: AccountId, id: u64, bytes: &[u8]) -> Result<Notification> {
        self.open(decode(account, id, bytes)?, account, id)
    }

    /// The transaction it reads in.
    pub fn txn(&self) -> &'t R {
        self.keys.txn()
    }

    fn title(&mut self, thread: ThreadId) -> Result<String> {
        if let Some(title) = self.titles.get(&thread) {
            return Ok(title.clone());
        }
        let title = (self.title_of)(&mut self.keys, thread)?;
        self.titles.insert(thread, title.clone());
        Ok(title)
    }
}

/// A transaction notifications are shown in: it picks its reader of thread titles.
pub(crate) trait Titled: Reader + Sized {
    fn title_of(titles: ThreadTitles) -> fn(&mut KeyCache<'_, Self>, ThreadId) -> Result<String>;
}

impl Titled for ReadTxn {
    fn title_of(titles: ThreadTitles) -> fn(&mut KeyCache<'_, Self>, ThreadId) -> Result<String> {
        titles.read
    }
}

impl Titled for WriteTxn {
    fn title_of(titles: ThreadTitles) -> fn(&mut KeyCache<'_, Self>, ThreadId) -> Result<String> {
        titles.write
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored bytes of `n` with its event plain (sealing needs a transaction: the
    /// integration tests seal).
    fn write(n: &Notification) -> Result<Vec<u8>> {
        encode(&Stored { at_micros: n.at.timestamp_micros(), read: n.read, event: plain_event(&n.event) })
    }

    /// Reads a plain notification back, a forum event's title from a stand-in for the thread.
    fn read(account: AccountId, id: u64, bytes: &[u8]) -> Result<Notification> {
        let stored = decode(account, id, bytes)?;
        let title_of = |thread: ThreadId| Ok(if thread == ThreadId(5) { TITLE_NOW.to_string() } else { String::new() });
        opened(account, id, stored.at_micros, stored.read, stored.event)?.shown(title_of)
    }

    /// What thread 5's record reads now.
    const TITLE_NOW: &str = "Erste Stelle nach EX-IN";

    #[test]
    fn notifications_read_back_as_written_and_stay_small() {
        let at = Timestamp::from_timestamp_micros(1_795_000_000_123_456).unwrap();
        let alert = Notification {
            id: 7,
            account: AccountId(3),
            at,
            event: Event::JobAlert {
                search: 12,
                search_name: "Jena 30 km".into(),
                job: JobId(4711),
                title: "Genesungsbegleiter:in (m/w/d) Tagesklinik".into(),
            },
            read: false,
        };
        let bytes = write(&alert).unwrap();
        assert!(bytes.len() < 80, "a job alert takes {} bytes", bytes.len());
        assert_eq!(read(AccountId(3), 7, &bytes).unwrap(), alert);
        let update = Notification {
            event: Event::InterestUpdated {
                interest: 2,
                job: JobId(4711),
                title: "x".into(),
                status: InterestStatus::Hired,
            },
            read: true,
            ..alert
        };
        assert_eq!(read(AccountId(3), 7, &write(&update).unwrap()).unwrap(), update);
        let reply = Notification {
            event: Event::ForumReplyToYou {
                thread: ThreadId(5),
                post: PostId(90),
                your_post: PostId(88),
                thread_title: "Der Titel beim Schreiben".into(),
                author: "anonymous".into(),
            },
            ..update.clone()
        };
        let bytes = write(&reply).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"Titel "), "a forum notification keeps no title");
        let Event::ForumReplyToYou { thread_title, .. } = read(AccountId(3), 7, &bytes).unwrap().event else {
            panic!("a reply to you reads back as one")
        };
        assert_eq!(thread_title, TITLE_NOW, "it shows the thread's title as the thread reads now");
        assert!(matches!(read(AccountId(3), 7, &[0xff]), Err(Error::Storage { .. })));
    }

    /// A forum notification of a file before version 34 (with its title) reads, its title taken
    /// from the thread; the migration's rewrite keeps everything but the title.
    #[test]
    fn a_forum_notification_of_the_old_shape_reads_and_loses_its_title_when_rewritten() {
        let at = Timestamp::from_timestamp_micros(1_795_000_000_123_456).unwrap();
        let event = StoredEvent::ForumReply {
            board: 2,
            thread: 5,
            post: 90,
            thread_title: "Der alte Titel".into(),
            author: "Ole".into(),
        };
        let old = encode(&Stored { at_micros: at.timestamp_micros(), read: true, event }).unwrap();
        let expected = Notification {
            id: 7,
            account: AccountId(3),
            at,
            event: Event::ForumReply {
                board: BoardId(2),
                thread: ThreadId(5),
                post: PostId(90),
                thread_title: TITLE_NOW.into(),
                author: "Ole".into(),
            },
            read: true,
        };
        assert_eq!(read(AccountId(3), 7, &old).unwrap(), expected);
        let stored = decode(AccountId(3), 7, &old).unwrap();
        assert!(stored.is_titled() && stored.is_forum());
        let new = encode(&stored.untitled()).unwrap();
        assert!(!new.windows(5).any(|w| w == b"alte "), "the rewrite drops the title");
        assert!(!decode(AccountId(3), 7, &new).unwrap().is_titled());
        assert_eq!(read(AccountId(3), 7, &new).unwrap(), expected);
    }
}
