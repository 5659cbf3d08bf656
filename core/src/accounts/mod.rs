//! Pseudonymous accounts: sign-up, profiles, roles, restrictions and passwords.
//!
//! ```
//! use trialog_core::{Actor, NewAccount, Perspective, Platform};
//! let platform = Platform::in_memory()?;
//! let kim = platform.accounts().create(&Actor::Anonymous, &NewAccount {
//!     pseudonym: "Kim_aus_Jena".into(),
//!     perspective: Perspective::LivedExperience,
//!     languages: vec!["de".into()],
//!     ..Default::default()
//! })?;
//! let found = platform.accounts().find_by_pseudonym(&Actor::account(kim.id), "kim_AUS_jena")?;
//! assert_eq!(found.id, kim.id);
//! # Ok::<(), trialog_core::Error>(())
//! ```

pub(crate) mod credentials;
mod migrations;
pub(crate) mod records;
use crate::model::account as model;
mod pseudonym;
pub(crate) mod tables;

use crate::store::WriteTxn;

pub(crate) use crate::model::named_enum;
use credentials::Credential;
pub use credentials::{FREE_ATTEMPTS, MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
pub use model::{
    Account, AccountFilter, AccountId, AccountStatus, AccountUpdate, NewAccount, Perspective, PerspectiveVisibility,
    Restriction, Role, RoleKind, StatusKind,
};
pub use pseudonym::{
    MAX_LEN as MAX_PSEUDONYM_LEN, MIN_LEN as MIN_PSEUDONYM_LEN, is_reserved as pseudonym_is_reserved, pseudonym_key,
};

use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::page::{AccountPage, PageRequest};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};
use crate::validate;

/// Account operations, borrowed from a [`crate::Platform`].
pub struct Accounts<'p> {
    pub(crate) ctx: &'p Context,
}

