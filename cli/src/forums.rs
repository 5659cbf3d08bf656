//! `trialog forum ...`: boards, threads and posts, reading with read positions, search,
//! statistics, watching and the forum inbox, and moderation.
//!
//! Boards are named by slug or id. Bodies come from `--body TEXT` or `--body-file PATH` (`-`
//! reads standard input), so that posts with paragraphs and quotes are easy to write.

use std::io::Read;
use std::path::PathBuf;

use chrono::Duration;
use clap::{Args, Subcommand};
use trialog_core::forums::{QueueItem, Revision, Signpost, Watching, markup};
use trialog_core::{
    Audience, Board, BoardId, BoardOverview, BoardUpdate, Error, ForumHit, ForumQuery, ModerationAction,
    ModerationMode, NewBoard, NewReply, NewThread, Post, PostId, Posted, ReaderStats, Restriction, StatsPeriod, Thread,
    ThreadId, ThreadPage,
};

use crate::args::PageArgs;
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Block, Listing, Table, or_dash, when};
use crate::session::Session;

const FORUM_EXAMPLES: &str = "\
EXAMPLES:
  trialog forum board list
  trialog forum board add angehoerige --title 'Angehörige' --lang de --audience relative
  trialog forum thread list ausbildung-ex-in
  trialog --as Kim_aus_Jena forum thread new ausbildung-ex-in --title 'EX-IN in Thüringen?' \\
      --body 'Wo gibt es den nächsten Kurs?' --tag ex-in --anonymous
  trialog --as Kim_aus_Jena forum post add 3 --reply-to 7 --body-file antwort.txt
  trialog --as Kim_aus_Jena forum read 3
  trialog forum search 'Vertrag Probezeit'
  trialog forum stats --quarter
  trialog --as Kim_aus_Jena forum watch --board ausbildung-ex-in
  trialog --as Leuchtturm forum queue";

