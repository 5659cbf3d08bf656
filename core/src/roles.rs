//! Granting and revoking roles. A role may name an organisation, so this sits above both
//! `accounts` and `orgs` (organisations give their creator a role, so `orgs` uses `accounts`).

use crate::accounts::{Accounts, load, save, target};
use crate::actor::Actor;
use crate::audit;
use crate::error::Result;
use crate::model::account::{Account, AccountId, Role};
use crate::orgs;
use crate::policy::{self, Action};
use crate::validate;

impl Accounts<'_> {
    /// Gives an account a role; granting a role it already has changes nothing.
    pub fn grant_role(&self, actor: &Actor, id: AccountId, role: Role, reason: Option<&str>) -> Result<Account> {
        self.change_role(actor, id, role, reason, true)
    }

    /// Takes a role away; revoking a role it does not have changes nothing.
    pub fn revoke_role(&self, actor: &Actor, id: AccountId, role: Role, reason: Option<&str>) -> Result<Account> {
        self.change_role(actor, id, role, reason, false)
    }

    fn change_role(
        &self,
        actor: &Actor,
        id: AccountId,
        role: Role,
        reason: Option<&str>,
        grant: bool,
    ) -> Result<Account> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeRole { role: &role }, now)?;
            if let Some(org) = role.org() {
                orgs::require_exists(txn, org)?;
            }
            let reason = validate::optional_line("reason", reason, 500)?;
            let mut account = load(txn, id)?;
            let had = account.has_role(&role);
            if grant && !had {
                account.roles.push(role);
            } else if !grant && had {
                account.roles.retain(|r| *r != role);
            } else {
                return Ok(account);
            }
            account.updated_at = now;
            save(txn, &account)?;
            let verb = if grant { "grant" } else { "revoke" };
            let note = format!("{verb} {role}{}", reason.map(|r| format!(": {r}")).unwrap_or_default());
            audit::append(txn, now, actor, &format!("account.role.{verb}"), &target(id), Some(&note))?;
            Ok(account)
        })
    }
}
