//! What a notice may say outside the platform: the one place that decides it.
//!
//! E-mail leaves the platform's protection (mail servers, shared screens, lock screens), so
//! it says as little as it can:
//! - job alerts, interest updates and course notices (confirmations, waitlist places, offered
//!   places with their deadline, reminders) may name the job or course title: they are about
//!   public postings and courses, and the person asked for them;
//! - forum, moderation, appeal, organisation, group and every other notice say only what kind
//!   of notice it is and link to the platform — never a thread title, a post's text, an author,
//!   a reason, a group's name or anything that could tell about health;
//! - push carries no content at all: only "you have new notices" and a count ([`push_text`]).
//!
//! The match below names every [`Event`] variant, so a new kind of notification does not
//! compile until someone decides here what its e-mail may say.

use crate::clock::Timestamp;
use crate::inbox::Event;
use crate::model::course::CourseNotice;

/// An e-mail notice: its subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailNotice {
    pub subject: String,
    pub body: String,
}

/// The only words a push hook receives besides the count of unread notices.
pub const PUSH_TEXT: &str = "you have new notices";

/// The longest title an e-mail names; longer ones end in "…".
const TITLE_CHARS: usize = 120;

/// The e-mail for a notification of `event`, linking to the platform at `link`.
///
/// ```
/// use trialog_core::{BoardId, Event, PostId, ThreadId, email_notice};
/// let reply = Event::ForumReply {
///     board: BoardId(1),
///     thread: ThreadId(2),
///     post: PostId(3),
///     thread_title: "Sleepless again".into(),
///     author: "Kim".into(),
/// };
/// let mail = email_notice(&reply, "https://peers.example");
/// assert!(!mail.subject.contains("Sleepless") && !mail.body.contains("Kim"));
/// ```
pub fn email_notice(event: &Event, link: &str) -> EmailNotice {
    let (subject, line) = match event {
        Event::JobAlert { title, .. } => {
            let title = clean(title);
            (format!("New job posting: {title}"), format!("A new job posting matches your saved search: {title}."))
        }
        Event::InterestUpdated { title, status, .. } => {
            let title = clean(title);
            (format!("Your interest in {title}"), format!("Your interest in the posting {title} is now: {status}."))
        }
        Event::Course { title, notice, at, .. } => course(&clean(title), *notice, *at),
        Event::ForumReply { .. } => kind_only("A new reply in a thread you follow"),
        Event::ForumThread { .. } => kind_only("A new thread in a board you follow"),
        Event::ForumReplyToYou { .. } => kind_only("A reply to one of your posts"),
        Event::Moderated { .. } => kind_only("A moderation notice about your account or content"),
        Event::AppealDecided { .. } => kind_only("A decision on your appeal"),
        Event::OrganisationUnverified { .. } => kind_only("A notice about your organisation's verification"),
        Event::GroupRequest { .. } => kind_only("A notice about your request to join a group"),
        // The group's name can say what it is about (an addiction, a diagnosis): never in a mail.
        Event::RoomBooking { .. } => kind_only("A notice about a room booking of your group"),
        Event::RetentionWarning { erase_at, .. } => (
            "Your account will be erased unless you sign in".to_string(),
            format!("Your account has been inactive for a long time. Sign in before {} to keep it.", day(*erase_at)),
        ),
    };
    let body = format!(
        "{line}\n\nRead it on the platform: {link}\n\n\
         You get this e-mail because you turned on e-mail notices; turn them off in your notice settings."
    );
    EmailNotice { subject, body }
}

/// What a course notice says: the title, what happened, and the time that matters.
fn course(title: &str, notice: CourseNotice, at: Option<Timestamp>) -> (String, String) {
    let when = at.map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string());
    let line = match (notice, when) {
        (CourseNotice::Confirmed, _) => format!("Your place in {title} is confirmed."),
        (CourseNotice::Waitlisted, _) => format!("You are on the waiting list of {title}."),
        (CourseNotice::PlaceOffered, Some(until)) => {
            format!("A place in {title} is offered to you. Accept it before {until}, or it passes to the next person.")
        }
        (CourseNotice::PlaceOffered, None) => format!("A place in {title} is offered to you."),
        (CourseNotice::OfferExpired, _) => format!("The place offered to you in {title} has lapsed."),
        (CourseNotice::RegistrationCancelled, _) => format!("Your registration for {title} is cancelled."),
        (CourseNotice::CourseCancelled, _) => format!("The course {title} is cancelled."),
        (CourseNotice::SessionReminder, Some(starts)) => format!("Reminder: {title} meets at {starts}."),
        (CourseNotice::SessionReminder, None) => format!("Reminder: {title} meets soon."),
        (CourseNotice::SessionChanged, _) => format!("A session of {title} was moved or cancelled."),
    };
    (format!("Course: {title}"), line)
}

/// A notice that may only say what kind it is.
fn kind_only(kind: &str) -> (String, String) {
    (kind.to_string(), format!("{kind}. Sign in to read it."))
}

