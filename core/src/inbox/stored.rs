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
//! published (titles, authors' pseudonyms), and the erasure of an author finds and rewrites
//! them in everyone's inbox without opening anything.

use serde::{Deserialize, Serialize};

use super::{Event, Notification};
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{BoardId, JobId, OrgId, PostId, ThreadId};
use crate::model::course::CourseNotice;
use crate::model::interest::InterestStatus;
use crate::store::{Reader, Sealer, open_bytes};

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
pub(crate) fn write(sealer: &mut Sealer<'_>, n: &Notification) -> Result<Vec<u8>> {
    let mut event = plain_event(&n.event);
    if is_personal(&event)
        && let Some(sealed) = sealer.seal_bytes(n.account, &place(n.account, n.id), &postcard_bytes(&event)?)?
    {
        event = StoredEvent::Sealed(sealed);
    }
    encode(&Stored { at_micros: n.at.timestamp_micros(), read: n.read, event })
}

fn postcard_bytes(value: &impl Serialize) -> Result<Vec<u8>> {
    postcard::to_allocvec(value).map_err(|e| Error::Internal { detail: format!("cannot encode a notification: {e}") })
}

/// The bytes of `stored` for the `inbox` table.
pub(crate) fn encode(stored: &Stored) -> Result<Vec<u8>> {
    postcard_bytes(stored)
}

/// The stored form of `event`, every field as it is.
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
        Event::ForumReply { board, thread, post, thread_title, author } => StoredEvent::ForumReply {
            board: board.0,
            thread: thread.0,
            post: post.0,
            thread_title: thread_title.clone(),
            author: author.clone(),
        },
        Event::ForumThread { board, board_title, thread, title, author } => StoredEvent::ForumThread {
            board: board.0,
            board_title: board_title.clone(),
            thread: thread.0,
            title: title.clone(),
            author: author.clone(),
        },
        Event::ForumReplyToYou { thread, post, your_post, thread_title, author } => StoredEvent::ForumReplyToYou {
            thread: thread.0,
            post: post.0,
            your_post: your_post.0,
            thread_title: thread_title.clone(),
            author: author.clone(),
        },
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

/// Decodes and opens the notification stored under `(account, id)`: one opening when its
/// event is sealed.
pub(crate) fn read(txn: &impl Reader, account: AccountId, id: u64, bytes: &[u8]) -> Result<Notification> {
    decode(account, id, bytes)?.open(txn, account, id)
}

impl Stored {
    /// Whether the event comes from the forums (never sealed).
    pub fn is_forum(&self) -> bool {
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

    /// The notification, its event opened with the recipient's key when it is sealed.
    pub fn open(self, txn: &impl Reader, account: AccountId, id: u64) -> Result<Notification> {
        let what = || format!("notification {id} of account {account}");
        let event = match self.event {
            StoredEvent::Sealed(sealed) => {
                let plain = open_bytes(txn, account, &place(account, id), &sealed, what)?;
                match postcard::from_bytes(&plain) {
                    Ok(StoredEvent::Sealed(_)) | Err(_) => {
                        return Err(Error::storage(format!("{} holds no event", what())));
                    }
                    Ok(event) => event,
                }
            }
            event => event,
        };
        notification(account, id, self.at_micros, self.read, event)
    }

    /// The notification when its event is plain (`None` when sealed): for reading others'
    /// notifications without their keys.
    pub fn plain(self, account: AccountId, id: u64) -> Result<Option<Notification>> {
        match self.event {
            StoredEvent::Sealed(_) => Ok(None),
            event => notification(account, id, self.at_micros, self.read, event).map(Some),
        }
    }
}

/// The notification of a stored event that is not sealed.
fn notification(account: AccountId, id: u64, at_micros: i64, read: bool, event: StoredEvent) -> Result<Notification> {
    let at = Timestamp::from_timestamp_micros(at_micros)
        .ok_or_else(|| Error::storage(format!("notification {id} of account {account} has an impossible time")))?;
    let event = match event {
        StoredEvent::Sealed(_) => {
            return Err(Error::storage(format!("notification {id} of account {account} is sealed twice")));
        }
        StoredEvent::JobAlert { search, search_name, job, title } => {
            Event::JobAlert { search, search_name, job: JobId(job), title }
        }
        StoredEvent::InterestUpdated { interest, job, title, status } => {
            Event::InterestUpdated { interest, job: JobId(job), title, status }
        }
        StoredEvent::ForumReply { board, thread, post, thread_title, author } => Event::ForumReply {
            board: BoardId(board),
            thread: ThreadId(thread),
            post: PostId(post),
            thread_title,
            author,
        },
        StoredEvent::ForumThread { board, board_title, thread, title, author } => {
            Event::ForumThread { board: BoardId(board), board_title, thread: ThreadId(thread), title, author }
        }
        StoredEvent::ForumReplyToYou { thread, post, your_post, thread_title, author } => {
            let (thread, post, your_post) = (ThreadId(thread), PostId(post), PostId(your_post));
            Event::ForumReplyToYou { thread, post, your_post, thread_title, author }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored bytes of `n` with its event plain (sealing needs a transaction: the
    /// integration tests seal).
    fn write(n: &Notification) -> Result<Vec<u8>> {
        encode(&Stored { at_micros: n.at.timestamp_micros(), read: n.read, event: plain_event(&n.event) })
    }

    fn read(account: AccountId, id: u64, bytes: &[u8]) -> Result<Notification> {
        decode(account, id, bytes)?.plain(account, id)?.ok_or_else(|| Error::storage("sealed"))
    }

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
                thread_title: "Erste Stelle nach EX-IN".into(),
                author: "anonymous".into(),
            },
            ..update.clone()
        };
        assert_eq!(read(AccountId(3), 7, &write(&reply).unwrap()).unwrap(), reply);
        assert!(matches!(read(AccountId(3), 7, &[0xff]), Err(Error::Storage { .. })));
    }
}
