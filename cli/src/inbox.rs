//! `trialog inbox`: the acting account's notifications (job alerts, interest updates, forum
//! replies and new threads).

use clap::Args;
use serde::Serialize;
use trialog_core::{Event, Notification, NotificationPage};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Table, when};
use crate::session::Session;

/// `trialog inbox [--unread] [--mark-read [IDS]]`.
#[derive(Debug, Args)]
#[command(after_help = "EXAMPLES:\n  trialog --as Kim_aus_Jena inbox --unread\n  \
    trialog --as Kim_aus_Jena inbox --mark-read\n  trialog --as Kim_aus_Jena inbox --mark-read 4,7")]
pub struct InboxArgs {
    /// Only notifications not yet read.
    #[arg(long)]
    pub unread: bool,
    /// After listing, mark notifications read: those listed, or only the ids given (4,7).
    #[arg(long, value_name = "IDS", num_args = 0..=1, require_equals = false, value_delimiter = ',')]
    pub mark_read: Option<Vec<u64>>,
    #[command(flatten)]
    pub page: PageArgs,
}

/// The page, and how many notifications were marked read.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    page: &'a NotificationPage,
    #[serde(skip_serializing_if = "Option::is_none")]
    marked_read: Option<u64>,
}

/// `trialog inbox`: lists the acting account's notifications, newest first.
pub fn run(session: &Session, args: InboxArgs) -> Result<(), Failure> {
    let inbox = session.platform.inbox();
    let page = inbox.list(&session.actor, args.unread, &page_request(args.page))?;
    let marked_read = match &args.mark_read {
        None => None,
        Some(ids) if ids.is_empty() => {
            let listed: Vec<u64> = page.items.iter().map(|n| n.id).collect();
            Some(if listed.is_empty() { 0 } else { inbox.mark_read(&session.actor, &listed)? })
        }
        Some(ids) => Some(inbox.mark_read(&session.actor, ids)?),
    };
    show(session, &page, marked_read)
}

/// Prints a page of notifications (and how many were marked read): shared by `trialog inbox`
/// and `trialog forum inbox`, so both print and serialise the same way.
pub(crate) fn show(session: &Session, page: &NotificationPage, marked_read: Option<u64>) -> Result<(), Failure> {
    if session.out.json {
        session.out.json(&Shown { page, marked_read });
        return Ok(());
    }
    let mut table = Table::new(&["ID", "WHEN", "", "WHAT"]);
    for n in &page.items {
        table.row(vec![n.id.to_string(), when(n.at), if n.read { "" } else { "new" }.into(), what(n)]);
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    outln!("{} unread", page.unread);
    if let Some(n) = marked_read {
        outln!("marked {n} read");
    }
    Ok(())
}

pub(crate) fn what(n: &Notification) -> String {
    match &n.event {
        Event::JobAlert { search_name, job, title, .. } => format!("'{search_name}': new posting {job} {title}"),
        Event::InterestUpdated { job, title, status, .. } => format!("your interest in {job} {title} is now {status}"),
        Event::ForumReply { thread, thread_title, author, .. } => {
            format!("{author} replied in thread {thread} '{thread_title}'")
        }
        Event::ForumThread { board_title, thread, title, author, .. } => {
            format!("{author} started thread {thread} '{title}' in {board_title}")
        }
        Event::ForumReplyToYou { thread, thread_title, author, your_post, .. } => {
            format!("{author} replied to your post {your_post} in thread {thread} '{thread_title}'")
        }
        Event::Moderated { action, target, kind, reason, until, .. } => {
            let until = until.map(|u| format!(" until {}", u.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
            format!("moderation ({kind}{until}) on {target}: {reason}; appeal with `trialog appeal {action} \"why\"`")
        }
        Event::AppealDecided { appeal, outcome, reason, .. } => format!("your appeal {appeal} was {outcome}: {reason}"),
        Event::OrganisationUnverified { org, name, reason } => {
            format!("organisation {org} {name} is no longer verified: {reason}")
        }
        Event::GroupRequest { request, group_name, state, .. } => {
            format!("your contact request {request} to the group '{group_name}' is {state}")
        }
        Event::RoomBooking { booking, room_name, group_name, state, .. } => {
            format!("booking {booking} of the room '{room_name}' by the group '{group_name}' is {state}")
        }
        Event::Course { course, title, notice, registration, at, .. } => {
            let at = at.map(|t| format!(" ({})", t.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
            let reg = registration.map(|r| format!(", registration {r}")).unwrap_or_default();
            format!("course {course} '{title}': {notice:?}{at}{reg}")
        }
        Event::RetentionWarning { inactive_since, erase_at } => format!(
            "inactive since {}: the account will be erased on {} unless you sign in before",
            inactive_since.format("%Y-%m-%d"),
            erase_at.format("%Y-%m-%d")
        ),
    }
}