fn day(at: Timestamp) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// A title fit for a mail header: one line without control characters, at most
/// [`TITLE_CHARS`] characters.
fn clean(title: &str) -> String {
    let one_line: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if one_line.chars().count() <= TITLE_CHARS {
        return one_line;
    }
    let mut short: String = one_line.chars().take(TITLE_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BoardId, JobId, OrgId, PostId, ThreadId};
    use crate::model::interest::InterestStatus;
    use chrono::{TimeZone, Utc};

    const LINK: &str = "https://peers.example/inbox";

    fn at() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 12, 9, 18, 30, 0).unwrap()
    }

    fn said(mail: &EmailNotice) -> String {
        format!("{}\n{}", mail.subject, mail.body)
    }

    #[test]
    fn job_alerts_and_interest_updates_name_the_job_but_not_the_saved_search() {
        let alert = Event::JobAlert {
            search: 1,
            search_name: "near my clinic".into(),
            job: JobId(7),
            title: "Genesungsbegleiter:in (EX-IN)".into(),
        };
        let mail = email_notice(&alert, LINK);
        assert!(mail.subject.contains("Genesungsbegleiter:in (EX-IN)"), "{mail:?}");
        assert!(!said(&mail).contains("near my clinic"), "the saved search's name stays inside: {mail:?}");
        assert!(mail.body.contains(LINK));
        let update = Event::InterestUpdated {
            interest: 2,
            job: JobId(7),
            title: "Peer-Support Jena".into(),
            status: InterestStatus::Contacted,
        };
        assert!(email_notice(&update, LINK).body.contains("Peer-Support Jena"));
    }

    #[test]
    fn course_offers_carry_their_deadline_and_reminders_their_time() {
        let offer = Event::Course {
            course: 3,
            title: "EX-IN Grundkurs".into(),
            notice: CourseNotice::PlaceOffered,
            registration: Some(4),
            session: None,
            at: Some(at()),
        };
        let mail = email_notice(&offer, LINK);
        assert!(mail.body.contains("EX-IN Grundkurs") && mail.body.contains("2026-12-09 18:30 UTC"), "{mail:?}");
        let reminder = Event::Course {
            course: 3,
            title: "EX-IN Grundkurs".into(),
            notice: CourseNotice::SessionReminder,
            registration: None,
            session: Some(1),
            at: Some(at()),
        };
        assert!(email_notice(&reminder, LINK).body.contains("meets at 2026-12-09 18:30 UTC"));
    }

    #[test]
    fn forum_moderation_group_and_room_notices_say_only_their_kind() {
        let secret = "Nachts kommen die Stimmen wieder";
        let events = [
            Event::ForumReply {
                board: BoardId(1),
                thread: ThreadId(2),
                post: PostId(3),
                thread_title: secret.into(),
                author: "Kim_aus_Jena".into(),
            },
            Event::ForumThread {
                board: BoardId(1),
                board_title: "Psychose".into(),
                thread: ThreadId(2),
                title: secret.into(),
                author: "Kim_aus_Jena".into(),
            },
            Event::ForumReplyToYou {
                thread: ThreadId(2),
                post: PostId(3),
                your_post: PostId(1),
                thread_title: secret.into(),
                author: "Kim_aus_Jena".into(),
            },
            Event::Moderated {
                action: 1,
                target: "post:3".into(),
                kind: "hide".into(),
                reason: secret.into(),
                until: None,
                appeal: "appeal 1".into(),
            },
            Event::AppealDecided { appeal: 1, action: 1, outcome: "upheld".into(), reason: secret.into() },
            Event::OrganisationUnverified { org: OrgId(1), name: "Klinik Nord".into(), reason: secret.into() },
            Event::GroupRequest {
                request: 1,
                group: 2,
                group_name: "Depression Jena".into(),
                state: "connected".into(),
            },
            Event::RoomBooking {
                booking: 1,
                room: 2,
                room_name: "Klinik Nord, Raum 3".into(),
                group: 3,
                group_name: "Depression Jena".into(),
                state: "confirmed".into(),
            },
        ];
        for event in &events {
            let text = said(&email_notice(event, LINK));
            for leak in [secret, "Kim_aus_Jena", "Psychose", "hide", "upheld", "Klinik Nord", "Depression", "post:3"] {
                assert!(!text.contains(leak), "the mail for {event:?} says '{leak}': {text}");
            }
            assert!(text.contains(LINK), "the mail for {event:?} links to the platform: {text}");
        }
    }

    #[test]
    fn titles_lose_line_breaks_and_are_bounded() {
        let alert = Event::JobAlert {
            search: 1,
            search_name: String::new(),
            job: JobId(7),
            title: format!("A\r\nBcc: x@y.z {}", "long ".repeat(60)),
        };
        let mail = email_notice(&alert, LINK);
        assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'), "{mail:?}");
        assert!(mail.subject.chars().count() <= "New job posting: ".len() + TITLE_CHARS, "{}", mail.subject);
        assert!(mail.subject.ends_with('…'));
    }
}
