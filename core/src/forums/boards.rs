//! Boards: created, edited and archived by admins; listed to each person with only the boards
//! their audience admits, with sizes and unread counts.

use crate::store::WriteTxn;

use super::model::{Audience, Board, BoardId, BoardOverview, BoardUpdate, NewBoard};
use super::reading;
use super::records::{self, all_boards, board_id_by_slug, load_board, save_board};
use super::{Forums, Viewer};
use crate::accounts::Perspective;
use crate::actor::Actor;
use crate::audit;
use crate::error::{Error, Result};
use crate::orgs;
use crate::policy::{self, Action};
use crate::store::Reader;
use crate::store::next_id;
use crate::validate;

const MAX_BOARD_TITLE: usize = 100;
const MAX_DESCRIPTION: usize = 2_000;
const MAX_SLUG: usize = 60;

impl Forums<'_> {
    /// Creates a board (admins).
    pub fn create_board(&self, actor: &Actor, new: &NewBoard) -> Result<Board> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageBoards, now)?;
            let slug = slug(&new.slug)?;
            if records::board_with_slug(txn, &slug)?.is_some() {
                return Err(Error::conflict(format!("a board with the slug '{slug}' exists; choose another")));
            }
            let position = match new.position {
                Some(p) => p,
                None => all_boards(txn)?.iter().map(|b| b.position.saturating_add(1)).max().unwrap_or(1),
            };
            let board = Board {
                id: BoardId(next_id(txn, "forum_boards")?),
                slug,
                title: validate::required_line("title", &new.title, MAX_BOARD_TITLE)?,
                description: description(&new.description)?,
                language: language(&new.language)?,
                position,
                audience: audience(txn, &new.audience)?,
                moderation: new.moderation,
                archived: false,
                created_at: now,
                updated_at: now,
            };
            save_board(txn, &board)?;
            records::put_board_slug(txn, &board.slug, board.id)?;
            audit::append(txn, now, actor, "forum.board.create", &target(board.id), Some(&board.slug))?;
            Ok(board)
        })
    }

    /// Changes a board's title, description, language, position, audience or moderation (admins).
    pub fn update_board(&self, actor: &Actor, id: BoardId, change: &BoardUpdate) -> Result<Board> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageBoards, now)?;
            let mut board = load_board(txn, id)?;
            apply(txn, &mut board, change)?;
            board.updated_at = now;
            save_board(txn, &board)?;
            audit::append(txn, now, actor, "forum.board.update", &target(id), None)?;
            Ok(board)
        })
    }

    /// Archives a board (read-only from now on) or takes it out of the archive (admins).
    pub fn archive_board(&self, actor: &Actor, id: BoardId, archived: bool) -> Result<Board> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageBoards, now)?;
            let mut board = load_board(txn, id)?;
            if board.archived == archived {
                return Ok(board);
            }
            board.archived = archived;
            board.updated_at = now;
            save_board(txn, &board)?;
            let action = if archived { "forum.board.archive" } else { "forum.board.unarchive" };
            audit::append(txn, now, actor, action, &target(id), None)?;
            Ok(board)
        })
    }

    /// One board, if the actor is in its audience.
    pub fn board(&self, actor: &Actor, id: BoardId) -> Result<Board> {
        self.ctx.read(actor, |txn, subject, now| {
            let board = load_board(txn, id)?;
            policy::check(subject, Action::ReadBoard { board: board.access() }, now)?;
            Ok(board)
        })
    }

    /// The board with this slug (in any case), if the actor is in its audience.
    pub fn board_by_slug(&self, actor: &Actor, slug: &str) -> Result<Board> {
        self.ctx.read(actor, |txn, subject, now| {
            let board = load_board(txn, board_id_by_slug(txn, slug)?)?;
            policy::check(subject, Action::ReadBoard { board: board.access() }, now)?;
            Ok(board)
        })
    }

    /// The boards the actor may read, in list order, with their sizes and — for an account —
    /// how many threads have unread posts and whether it watches the board. Archived boards
    /// are listed too (they are marked).
    pub fn boards(&self, actor: &Actor) -> Result<Vec<BoardOverview>> {
        self.ctx.read(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let counts = records::board_counts(txn)?;
            let watched = records::watched_boards(txn)?;
            let mut out = Vec::new();
            for board in all_boards(txn)? {
                if !policy::allows(subject, Action::ReadBoard { board: board.access() }, now) {
                    continue;
                }
                let (threads, posts) = counts.of(board.id)?;
                let (unread_threads, watching) = match viewer.account {
                    Some(me) => {
                        (Some(reading::unread_threads_in(txn, subject, me, board.id)?), watched.has(me, board.id)?)
                    }
                    None => (None, false),
                };
                out.push(BoardOverview { board, threads, posts, unread_threads, watching });
            }
            Ok(out)
        })
    }
}

/// Loads a board and checks that the subject may read it.
pub(crate) fn readable(txn: &impl Reader, viewer: &Viewer<'_>, id: BoardId) -> Result<Board> {
    let board = load_board(txn, id)?;
    policy::check(viewer.subject, Action::ReadBoard { board: board.access() }, viewer.now)?;
    Ok(board)
}

fn apply(txn: &WriteTxn, board: &mut Board, change: &BoardUpdate) -> Result<()> {
    if let Some(title) = &change.title {
        board.title = validate::required_line("title", title, MAX_BOARD_TITLE)?;
    }
    if let Some(text) = &change.description {
        board.description = description(text)?;
    }
    if let Some(code) = &change.language {
        board.language = language(code)?;
    }
    if let Some(position) = change.position {
        board.position = position;
    }
    if let Some(new) = &change.audience {
        board.audience = audience(txn, new)?;
    }
    if let Some(mode) = change.moderation {
        board.moderation = mode;
    }
    Ok(())
}

/// A slug: 2 to 60 lower-case letters, digits and single hyphens inside.
fn slug(value: &str) -> Result<String> {
    let slug = value.trim().to_ascii_lowercase();
    let fine = (2..=MAX_SLUG).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if !fine {
        return Err(Error::invalid(
            "slug",
            format!(
                "'{value}' is not 2 to {MAX_SLUG} letters a-z, digits and single hyphens, such as ausbildung-ex-in"
            ),
        ));
    }
    Ok(slug)
}

fn description(text: &str) -> Result<String> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    validate::required_text("description", text, MAX_DESCRIPTION)
}

fn language(code: &str) -> Result<String> {
    let mut codes = validate::languages("language", &[code.to_string()])?;
    codes.pop().ok_or_else(|| Error::invalid("language", "name the board's language, such as de or da"))
}

fn audience(txn: &impl Reader, audience: &Audience) -> Result<Audience> {
    match audience {
        Audience::Perspectives { perspectives } => {
            let mut clean: Vec<Perspective> = Vec::new();
            for p in perspectives {
                if !clean.contains(p) {
                    clean.push(*p);
                }
            }
            if clean.is_empty() {
                return Err(Error::invalid("audience", "name at least one perspective, such as relative"));
            }
            Ok(Audience::Perspectives { perspectives: clean })
        }
        Audience::Organisation { org } => {
            orgs::require_exists(txn, *org)?;
            Ok(audience.clone())
        }
        other => Ok(other.clone()),
    }
}

fn target(id: BoardId) -> String {
    format!("board:{id}")
}

/// Shorthand used by sibling modules for the "board is archived" refusal.
pub(crate) fn require_open(board: &Board) -> Result<()> {
    if board.archived {
        return Err(Error::conflict(format!("the board '{}' is archived; it takes no new posts", board.slug)));
    }
    Ok(())
}
