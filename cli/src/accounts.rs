//! `trialog account ...`: create, list, show and edit accounts; grant and revoke roles;
//! silence, suspend, ban and reinstate; set passwords.

use std::io::{self, BufRead, IsTerminal};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde_json::json;
use trialog_core::{
    Account, AccountFilter, AccountStatus, AccountUpdate, Error, NewAccount, Perspective, Restriction, Role, RoleKind,
    StatusKind, Timestamp,
};

use crate::args::{
    AccountAdd, AccountCommand, AccountEdit, AccountList, Global, Reasoned, RoleChange, TimedRestriction,
};
use crate::failure::Failure;
use crate::orgs::page_request;
use crate::output::{Block, Output, Table, or_dash, when};
use crate::session::Session;

/// Runs one `account` command. A new password is read before the file is opened, so that no
/// other command finds the file locked while a person types.
pub fn run(global: &Global, out: Output, command: AccountCommand) -> Result<(), Failure> {
    if let AccountCommand::Passwd { account } = &command {
        let password = read_password()?;
        return passwd(&Session::open(global, out)?, account, &password);
    }
    dispatch(&Session::open(global, out)?, command)
}

fn dispatch(session: &Session, command: AccountCommand) -> Result<(), Failure> {
    match command {
        AccountCommand::Add(args) => add(session, args),
        AccountCommand::List(args) => list(session, args),
        AccountCommand::Show { account } => show(session, &account),
        AccountCommand::Edit(args) => edit(session, args),
        AccountCommand::Grant(args) => change_role(session, args, true),
        AccountCommand::Revoke(args) => change_role(session, args, false),
        AccountCommand::Silence(args) => restrict_for_a_time(session, args, |until| Restriction::Silence { until }),
        AccountCommand::Suspend(args) => restrict_for_a_time(session, args, |until| Restriction::Suspend { until }),
        AccountCommand::Ban(args) => restrict(session, &args, Restriction::Ban),
        AccountCommand::Reinstate(args) => restrict(session, &args, Restriction::Reinstate),
        AccountCommand::Passwd { account } => passwd(session, &account, &read_password()?),
        AccountCommand::Export(args) => crate::rights::export(session, args),
        AccountCommand::Erase(args) => crate::rights::erase(session, args),
    }
}

fn add(session: &Session, args: AccountAdd) -> Result<(), Failure> {
    let new = NewAccount {
        pseudonym: args.pseudonym,
        perspective: args.perspective.parse()?,
        perspective_visibility: args.perspective_visibility.parse()?,
        languages: args.languages,
        home_region: args.region,
        email: args.email,
    };
    let account = session.platform.accounts().create(&session.actor, &new)?;
    let headline = format!("created account {} ({})", account.id, account.pseudonym);
    session.out.record(&account, Some(&headline), &block(session, &account));
    Ok(())
}

fn list(session: &Session, args: AccountList) -> Result<(), Failure> {
    let filter = AccountFilter {
        role: args.role.as_deref().map(str::parse::<RoleKind>).transpose()?,
        org: args.org,
        status: args.status.as_deref().map(str::parse::<StatusKind>).transpose()?,
        perspective: args.perspective.as_deref().map(str::parse::<Perspective>).transpose()?,
        pseudonym_prefix: args.prefix,
    };
    let page = session.platform.accounts().list(&session.actor, &filter, &page_request(args.page))?;
    let mut table = Table::new(&["ID", "PSEUDONYM", "PERSPECTIVE", "ROLES", "STATUS", "REGION", "LANGUAGES"]);
    for account in &page.items {
        table.row(vec![
            account.id.to_string(),
            account.pseudonym.clone(),
            account.perspective.to_string(),
            roles(&account.roles),
            status(account.status),
            or_dash(account.home_region.as_deref()),
            account.languages.join(","),
        ]);
    }
    session.out.page(&page.items, page.next_cursor.as_deref(), &table);
    Ok(())
}

fn show(session: &Session, address: &str) -> Result<(), Failure> {
    let account = session.account(address)?;
    session.out.record(&account, None, &block(session, &account));
    Ok(())
}

fn edit(session: &Session, args: AccountEdit) -> Result<(), Failure> {
    let id = session.account(&args.account)?.id;
    let change = AccountUpdate {
        perspective: args.perspective.as_deref().map(str::parse::<Perspective>).transpose()?,
        perspective_visibility: args.perspective_visibility.as_deref().map(str::parse).transpose()?,
        languages: args.languages,
        home_region: args.region,
        email: args.email,
    };
    let account = session.platform.accounts().update(&session.actor, id, &change)?;
    session.out.record(&account, Some(&format!("updated {}", account.pseudonym)), &block(session, &account));
    Ok(())
}