/// `trialog forum ...`.
#[derive(Debug, Subcommand)]
#[command(after_help = FORUM_EXAMPLES)]
pub enum ForumCommand {
    /// Boards: add, list, edit, archive.
    #[command(subcommand)]
    Board(BoardCommand),
    /// Threads: start one, list a board, show one; moderators pin, lock, move and moderate.
    #[command(subcommand)]
    Thread(ThreadCommand),
    /// Posts: reply, edit, delete, see earlier versions; moderators moderate and restrict authors.
    #[command(subcommand)]
    Post(PostCommand),
    /// Read a thread as a person does: shows a page, counts the view, moves your read position.
    Read(ReadArgs),
    /// Unread posts in the threads you watch (as an account: --as).
    Unread,
    /// Mark a thread (up to a post, or entirely) or a whole board read.
    MarkRead(MarkReadArgs),
    /// Search thread titles and posts: every word must occur; best and newest first.
    Search(SearchArgs),
    /// Views and unique readers per month or quarter (moderators and admins).
    ///
    /// Readers are counted once per month through a hash whose key changes every month, so
    /// nobody can be followed across months; 1 to k readers (k = 4 unless set otherwise) are
    /// withheld.
    Stats(StatsArgs),
    /// Watch a thread (new replies) or a board (new threads), or stop with --stop; without a
    /// target, list what you watch.
    Watch(WatchArgs),
    /// Your forum notifications, newest first (as an account: --as).
    Inbox(InboxArgs),
    /// Posts waiting for a moderator, oldest first (moderators).
    Queue {
        #[command(flatten)]
        page: PageArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum BoardCommand {
    /// Create a board (admins).
    Add(BoardAdd),
    /// The boards you may read, with their sizes and your unread threads.
    List,
    /// Change a board; options not given stay as they are (admins).
    Edit(BoardEdit),
    /// Archive a board: it stays readable and takes no posts; --undo reopens it (admins).
    Archive {
        /// The board's slug or id.
        board: String,
        /// Take it out of the archive.
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Debug, Args)]
pub struct BoardAdd {
    /// Lower-case letters, digits and hyphens: ausbildung-ex-in.
    pub slug: String,
    /// The board's title, as listed.
    #[arg(long)]
    pub title: String,
    /// The board's language (ISO 639-1): de, da, en. Posts are searched in it.
    #[arg(long = "lang", value_name = "CODE")]
    pub language: String,
    /// What the board is for, in a sentence or two.
    #[arg(long)]
    pub description: Option<String>,
    /// Where it is listed (after every board when absent).
    #[arg(long)]
    pub position: Option<u32>,
    /// public, members (default), a perspective (relative), perspectives:relative,professional, or org:ID.
    #[arg(long, default_value = "members")]
    pub audience: String,
    /// Members' posts wait for a moderator.
    #[arg(long)]
    pub premoderated: bool,
}

#[derive(Debug, Args)]
pub struct BoardEdit {
    /// The board's slug or id.
    pub board: String,
    /// New title.
    #[arg(long)]
    pub title: Option<String>,
    /// New description.
    #[arg(long)]
    pub description: Option<String>,
    /// New language (ISO 639-1); the board's posts are searched in it.
    #[arg(long = "lang", value_name = "CODE")]
    pub language: Option<String>,
    /// New place in the list of boards.
    #[arg(long)]
    pub position: Option<u32>,
    /// public, members, relative, perspectives:relative,professional, or org:ID.
    #[arg(long)]
    pub audience: Option<String>,
    /// open or pre_moderated.
    #[arg(long)]
    pub moderation: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ThreadCommand {
    /// Start a thread (as an account: --as).
    New(ThreadNew),
    /// A board's threads: pinned first, then the latest activity.
    List {
        /// The board's slug or id.
        board: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// A thread with a page of its posts (your read position stays; see `forum read`).
    Show {
        /// The thread's id.
        thread: u64,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Pin a thread to the top of its board, or unpin it with --undo (moderators).
    Pin {
        /// The thread's id.
        thread: u64,
        /// Unpin it instead.
        #[arg(long)]
        undo: bool,
    },
    /// Lock a thread against replies, or open it with --undo (moderators).
    Lock {
        /// The thread's id.
        thread: u64,
        /// Open it for replies again instead.
        #[arg(long)]
        undo: bool,
    },
    /// Move a thread with its posts to another board (moderators).
    Move {
        /// The thread's id.
        thread: u64,
        /// The board's slug or id.
        board: String,
    },
    /// Approve, hide, restore or remove a thread (moderators).
    Moderate(Moderate),
}

#[derive(Debug, Args)]
pub struct ThreadNew {
    /// The board's slug or id.
    pub board: String,
    /// The thread's title: one line of up to 150 characters.
    #[arg(long)]
    pub title: String,
    #[command(flatten)]
    pub body: BodyArgs,
    /// Tags: --tag ex-in --tag jena, or --tag ex-in,jena.
    #[arg(long = "tag", value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Shown as "anonymous" to everyone but admins.
    #[arg(long)]
    pub anonymous: bool,
}

/// Where a body comes from.
#[derive(Debug, Default, Args)]
#[group(required = true, multiple = false)]
pub struct BodyArgs {
    /// The text: paragraphs separated by a blank line, '> ' quotes, [links](https://…).
    #[arg(long)]
    pub body: Option<String>,
    /// Read the text from a file, or from standard input with -.
    #[arg(long, value_name = "PATH")]
    pub body_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PostCommand {
    /// Reply in a thread, optionally to an earlier post (as an account: --as).
    Add(PostAdd),
    /// Change a post's text (and a first post's thread title) (its author).
    Edit(PostEdit),
    /// Delete a post: it stays as "deleted by the author" (its author).
    Delete {
        /// The post's id.
        post: u64,
    },
    /// Every version of a post's text (its author, moderators and admins).
    History {
        /// The post's id.
        post: u64,
    },
    /// Approve, hide, restore or remove a post (moderators).
    Moderate(Moderate),
    /// Silence, suspend, ban or reinstate the author of a post, without learning who it is
    /// (moderators, for members; admins for anyone).
    Restrict(RestrictAuthor),
}

#[derive(Debug, Args)]
pub struct PostAdd {
    /// The thread to reply in.
    pub thread: u64,
    #[command(flatten)]
    pub body: BodyArgs,
    /// The earlier post of the same thread this answers (its author is notified).
    #[arg(long)]
    pub reply_to: Option<u64>,
    /// Shown as "anonymous" to everyone but admins.
    #[arg(long)]
    pub anonymous: bool,
}

#[derive(Debug, Args)]
pub struct PostEdit {
    /// The post's id.
    pub post: u64,
    #[command(flatten)]
    pub body: BodyArgs,
    /// A new thread title (first posts only).
    #[arg(long)]
    pub title: Option<String>,
}

#[derive(Debug, Args)]
pub struct Moderate {
    /// The thread's or post's id.
    pub id: u64,
    /// approve, hide, restore or remove.
    pub action: String,
    /// Why (kept in the audit log).
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct RestrictAuthor {
    /// A post by the author to restrict.
    pub post: u64,
    /// silence, suspend, ban or reinstate.
    pub restriction: String,
    /// For silence and suspend: how many days.
    #[arg(long)]
    pub days: Option<u32>,
    /// Why: kept in the audit log and shown to the person.
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The thread's id.
    pub thread: u64,
    /// A visitor's opaque token from the host (counts them once a month as a reader).
    #[arg(long)]
    pub visitor: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["thread", "board"]))]
pub struct MarkReadArgs {
    /// A thread to mark read.
    #[arg(long)]
    pub thread: Option<u64>,
    /// Only up to this post of the thread.
    #[arg(long, requires = "thread")]
    pub up_to: Option<u64>,
    /// A board (slug or id) to mark read entirely.
    #[arg(long)]
    pub board: Option<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The words to find.
    pub text: String,
    /// Only in this board (slug or id).
    #[arg(long)]
    pub board: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Per quarter instead of per month.
    #[arg(long)]
    pub quarter: bool,
    /// Only this board (slug or id); otherwise every board and all together.
    #[arg(long)]
    pub board: Option<String>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// A thread to watch.
    #[arg(conflicts_with = "board")]
    pub thread: Option<u64>,
    /// A board (slug or id) to watch.
    #[arg(long)]
    pub board: Option<String>,
    /// Stop watching instead.
    #[arg(long)]
    pub stop: bool,
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    /// Only notifications not yet read.
    #[arg(long)]
    pub unread: bool,
    /// After listing, mark the listed notifications read.
    #[arg(long)]
    pub mark_read: bool,
    #[command(flatten)]
    pub page: PageArgs,
}

/// Runs one `forum` command; failures get hints that name the forum options.
pub fn run(session: &Session, command: ForumCommand) -> Result<(), Failure> {
    dispatch(session, command).map_err(|failure| with_forum_hint(session, failure))
}

fn dispatch(session: &Session, command: ForumCommand) -> Result<(), Failure> {
    match command {
        ForumCommand::Board(command) => board(session, command),
        ForumCommand::Thread(command) => thread(session, command),
        ForumCommand::Post(command) => post(session, command),
        ForumCommand::Read(args) => read(session, args),
        ForumCommand::Unread => unread(session),
        ForumCommand::MarkRead(args) => mark_read(session, args),
        ForumCommand::Search(args) => search(session, args),
        ForumCommand::Stats(args) => stats(session, args),
        ForumCommand::Watch(args) => watch(session, args),
        ForumCommand::Inbox(args) => inbox(session, args),
        ForumCommand::Queue { page } => queue(session, page),
    }
}

fn board(session: &Session, command: BoardCommand) -> Result<(), Failure> {
    let forums = session.platform.forums();
    match command {
        BoardCommand::Add(args) => {
            let new = NewBoard {
                slug: args.slug,
                title: args.title,
                description: args.description.unwrap_or_default(),
                language: args.language,
                position: args.position,
                audience: args.audience.parse()?,
                moderation: if args.premoderated { ModerationMode::PreModerated } else { ModerationMode::Open },
            };
            let board = forums.create_board(&session.actor, &new)?;
            show_board(session, &board, &format!("created board {} ({})", board.slug, board.id))
        }
        BoardCommand::List => {
            let boards = forums.boards(&session.actor)?;
            let mut table = Table::new(&["ID", "SLUG", "TITLE", "LANG", "AUDIENCE", "THREADS", "POSTS", "UNREAD"]);
            for o in &boards {
                table.row(board_row(o));
            }
            session.out.page(&boards, None, &table);
            Ok(())
        }
        BoardCommand::Edit(args) => {
            let id = board_id(session, &args.board)?;
            let change = BoardUpdate {
                title: args.title,
                description: args.description,
                language: args.language,
                position: args.position,
                audience: args.audience.as_deref().map(str::parse::<Audience>).transpose()?,
                moderation: args.moderation.as_deref().map(str::parse::<ModerationMode>).transpose()?,
            };
            let board = forums.update_board(&session.actor, id, &change)?;
            show_board(session, &board, &format!("updated board {}", board.slug))
        }
        BoardCommand::Archive { board, undo } => {
            let id = board_id(session, &board)?;
            let board = forums.archive_board(&session.actor, id, !undo)?;
            let verb = if undo { "reopened" } else { "archived" };
            show_board(session, &board, &format!("{verb} board {}", board.slug))
        }
    }
}

fn thread(session: &Session, command: ThreadCommand) -> Result<(), Failure> {
    let forums = session.platform.forums();
    let actor = &session.actor;
    match command {
        ThreadCommand::New(args) => {
            let new = NewThread {
                board: board_id(session, &args.board)?,
                title: args.title,
                body: body_text(args.body)?,
                tags: args.tags,
                anonymous: args.anonymous,
            };
            let posted = forums.create_thread(actor, &new)?;
            show_posted(session, &posted, &format!("started thread {}", posted.thread.id))
        }
        ThreadCommand::List { board, page } => {
            let page = forums.board_page(actor, board_id(session, &board)?, &page_request(page))?;
            if !session.out.json {
                outln!("{} — {} ({})", page.board.title, page.board.slug, page.board.audience);
            }
            let mut table = Table::new(&["ID", "TITLE", "AUTHOR", "REPLIES", "VIEWS", "UNREAD", "LAST ACTIVITY"]);
            for t in &page.threads {
                table.row(thread_row(t));
            }
            session
                .out
                .listing(&Listing::new(&page.threads, page.next_cursor.as_deref()).with("board", &page.board), &table);
            Ok(())
        }
        ThreadCommand::Show { thread, page } => {
            let page = forums.thread_page(actor, ThreadId(thread), &page_request(page))?;
            show_thread_page(session, &page)
        }
        ThreadCommand::Pin { thread, undo } => {
            let t = forums.pin_thread(actor, ThreadId(thread), !undo)?;
            show_thread(session, &t, &format!("{} thread {thread}", if undo { "unpinned" } else { "pinned" }))
        }
        ThreadCommand::Lock { thread, undo } => {
            let t = forums.lock_thread(actor, ThreadId(thread), !undo)?;
            show_thread(session, &t, &format!("{} thread {thread}", if undo { "opened" } else { "locked" }))
        }
        ThreadCommand::Move { thread, board } => {
            let t = forums.move_thread(actor, ThreadId(thread), board_id(session, &board)?)?;
            show_thread(session, &t, &format!("moved thread {thread} to board {}", t.board))
        }
        ThreadCommand::Moderate(args) => {
            let action: ModerationAction = args.action.parse()?;
            let t = forums.moderate_thread(actor, ThreadId(args.id), action, args.reason.as_deref())?;
            show_thread(session, &t, &format!("thread {} is {}", args.id, t.state))
        }
    }
}

fn post(session: &Session, command: PostCommand) -> Result<(), Failure> {
    let forums = session.platform.forums();
    let actor = &session.actor;
    match command {
        PostCommand::Add(args) => {
            let new = NewReply {
                thread: ThreadId(args.thread),
                body: body_text(args.body)?,
                reply_to: args.reply_to.map(PostId),
                anonymous: args.anonymous,
            };
            let posted = forums.reply(actor, &new)?;
            show_posted(session, &posted, &format!("replied in thread {}: post {}", args.thread, posted.post.id))
        }
        PostCommand::Edit(args) => {
            let body = body_text(args.body)?;
            let posted = forums.edit_post(actor, PostId(args.post), &body, args.title.as_deref())?;
            show_posted(session, &posted, &format!("edited post {} (version {})", args.post, posted.post.revisions))
        }
        PostCommand::Delete { post } => {
            let deleted = forums.delete_post(actor, PostId(post))?;
            session.out.record(&deleted, Some(&format!("deleted post {post}")), &post_block(&deleted));
            Ok(())
        }
        PostCommand::History { post } => {
            let versions = forums.history(actor, PostId(post))?;
            history(session, &versions)
        }
        PostCommand::Moderate(args) => {
            let action: ModerationAction = args.action.parse()?;
            let post = forums.moderate_post(actor, PostId(args.id), action, args.reason.as_deref())?;
            session.out.record(&post, Some(&format!("post {} is {}", post.id, post.state)), &post_block(&post));
            Ok(())
        }
        PostCommand::Restrict(args) => restrict_author(session, args),
    }
}

fn restrict_author(session: &Session, args: RestrictAuthor) -> Result<(), Failure> {
    let now = session.platform.now();
    let days = || -> Result<chrono::DateTime<chrono::Utc>, Failure> {
        let days = args.days.ok_or_else(|| Failure::usage("give --days N", "for example --days 7"))?;
        Ok(now + Duration::days(days.into()))
    };
    let restriction = match args.restriction.trim().to_ascii_lowercase().as_str() {
        "silence" => Restriction::Silence { until: days()? },
        "suspend" => Restriction::Suspend { until: days()? },
        "ban" => Restriction::Ban,
        "reinstate" => Restriction::Reinstate,
        other => {
            return Err(Error::invalid(
                "restriction",
                format!("'{other}' is not one of silence, suspend, ban, reinstate"),
            )
            .into());
        }
    };
    session.platform.forums().restrict_author(&session.actor, PostId(args.post), restriction, &args.reason)?;
    let result = serde_json::json!({ "post": args.post, "restriction": args.restriction, "done": true });
    let headline = format!("the author of post {} is restricted: {}", args.post, args.restriction);
    session.out.record(&result, Some(&headline), &Block::new());
    Ok(())
}

fn read(session: &Session, args: ReadArgs) -> Result<(), Failure> {
    let page = session.platform.forums().read_thread(
        &session.actor,
        ThreadId(args.thread),
        &page_request(args.page),
        args.visitor.as_deref(),
    )?;
    show_thread_page(session, &page)
}

fn unread(session: &Session) -> Result<(), Failure> {
    let unread = session.platform.forums().unread(&session.actor)?;
    let mut table = Table::new(&["THREAD", "BOARD", "UNREAD", "LAST ACTIVITY"]);
    for u in &unread {
        table.row(vec![u.thread.to_string(), u.board.to_string(), u.unread.to_string(), when(u.last_activity)]);
    }
    session.out.page(&unread, None, &table);
    Ok(())
}

fn mark_read(session: &Session, args: MarkReadArgs) -> Result<(), Failure> {
    let forums = session.platform.forums();
    if let Some(board) = args.board {
        let marked = forums.mark_board_read(&session.actor, board_id(session, &board)?)?;
        let result = serde_json::json!({ "board": board, "threads_marked": marked });
        session.out.record(&result, Some(&format!("marked {marked} thread(s) of {board} read")), &Block::new());
        return Ok(());
    }
    let thread = args.thread.ok_or_else(|| Failure::usage("give --thread or --board", "--thread 3"))?;
    let left = forums.mark_read(&session.actor, ThreadId(thread), args.up_to.map(PostId))?;
    session.out.record(&left, Some(&format!("thread {thread}: {} unread", left.unread)), &Block::new());
    Ok(())
}

fn search(session: &Session, args: SearchArgs) -> Result<(), Failure> {
    let board = args.board.as_deref().map(|b| board_id(session, b)).transpose()?;
    let query = ForumQuery { text: args.text, board };
    let page = session.platform.forums().search(&session.actor, &query, &page_request(args.page))?;
    let mut table = Table::new(&["POST", "THREAD", "TITLE", "AUTHOR", "SNIPPET"]);
    for hit in &page.items {
        table.row(hit_row(hit));
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    Ok(())
}

fn stats(session: &Session, args: StatsArgs) -> Result<(), Failure> {
    let period = if args.quarter { StatsPeriod::Quarter } else { StatsPeriod::Month };
    let board = args.board.as_deref().map(|b| board_id(session, b)).transpose()?;
    let rows = session.platform.forums().stats(&session.actor, period, board)?;
    let mut table = Table::new(&["PERIOD", "BOARD", "VIEWS", "READERS"]);
    for row in &rows {
        table.row(stats_row(row));
    }
    session.out.page(&rows, None, &table);
    Ok(())
}

fn watch(session: &Session, args: WatchArgs) -> Result<(), Failure> {
    let forums = session.platform.forums();
    let on = !args.stop;
    let verb = if on { "watching" } else { "stopped watching" };
    let headline = match (args.thread, &args.board) {
        (Some(thread), _) => {
            forums.watch_thread(&session.actor, ThreadId(thread), on)?;
            format!("{verb} thread {thread}")
        }
        (None, Some(board)) => {
            forums.watch_board(&session.actor, board_id(session, board)?, on)?;
            format!("{verb} board {board}")
        }
        (None, None) => {
            let watching = forums.watching(&session.actor)?;
            let block = Block::new().line("boards", list(&watching.boards)).line("threads", list(&watching.threads));
            show_watching(session, &watching, None, &block);
            return Ok(());
        }
    };
    let watching = forums.watching(&session.actor)?;
    show_watching(session, &watching, Some(&headline), &Block::new());
    Ok(())
}

/// What an account watches: under `--json` a list of `{"kind": "board" | "thread", "id": N}`.
fn show_watching(session: &Session, watching: &Watching, headline: Option<&str>, block: &Block) {
    if !session.out.json {
        return session.out.record(watching, headline, block);
    }
    let boards = watching.boards.iter().map(|id| serde_json::json!({ "kind": "board", "id": id }));
    let threads = watching.threads.iter().map(|id| serde_json::json!({ "kind": "thread", "id": id }));
    session.out.list_json(&boards.chain(threads).collect::<Vec<_>>());
}

fn inbox(session: &Session, args: InboxArgs) -> Result<(), Failure> {
    let page = session.platform.forums().notifications(&session.actor, args.unread, &page_request(args.page))?;
    let marked = if args.mark_read && !page.items.is_empty() {
        let ids: Vec<u64> = page.items.iter().map(|n| n.id).collect();
        Some(session.platform.inbox().mark_read(&session.actor, &ids)?)
    } else {
        None
    };
    crate::inbox::show(session, &page, marked)
}

fn queue(session: &Session, page: PageArgs) -> Result<(), Failure> {
    let page = session.platform.forums().queue(&session.actor, &page_request(page))?;
    let mut table = Table::new(&["POST", "THREAD", "KIND", "AUTHOR", "WAITING SINCE", "REASON", "TEXT"]);
    for item in &page.items {
        table.row(queue_row(item));
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    Ok(())
}

/// Replaces the generic hint of input errors about forum fields, and of refusals that need an
/// account rather than the operator.
fn with_forum_hint(session: &Session, mut failure: Failure) -> Failure {
    let detail =
        |key: &str| failure.details.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
    let hint = match failure.kind {
        "invalid_input" => forum_hint(&detail("field")).map(str::to_string),
        "permission_denied"
            if session.actor == trialog_core::Actor::Operator && detail("reason").contains("account") =>
        {
            Some("posts, read positions and watches belong to accounts: add --as PSEUDONYM".into())
        }
        "permission_denied" if detail("reason").contains("is only for") => Some(
            "a board's audience decides who reads it: `trialog forum board list` shows the boards you may read".into(),
        ),
        "not_found" if detail("what") == "board" => {
            Some("`trialog forum board list` shows the boards and their slugs".into())
        }
        "not_found" if detail("what") == "thread" => {
            Some("`trialog forum thread list BOARD` shows a board's threads and their ids".into())
        }
        _ => None,
    };
    if hint.is_some() {
        failure.hint = hint;
    }
    failure
}

fn forum_hint(field: &str) -> Option<&'static str> {
    Some(match field {
        "title" => "give --title: one line of up to 150 characters",
        "body" => "give --body TEXT or --body-file PATH: up to 20,000 characters",
        "slug" => "write the slug in lower-case letters, digits and single hyphens: ausbildung-ex-in",
        "audience" | "perspective" => {
            "give --audience public, members, relative, perspectives:relative,professional or org:ID"
        }
        "moderation" => "give --moderation open or pre_moderated",
        "language" => "give --lang a two-letter ISO 639-1 code: de, da, en",
        "tags" => "give at most five --tag values of letters, digits and hyphens",
        "reply_to" => "reply to a post of the same thread: `trialog forum thread show THREAD` lists them",
        "up_to" => "give --up-to a post of the thread: `trialog forum thread show THREAD` lists them",
        "text" => "give the words to search for",
        "visitor" => "give --visitor an opaque token of at most 200 characters",
        "action" => "give approve, hide, restore or remove",
        "restriction" => "give silence, suspend, ban or reinstate",
        _ => return None,
    })
}

/// A board named by id (digits) or slug.
fn board_id(session: &Session, text: &str) -> Result<BoardId, Failure> {
    match text.trim().parse::<u64>() {
        Ok(id) => Ok(BoardId(id)),
        Err(_) => Ok(session.platform.forums().board_by_slug(&session.actor, text)?.id),
    }
}

pub fn body_text(args: BodyArgs) -> Result<String, Failure> {
    match (args.body, args.body_file) {
        (Some(body), _) => Ok(body),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::io("cannot read the body from stdin", e))?;
            Ok(text)
        }
        (None, Some(path)) => {
            std::fs::read_to_string(&path).map_err(|e| Failure::io(&format!("cannot read {}", path.display()), e))
        }
        (None, None) => Err(Failure::usage("give --body TEXT or --body-file PATH", "--body-file - reads stdin")),
    }
}

fn show_board(session: &Session, board: &Board, headline: &str) -> Result<(), Failure> {
    let block = Block::new()
        .line("id", board.id.to_string())
        .line("slug", board.slug.clone())
        .line("title", board.title.clone())
        .line("language", board.language.clone())
        .line("audience", board.audience.to_string())
        .line("moderation", board.moderation.to_string())
        .line("position", board.position.to_string())
        .line("archived", if board.archived { "yes" } else { "no" })
        .line("description", or_dash(Some(&board.description)));
    session.out.record(board, Some(headline), &block);
    Ok(())
}

fn show_thread(session: &Session, thread: &Thread, headline: &str) -> Result<(), Failure> {
    session.out.record(thread, Some(headline), &thread_block(thread));
    Ok(())
}

fn show_posted(session: &Session, posted: &Posted, headline: &str) -> Result<(), Failure> {
    if session.out.json {
        session.out.json(posted);
        return Ok(());
    }
    outln!("{headline}");
    if let Some(reason) = &posted.held {
        outln!("waiting for a moderator: {reason}");
    }
    for signpost in &posted.signposts {
        outln!("{}", signpost_line(signpost));
    }
    out!("{}", post_block(&posted.post).render());
    Ok(())
}

fn show_thread_page(session: &Session, page: &ThreadPage) -> Result<(), Failure> {
    if session.out.json {
        let listing = Listing::new(&page.posts, page.next_cursor.as_deref()).with("thread", &page.thread);
        session.out.json(&listing);
        return Ok(());
    }
    out!("{}", thread_block(&page.thread).render());
    for post in &page.posts {
        outln!();
        outln!("{}", post_heading(post));
        for line in shown_body(post).lines() {
            outln!("    {line}");
        }
    }
    if let Some(cursor) = &page.next_cursor {
        outln!("\nnext page: --cursor {cursor}");
    }
    Ok(())
}

fn history(session: &Session, versions: &[Revision]) -> Result<(), Failure> {
    if session.out.json {
        session.out.list_json(versions);
        return Ok(());
    }
    for version in versions {
        outln!("version {} — {}", version.number, when(version.saved_at));
        for line in markup::plain_text(&version.body).lines() {
            outln!("    {line}");
        }
    }
    Ok(())
}

fn board_row(o: &BoardOverview) -> Vec<String> {
    let title = if o.board.archived { format!("{} [archived]", o.board.title) } else { o.board.title.clone() };
    vec![
        o.board.id.to_string(),
        o.board.slug.clone(),
        title,
        o.board.language.clone(),
        o.board.audience.to_string(),
        o.threads.to_string(),
        o.posts.to_string(),
        o.unread_threads.map_or_else(|| "-".into(), |n| n.to_string()),
    ]
}

fn thread_row(t: &Thread) -> Vec<String> {
    let mut title = t.title.clone();
    if t.pinned {
        title = format!("[pinned] {title}");
    }
    if t.locked {
        title.push_str(" [locked]");
    }
    vec![
        t.id.to_string(),
        title,
        t.author.name.clone(),
        t.reply_count.to_string(),
        t.views.to_string(),
        t.unread.map_or_else(|| "-".into(), |n| n.to_string()),
        when(t.last_activity),
    ]
}

fn thread_block(t: &Thread) -> Block {
    let mut flags = vec![t.state.to_string()];
    if t.pinned {
        flags.push("pinned".into());
    }
    if t.locked {
        flags.push("locked".into());
    }
    Block::new()
        .line("thread", format!("{} — {}", t.id, t.title))
        .line("board", t.board.to_string())
        .line("by", t.author.name.clone())
        .line("state", flags.join(", "))
        .line("tags", if t.tags.is_empty() { "-".into() } else { t.tags.join(", ") })
        .line("replies", t.reply_count.to_string())
        .line("views", t.views.to_string())
        .line("unread", t.unread.map_or_else(|| "-".into(), |n| n.to_string()))
        .line("last activity", when(t.last_activity))
}

fn post_block(p: &Post) -> Block {
    Block::new()
        .line("post", p.id.to_string())
        .line("thread", p.thread.to_string())
        .line("by", p.author.name.clone())
        .line("state", if p.deleted { "deleted by the author".into() } else { p.state.to_string() })
        .line("reply to", p.reply_to.map_or_else(|| "-".into(), |r| r.to_string()))
        .line("written", when(p.created_at))
        .line("edited", p.edited_at.map_or_else(|| "-".into(), when))
        .line("text", or_dash(Some(&p.excerpt)))
}

fn post_heading(p: &Post) -> String {
    let mut heading = format!("#{} post {} by {} — {}", p.seq, p.id, p.author.name, when(p.created_at));
    if let Some(to) = p.reply_to {
        heading.push_str(&format!(" (reply to {to})"));
    }
    if p.edited_at.is_some() {
        heading.push_str(" [edited]");
    }
    if p.state != trialog_core::ContentState::Visible {
        heading.push_str(&format!(" [{}]", p.state));
    }
    heading
}

/// The body as plain text, quotes marked with "> ".
fn shown_body(p: &Post) -> String {
    if p.deleted && p.body.is_empty() {
        return "(deleted by the author)".into();
    }
    if p.body.is_empty() {
        return format!("({})", p.state);
    }
    p.body.clone()
}

fn hit_row(hit: &ForumHit) -> Vec<String> {
    let marked = |parts: &[trialog_core::forums::Fragment]| -> String {
        parts.iter().map(|f| if f.matched { format!("*{}*", f.text) } else { f.text.clone() }).collect()
    };
    vec![
        hit.post.to_string(),
        hit.thread.to_string(),
        marked(&hit.title),
        hit.author.name.clone(),
        marked(&hit.snippet).split_whitespace().collect::<Vec<_>>().join(" "),
    ]
}

fn stats_row(row: &ReaderStats) -> Vec<String> {
    vec![
        row.period.clone(),
        row.board.map_or_else(|| "all".into(), |b| b.to_string()),
        row.views.to_string(),
        row.readers.map_or_else(|| "withheld".into(), |n| n.to_string()),
    ]
}

fn queue_row(item: &QueueItem) -> Vec<String> {
    vec![
        item.post.id.to_string(),
        format!("{} {}", item.post.thread, item.thread_title),
        if item.new_thread { "new thread" } else { "reply" }.into(),
        item.post.author.name.clone(),
        when(item.post.created_at),
        item.reason.clone(),
        item.post.excerpt.clone(),
    ]
}

fn signpost_line(s: &Signpost) -> String {
    let mut line = format!("help: {} — {}", s.title, s.detail);
    for extra in [&s.contact, &s.url].into_iter().flatten() {
        line.push_str(&format!(" ({extra})"));
    }
    line
}

fn list<T: ToString>(ids: &[T]) -> String {
    if ids.is_empty() { "-".into() } else { ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ") }
}
