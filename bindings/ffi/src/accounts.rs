//! Account operations on [`Platform`].

use trialog_core::{
    Account, AccountFilter, AccountId, AccountPage, AccountUpdate, Error, NewAccount, PageRequest, Restriction, Role,
};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Creates an account with the `Member` role. An anonymous handle signs itself up; admins
    /// and the operator may create accounts for others.
    ///
    /// Throws `InvalidInput` (with `field`, such as `"pseudonym"`) for a bad value and
    /// `Conflict` when the pseudonym is taken, ignoring case.
    pub fn create_account(&self, new: NewAccount) -> Result<Account, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().create(actor, &new)
        })
    }

    /// One account. The e-mail address is left out unless the actor is its owner or an admin.
    pub fn account(&self, id: AccountId) -> Result<Account, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().get(actor, id)
        })
    }

    /// The account with this pseudonym, ignoring case and Unicode form.
    pub fn account_by_pseudonym(&self, pseudonym: String) -> Result<Account, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().find_by_pseudonym(actor, &pseudonym)
        })
    }

    /// Accounts in id order, filtered, one page at a time (moderators and admins).
    #[uniffi::method(default(filter), default(page))]
    pub fn list_accounts(&self, filter: AccountFilter, page: PageRequest) -> Result<AccountPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().list(actor, &filter, &page)
        })
    }

    /// Changes an account's own details (the owner or an admin). Absent fields stay; an empty
    /// string clears `homeRegion` or `email`.
    pub fn update_account(&self, id: AccountId, change: AccountUpdate) -> Result<Account, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().update(actor, id, &change)
        })
    }

    /// Gives an account a role; granting a role it already has changes nothing.
    #[uniffi::method(default(reason = None))]
    pub fn grant_role(&self, id: AccountId, role: Role, reason: Option<String>) -> Result<Account, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().grant_role(actor, id, role, reason.as_deref())
        })
    }

    /// Takes a role away; revoking a role the account does not have changes nothing.
    #[uniffi::method(default(reason = None))]
    pub fn revoke_role(&self, id: AccountId, role: Role, reason: Option<String>) -> Result<Account, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().revoke_role(actor, id, role, reason.as_deref())
        })
    }

    /// Silences, suspends, bans or reinstates an account (moderators and admins). The reason is
    /// required: it is logged and will be shown to the person.
    pub fn restrict_account(&self, id: AccountId, restriction: Restriction, reason: String) -> Result<Account, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().restrict(actor, id, restriction, &reason)
        })
    }

    /// Sets an account's password (its owner, an admin or the operator); clears any sign-in
    /// throttle.
    pub fn set_password(&self, id: AccountId, password: String) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.accounts().set_password(actor, id, &password)
        })
    }
}