fn change_role(session: &Session, args: RoleChange, grant: bool) -> Result<(), Failure> {
    let role: Role = args.role.parse()?;
    let id = session.account(&args.account)?.id;
    let accounts = session.platform.accounts();
    let reason = args.reason.as_deref();
    let account = if grant {
        accounts.grant_role(&session.actor, id, role, reason)?
    } else {
        accounts.revoke_role(&session.actor, id, role, reason)?
    };
    let headline = match grant {
        true => format!("{} holds the role {role}", account.pseudonym),
        false => format!("{} does not hold the role {role}", account.pseudonym),
    };
    session.out.record(&account, Some(&headline), &block(session, &account));
    Ok(())
}

fn restrict_for_a_time(
    session: &Session,
    args: TimedRestriction,
    restriction: impl FnOnce(Timestamp) -> Restriction,
) -> Result<(), Failure> {
    let until = end_of(&args, session.platform.now())?;
    let reasoned = Reasoned { account: args.account, reason: args.reason };
    restrict(session, &reasoned, restriction(until))
}

fn restrict(session: &Session, args: &Reasoned, restriction: Restriction) -> Result<(), Failure> {
    let id = session.account(&args.account)?.id;
    let account = session.platform.accounts().restrict(&session.actor, id, restriction, &args.reason)?;
    let headline = format!("{} is now {}", account.pseudonym, status(account.status));
    session.out.record(&account, Some(&headline), &block(session, &account));
    Ok(())
}

fn passwd(session: &Session, address: &str, password: &str) -> Result<(), Failure> {
    let account = session.account(address)?;
    session.platform.accounts().set_password(&session.actor, account.id, password)?;
    let result = json!({ "id": account.id, "pseudonym": account.pseudonym, "password_set": true });
    let headline = format!("password set for {}", account.pseudonym);
    session.out.record(&result, Some(&headline), &Block::new());
    Ok(())
}

/// When a silence or suspension ends: `--until` (a date meaning the start of that day, UTC, or
/// an RFC 3339 time) or `--days` from now.
fn end_of(args: &TimedRestriction, now: Timestamp) -> Result<Timestamp, Failure> {
    match (&args.until, args.days) {
        (Some(text), _) => Ok(parse_until(text)?),
        (None, Some(days)) => Ok(now
            .checked_add_signed(Duration::days(days.into()))
            .ok_or_else(|| Error::invalid("days", format!("{days} days from now is out of range")))?),
        (None, None) => Err(Failure::usage("give --until DATE or --days N", "for example --days 14")),
    }
}

fn parse_until(text: &str) -> Result<Timestamp, Error> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        Error::invalid(
            "until",
            format!("'{text}' is not a date such as 2026-12-01 or a time such as 2026-12-01T18:00:00+01:00"),
        )
    })
}

/// The new password: typed twice without echo on a terminal, else the first line of stdin.
fn read_password() -> Result<String, Failure> {
    if io::stdin().is_terminal() {
        let prompt =
            |text: &str| rpassword::prompt_password(text).map_err(|e| Failure::io("cannot read the password", e));
        let first = prompt("New password: ")?;
        if prompt("Repeat it: ")? != first {
            return Err(Error::invalid("password", "the two entries differ").into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line).map_err(|e| Failure::io("cannot read the password from stdin", e))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// An account as `key: value` lines, with organisation names beside organisation-bound roles.
fn block(session: &Session, account: &Account) -> Block {
    let roles: Vec<String> = account
        .roles
        .iter()
        .map(|role| match role.org().and_then(|org| session.org_name(org)) {
            Some(name) => format!("{role} ({name})"),
            None => role.to_string(),
        })
        .collect();
    Block::new()
        .line("id", account.id.to_string())
        .line("pseudonym", account.pseudonym.clone())
        .line("perspective", account.perspective.to_string())
        .line("perspective shown to", account.perspective_visibility.to_string())
        .line("roles", roles.join(", "))
        .line("languages", or_dash(Some(&account.languages.join(", "))))
        .line("home region", or_dash(account.home_region.as_deref()))
        .line("email", or_dash(account.email.as_deref()))
        .line("status", status(account.status))
        .line("created", when(account.created_at))
        .line("updated", when(account.updated_at))
}

fn roles(roles: &[Role]) -> String {
    roles.iter().map(Role::to_string).collect::<Vec<_>>().join(",")
}

/// A status in words, with its end.
pub fn status(status: AccountStatus) -> String {
    match status {
        AccountStatus::Active => "active".into(),
        AccountStatus::Silenced { until } => format!("silenced until {}", when(until)),
        AccountStatus::Suspended { until } => format!("suspended until {}", when(until)),
        AccountStatus::Banned => "banned".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_takes_a_day_or_an_exact_time() {
        assert_eq!(parse_until("2026-12-01").unwrap().to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert_eq!(parse_until("2026-12-01T18:00:00+01:00").unwrap().to_rfc3339(), "2026-12-01T17:00:00+00:00");
        assert!(matches!(parse_until("1.12.2026"), Err(Error::InvalidInput { field, .. }) if field == "until"));
    }
}
