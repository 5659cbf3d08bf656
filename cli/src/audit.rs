//! `trialog audit list`: the audit log, newest first, with pseudonyms beside account ids.

use std::collections::HashMap;

use serde::Serialize;
use trialog_core::{AccountId, Actor, AuditEntry, AuditFilter};

use crate::args::{AuditCommand, AuditList};
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Table, or_dash, when};
use crate::session::Session;

/// An entry with the pseudonyms of the accounts it names, where the reader may see them.
#[derive(Debug, Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    entry: &'a AuditEntry,
    actor_pseudonym: Option<String>,
    target_pseudonym: Option<String>,
}

/// A page of rows, shaped like the core's pages.
#[derive(Debug, Serialize)]
struct Rows<'a> {
    items: Vec<Row<'a>>,
    next_cursor: Option<String>,
}

/// Runs one `audit` command.
pub fn run(session: &Session, command: AuditCommand) -> Result<(), Failure> {
    match command {
        AuditCommand::List(args) => list(session, args),
    }
}

fn list(session: &Session, args: AuditList) -> Result<(), Failure> {
    let target = args.target.as_deref().map(|t| target_key(session, t)).transpose()?;
    let filter = AuditFilter { action_prefix: args.action, target };
    let page = session.platform.audit().list(&session.actor, &filter, &page_request(args.page))?;
    let mut names = Pseudonyms { session, known: HashMap::new() };
    let rows = Rows {
        items: page
            .items
            .iter()
            .map(|entry| Row {
                entry,
                actor_pseudonym: account_of_actor(&entry.actor).and_then(|id| names.of(id)),
                target_pseudonym: account_of_target(&entry.target).and_then(|id| names.of(id)),
            })
            .collect(),
        next_cursor: page.next_cursor.clone(),
    };
    session.out.page(&rows.items, rows.next_cursor.as_deref(), &table(&rows.items));
    Ok(())
}

fn table(rows: &[Row<'_>]) -> Table {
    let mut table = Table::new(&["ID", "AT", "ACTOR", "ACTION", "TARGET", "REASON"]);
    for row in rows {
        let entry = row.entry;
        let actor = row.actor_pseudonym.clone().unwrap_or_else(|| entry.actor.to_string());
        let target = match &row.target_pseudonym {
            Some(name) => format!("{} {name}", entry.target),
            None => entry.target.clone(),
        };
        table.row(vec![
            entry.id.to_string(),
            when(entry.at),
            actor,
            entry.action.clone(),
            target,
            or_dash(entry.reason.as_deref()),
        ]);
    }
    table
}

/// `--target` as the log writes it: `org:4` and `account:17` stay, a pseudonym becomes `account:ID`.
fn target_key(session: &Session, target: &str) -> Result<String, Failure> {
    if target.contains(':') {
        return Ok(target.to_string());
    }
    Ok(format!("account:{}", session.account(target)?.id))
}

fn account_of_actor(actor: &Actor) -> Option<AccountId> {
    match actor {
        Actor::Account { id } => Some(*id),
        _ => None,
    }
}

fn account_of_target(target: &str) -> Option<AccountId> {
    target.strip_prefix("account:")?.parse().ok()
}

/// Pseudonyms looked up once per account.
struct Pseudonyms<'s> {
    session: &'s Session,
    known: HashMap<AccountId, Option<String>>,
}

impl Pseudonyms<'_> {
    fn of(&mut self, id: AccountId) -> Option<String> {
        self.known.entry(id).or_insert_with(|| self.session.pseudonym(id)).clone()
    }
}
