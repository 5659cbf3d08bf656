//! The stored form of a notification: postcard, without the account and id its key already
//! holds, with the time in microseconds. About 60 bytes for a job alert where the JSON record
//! took 200: publishing a posting that alerts hundreds of searches copies and writes that much
//! less (see benches/README.md, "Missed targets").
//!
//! Postcard does not skip unknown fields, so this layout changes only with a schema version
//! (the migration to version 4 rewrote the JSON notifications of earlier files).

use serde::{Deserialize, Serialize};

use super::{Event, Notification};
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{BoardId, JobId, PostId, ThreadId};
use crate::model::course::CourseNotice;
use crate::model::interest::InterestStatus;

/// A notification as it lies in the `inbox` table under `(account, id)`.
#[derive(Serialize, Deserialize)]
struct Stored {
    at_micros: i64,
    read: bool,
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
}

/// Encodes `n` for the `inbox` table.
pub(crate) fn write(n: &Notification) -> Result<Vec<u8>> {
    let event = match &n.event {
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
            StoredEvent::OrganisationUnverified { org: *org, name: name.clone(), reason: reason.clone() }
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
    };
    let stored = Stored { at_micros: n.at.timestamp_micros(), read: n.read, event };
    postcard::to_allocvec(&stored).map_err(|e| Error::Internal { detail: format!("cannot encode a notification: {e}") })
}

/// Decodes the notification stored under `(account, id)`.
pub(crate) fn read(account: AccountId, id: u64, bytes: &[u8]) -> Result<Notification> {
    let stored: Stored = postcard::from_bytes(bytes)
        .map_err(|e| Error::storage(format!("notification {id} of account {account} does not decode: {e}")))?;
    let at = Timestamp::from_timestamp_micros(stored.at_micros)
        .ok_or_else(|| Error::storage(format!("notification {id} of account {account} has an impossible time")))?;
    let event = match stored.event {
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
            Event::OrganisationUnverified { org, name, reason }
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
    Ok(Notification { id, account, at, event, read: stored.read })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_read_back_as_written_and_stay_small() {
        let at = Timestamp::from_timestamp_micros(1_795_000_000_123_456).unwrap();
        let alert = Notification {
            id: 7,
            account: 3,
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
        assert_eq!(read(3, 7, &bytes).unwrap(), alert);
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
        assert_eq!(read(3, 7, &write(&update).unwrap()).unwrap(), update);
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
        assert_eq!(read(3, 7, &write(&reply).unwrap()).unwrap(), reply);
        assert!(matches!(read(3, 7, &[0xff]), Err(Error::Storage { .. })));
    }
}
