//! `trialog account export|erase` and `trialog retention …`: the person's rights (GDPR Art.
//! 15, 17, 20) and the retention of inactive accounts.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use trialog_core::{PostFate, RetentionSettings};

use crate::failure::Failure;
use crate::output::{Block, Table};
use crate::session::Session;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Pseudonym or id of the account (your own, or any as an admin).
    pub account: String,
    /// The zip archive to write (created with mode 0600; an existing file is not overwritten).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// Pseudonym or id of the account to erase.
    pub account: String,
    /// Why (kept in the audit log; must not name the person).
    #[arg(long)]
    pub reason: String,
    /// What happens to the posts: keep_as_former_member or delete (default: the platform's rule,
    /// see `trialog retention show`).
    #[arg(long)]
    pub posts: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Show the retention rule for inactive accounts (admins).
    Show,
    /// Set the rule: erase accounts inactive for MONTHS, after a warning and DAYS of grace.
    Set {
        /// Months without sign-in or change before the warning (1–240).
        #[arg(long, conflicts_with = "off")]
        inactive_months: Option<u32>,
        /// Days between the warning and the erasure (1–365; default 30).
        #[arg(long, default_value_t = 30)]
        grace_days: u32,
        /// What happens to erased accounts' posts: keep_as_former_member (default) or delete.
        #[arg(long, default_value = "keep_as_former_member")]
        posts: String,
        /// Turn retention off (the default of a new platform).
        #[arg(long)]
        off: bool,
    },
    /// Accounts warned for inactivity and when they will be erased (admins).
    Warnings,
}

pub fn export(session: &Session, args: ExportArgs) -> Result<(), Failure> {
    let id = session.account(&args.account)?.id;
    let report = session.platform.rights().export(&session.actor, id, &args.out)?;
    let headline = format!("wrote {} ({} bytes, {} files)", report.path, report.bytes, report.files.len() + 1);
    let mut block = Block::new();
    for file in &report.files {
        block = block.line(&file.name, format!("{} records", file.records));
    }
    session.out.record(&report, Some(&headline), &block);
    Ok(())
}

pub fn erase(session: &Session, args: EraseArgs) -> Result<(), Failure> {
    let id = session.account(&args.account)?.id;
    let posts = args.posts.as_deref().map(str::parse::<PostFate>).transpose()?;
    let report = session.platform.rights().erase(&session.actor, id, posts, &args.reason)?;
    let headline = format!("erased account {id} (posts: {}); run `trialog compact` to clear freed pages", report.posts);
    let mut block = Block::new();
    for count in &report.erased {
        block = block.line(&count.what, count.count.to_string());
    }
    session.out.record(&report, Some(&headline), &block);
    Ok(())
}

pub fn retention(session: &Session, command: RetentionCommand) -> Result<(), Failure> {
    let rights = session.platform.rights();
    match command {
        RetentionCommand::Show => show(session, &rights.retention(&session.actor)?),
        RetentionCommand::Set { inactive_months, grace_days, posts, off } => {
            let rule = RetentionSettings {
                inactive_months: if off { None } else { inactive_months },
                grace_days,
                posts: posts.parse()?,
            };
            show(session, &rights.set_retention(&session.actor, &rule)?)
        }
        RetentionCommand::Warnings => {
            let warnings = rights.warnings(&session.actor)?;
            let mut table = Table::new(&["ACCOUNT", "WARNED", "ERASE AT"]);
            for w in &warnings {
                table.row(vec![
                    w.account.to_string(),
                    w.warned_at.format("%Y-%m-%d").to_string(),
                    w.erase_at.format("%Y-%m-%d").to_string(),
                ]);
            }
            session.out.page(&warnings, None, &table);
            Ok(())
        }
    }
}

fn show(session: &Session, rule: &RetentionSettings) -> Result<(), Failure> {
    let headline = match rule.inactive_months {
        Some(months) => {
            format!("accounts inactive for {months} months are warned, then erased {} days later", rule.grace_days)
        }
        None => "retention of inactive accounts is off".to_string(),
    };
    let block = Block::new().line("posts", rule.posts.to_string());
    session.out.record(rule, Some(&headline), &block);
    Ok(())
}