impl Accounts<'_> {
    /// Creates an account with the `member` role. Anonymous actors may sign themselves up;
    /// admins and the operator may create accounts for others (logged in the audit).
    pub fn create(&self, actor: &Actor, new: &NewAccount) -> Result<Account> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::CreateAccount, now)?;
            let account = insert(txn, new, now)?;
            if !matches!(subject, Subject::Anonymous) {
                audit::append(txn, now, actor, "account.create", &target(account.id), None)?;
            }
            Ok(account)
        })
    }

    /// Signs up: a new account and its password in one transaction, for hosts where nobody
    /// else sets the newcomer's password (the server's `/v1/auth/sign_up`). The password is
    /// checked and hashed before anything is written, so a refused password leaves no account
    /// behind without one.
    pub fn sign_up(&self, actor: &Actor, new: &NewAccount, password: &str) -> Result<Account> {
        let credential = Credential::new(password, self.ctx.now())?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::CreateAccount, now)?;
            let account = insert(txn, new, now)?;
            records::save_credential(txn, account.id, &credential)?;
            if !matches!(subject, Subject::Anonymous) {
                audit::append(txn, now, actor, "account.create", &target(account.id), None)?;
            }
            Ok(account)
        })
    }

    /// One account; the e-mail address is left out unless the actor is its owner or an admin.
    pub fn get(&self, actor: &Actor, id: AccountId) -> Result<Account> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewAccount, now)?;
            Ok(shown_to(subject, load(txn, id)?, now))
        })
    }

    /// The account with this pseudonym, ignoring case and Unicode form.
    pub fn find_by_pseudonym(&self, actor: &Actor, pseudonym: &str) -> Result<Account> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewAccount, now)?;
            let id = id_of(txn, pseudonym)?.ok_or_else(|| Error::not_found("account", pseudonym))?;
            Ok(shown_to(subject, load(txn, id)?, now))
        })
    }

    /// Accounts in id order, filtered, one page at a time (moderators and admins).
    pub fn list(&self, actor: &Actor, filter: &AccountFilter, page: &PageRequest) -> Result<AccountPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ListAccounts, now)?;
            let limit = page.limit()?;
            let start = AccountId(page.first_id()?);
            let prefix = filter.pseudonym_prefix.as_deref().map(pseudonym_key);
            let mut items: Vec<Account> = Vec::new();
            let mut more = false;
            records::visit_from(txn, start, |account| {
                // Filtered as shown, so a filter cannot find out what the viewer may not see.
                let account = shown_to(subject, account, now);
                if !matches(&account, filter, prefix.as_deref(), now) {
                    return Ok(true);
                }
                if items.len() == limit {
                    more = true;
                    return Ok(false);
                }
                items.push(account);
                Ok(true)
            })?;
            let last = if more { items.last().map(|a| a.id.0) } else { None };
            Ok(AccountPage::new(items, last))
        })
    }

    /// Changes an account's own details (the owner or an admin).
    pub fn update(&self, actor: &Actor, id: AccountId, change: &AccountUpdate) -> Result<Account> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::EditAccount { account: id }, now)?;
            let mut account = load(txn, id)?;
            apply(&mut account, change)?;
            account.updated_at = now;
            save(txn, &account)?;
            if subject.account().is_none_or(|me| me.id != id) {
                audit::append(txn, now, actor, "account.update", &target(id), None)?;
            }
            Ok(account)
        })
    }

    /// Silences, suspends, bans or reinstates an account. A reason is required: it is logged
    /// and will be shown to the person.
    pub fn restrict(&self, actor: &Actor, id: AccountId, restriction: Restriction, reason: &str) -> Result<Account> {
        self.ctx.write(actor, |txn, subject, now| {
            let account = load(txn, id)?;
            policy::check(subject, Action::Restrict { target: &account }, now)?;
            let reason = validate::required_line("reason", reason, 500)?;
            let account = restrict_in(txn, &account, restriction, None, now)?;
            let action = match restriction {
                Restriction::Silence { .. } => "account.silence",
                Restriction::Suspend { .. } => "account.suspend",
                Restriction::Ban => "account.ban",
                Restriction::Reinstate => "account.reinstate",
            };
            audit::append(txn, now, actor, action, &target(id), Some(&reason))?;
            Ok(account)
        })
    }

    /// Sets a password (the owner, an admin, or the operator). Clears any sign-in throttle.
    pub fn set_password(&self, actor: &Actor, id: AccountId, password: &str) -> Result<()> {
        let now = self.ctx.now();
        let credential = Credential::new(password, now)?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::SetPassword { account: id }, now)?;
            load(txn, id)?;
            records::save_credential(txn, id, &credential)?;
            if subject.account().is_none_or(|me| me.id != id) {
                audit::append(txn, now, actor, "account.password.reset", &target(id), None)?;
            }
            Ok(())
        })
    }

    /// Signs in: returns the account when pseudonym and password match and the account may act.
    ///
    /// A wrong pseudonym and a wrong password give the same error after the same time. After
    /// five failures in a row the account is throttled (`RateLimited`) for 30 s, doubling up to
    /// 15 minutes.
    pub fn authenticate(&self, pseudonym: &str, password: &str) -> Result<Account> {
        let wrong = || Error::denied("sign in", "the pseudonym or password is wrong");
        let now = self.ctx.now();
        let found = {
            let txn = self.ctx.store().read()?;
            match id_of(&txn, pseudonym)? {
                Some(id) => load_credential(&txn, id)?.map(|c| (id, c)),
                None => None,
            }
        };
        let Some((id, credential)) = found else {
            credentials::waste_equal_time(password);
            return Err(wrong());
        };
        if let Some(secs) = credential.throttle.throttled_for(now) {
            return Err(Error::RateLimited { retry_after_secs: secs });
        }
        let right = credential.verify(password)?;
        let account = self.ctx.store().write(|txn| record_attempt(txn, id, right, now))?;
        if !right {
            return Err(wrong());
        }
        if let Some(why) = account.status.blocks_everything(now) {
            return Err(Error::denied("sign in", why));
        }
        Ok(account)
    }
}

/// Adds the rows [`load`] reads to `ahead` (one round trip with the others on PostgreSQL).
pub(crate) fn read_ahead(ahead: crate::store::Ahead, id: AccountId) -> crate::store::Ahead {
    records::read_ahead(ahead, id)
}

/// Loads an account inside any transaction; `NotFound` when it does not exist.
pub(crate) fn load(txn: &impl Reader, id: AccountId) -> Result<Account> {
    records::load(txn, id)
}

/// Loads an account for its erasure: an e-mail whose key is destroyed already reads as none
/// (see [`records::load_for_erasure`]).
pub(crate) fn load_for_erasure(txn: &impl Reader, id: AccountId) -> Result<Account> {
    records::load_for_erasure(txn, id)
}

/// Changes an account's status inside the caller's transaction, which has checked the policy
/// and writes the audit entry (a moderator restricting the author of a post).
///
/// `through` names the anonymous content the restriction came through: it is then kept from
/// everyone but the account and admins, and `updated_at` stays as it was, so that neither the
/// status nor the time of the change ties the account to the content.
pub(crate) fn restrict_in(
    txn: &WriteTxn,
    account: &Account,
    restriction: Restriction,
    through: Option<String>,
    now: Timestamp,
) -> Result<Account> {
    let mut account = account.clone();
    account.status = status_after(restriction, now)?;
    if through.is_none() && account.restricted_through.is_none() {
        account.updated_at = now;
    }
    account.restricted_through = through.filter(|_| restriction != Restriction::Reinstate);
    save(txn, &account)?;
    Ok(account)
}

/// Restricts the author of a thread or post (`content`, such as `post:12`) inside a moderator's
/// transaction. Anonymous content is decided by [`Action::RestrictAnonymousAuthor`], which
/// does not depend on who the author is, and the restriction is hidden from everyone but the
/// author and admins; for content under a pseudonym the usual rule applies.
pub(crate) fn restrict_author_in(
    txn: &WriteTxn,
    subject: &Subject,
    author: AccountId,
    anonymous: bool,
    content: &str,
    restriction: Restriction,
    now: Timestamp,
) -> Result<Account> {
    let account = load(txn, author)?;
    let action =
        if anonymous { Action::RestrictAnonymousAuthor { author } } else { Action::Restrict { target: &account } };
    policy::check(subject, action, now).map_err(|refusal| match refusal {
        Error::PermissionDenied { reason, .. } => Error::denied(format!("restrict the author of {content}"), reason),
        other => other,
    })?;
    restrict_in(txn, &account, restriction, anonymous.then(|| content.to_string()), now)
}

/// Adds a role inside the caller's transaction (an organisation's creator becomes its staff).
pub(crate) fn add_role(txn: &WriteTxn, id: AccountId, role: Role, now: Timestamp) -> Result<()> {
    let mut account = load(txn, id)?;
    if !account.has_role(&role) {
        account.roles.push(role);
        account.updated_at = now;
        save(txn, &account)?;
    }
    Ok(())
}

/// Every account holding `role`, in id order (a full scan: for rare notices to an
/// organisation's staff).
pub(crate) fn holders_of(txn: &impl Reader, role: Role) -> Result<Vec<AccountId>> {
    let mut out = Vec::new();
    records::visit_from(txn, AccountId(0), |account| {
        if account.has_role(&role) {
            out.push(account.id);
        }
        Ok(true)
    })?;
    Ok(out)
}

fn insert(txn: &WriteTxn, new: &NewAccount, now: Timestamp) -> Result<Account> {
    let pseudonym = pseudonym::validate(&new.pseudonym)?;
    if records::id_of_pseudonym(txn, &pseudonym)?.is_some() {
        return Err(Error::conflict(format!("the pseudonym '{pseudonym}' is taken; choose another")));
    }
    // Every field is checked before an id is drawn: on PostgreSQL a sequence advances outside
    // the transaction, so an id drawn by a refused sign-up would stay a gap.
    let languages = validate::languages("languages", &new.languages)?;
    let home_region = new.home_region.as_deref().map(|r| validate::region("home_region", r)).transpose()?;
    let email =
        new.email.as_deref().filter(|e| !e.trim().is_empty()).map(|e| validate::email("email", e)).transpose()?;
    let account = Account {
        id: AccountId(next_id(txn, "accounts")?),
        pseudonym,
        perspective: new.perspective,
        perspective_visibility: new.perspective_visibility,
        roles: vec![Role::Member],
        languages,
        home_region,
        email,
        status: AccountStatus::Active,
        restricted_through: None,
        created_at: now,
        updated_at: now,
    };
    records::file_pseudonym(txn, &account.pseudonym, account.id)?;
    save(txn, &account)?;
    Ok(account)
}

fn apply(account: &mut Account, change: &AccountUpdate) -> Result<()> {
    if let Some(p) = change.perspective {
        account.perspective = p;
    }
    if let Some(v) = change.perspective_visibility {
        account.perspective_visibility = v;
    }
    if let Some(langs) = &change.languages {
        account.languages = validate::languages("languages", langs)?;
    }
    if let Some(region) = &change.home_region {
        account.home_region =
            (!region.trim().is_empty()).then(|| validate::region("home_region", region)).transpose()?;
    }
    if let Some(email) = &change.email {
        account.email = (!email.trim().is_empty()).then(|| validate::email("email", email)).transpose()?;
    }
    Ok(())
}

fn status_after(restriction: Restriction, now: Timestamp) -> Result<AccountStatus> {
    let future = |until: Timestamp| {
        if until <= now { Err(Error::invalid("until", format!("{until} is not in the future"))) } else { Ok(until) }
    };
    Ok(match restriction {
        Restriction::Silence { until } => AccountStatus::Silenced { until: future(until)? },
        Restriction::Suspend { until } => AccountStatus::Suspended { until: future(until)? },
        Restriction::Ban => AccountStatus::Banned,
        Restriction::Reinstate => AccountStatus::Active,
    })
}

fn record_attempt(txn: &WriteTxn, id: AccountId, right: bool, now: Timestamp) -> Result<Account> {
    let mut credential = load_credential(txn, id)?.ok_or_else(|| Error::not_found("password of account", id))?;
    if right {
        let same_day = credential.last_sign_in.is_some_and(|t| t.date_naive() == now.date_naive());
        if credential.throttle.failed_attempts == 0 && same_day {
            return load(txn, id);
        }
        credential.throttle.record_success();
        credential.last_sign_in = Some(now);
    } else {
        credential.throttle.record_failure(now);
    }
    records::save_credential(txn, id, &credential)?;
    load(txn, id)
}

fn load_credential(txn: &impl Reader, id: AccountId) -> Result<Option<Credential>> {
    records::load_credential(txn, id)
}

fn id_of(txn: &impl Reader, pseudonym: &str) -> Result<Option<AccountId>> {
    records::id_of_pseudonym(txn, pseudonym)
}

pub(crate) fn save(txn: &WriteTxn, account: &Account) -> Result<()> {
    records::save(txn, account)
}

fn matches(account: &Account, filter: &AccountFilter, prefix_key: Option<&str>, now: Timestamp) -> bool {
    filter.role.is_none_or(|kind| {
        account.roles.iter().any(|r| r.kind() == kind && filter.org.is_none_or(|o| r.org() == Some(o)))
    }) && filter.org.is_none_or(|o| account.roles.iter().any(|r| r.org() == Some(o)))
        && filter.status.is_none_or(|s| account.status.kind(now) == s)
        && filter.perspective.is_none_or(|p| account.perspective == p)
        && prefix_key.is_none_or(|p| pseudonym_key(&account.pseudonym).starts_with(p))
}

/// Redacts what the viewer may not see and shows the status as it stands now.
fn shown_to(subject: &Subject, mut account: Account, now: Timestamp) -> Account {
    if !policy::allows(subject, Action::ViewPrivateDetails { account: account.id }, now) {
        account.email = None;
        if account.restricted_through.take().is_some() {
            account.status = AccountStatus::Active;
        }
    }
    let visibility = account.perspective_visibility;
    if !policy::allows(subject, Action::ViewPerspective { account: account.id, visibility }, now) {
        account.perspective = Perspective::Undisclosed;
    }
    account.status = account.status.effective(now);
    account
}

pub(crate) fn target(id: AccountId) -> String {
    format!("account:{id}")
}

/// Registration of the accounts domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "accounts",
    tick: crate::store::Domain::nothing_due,
    personal: Some(records::PERSONAL),
    tables: tables::TABLES,
    migrate: migrations::migrate,
    check: |txn, found| {
        let n = records::check_integrity(txn, &mut found.problems)?;
        found.count("accounts", n);
        Ok(())
    },
    figures: None,
};
