//! Organisation operations on [`Platform`].

use trialog_core::{
    Error, NewOrganisation, OrgId, Organisation, OrganisationFilter, OrganisationPage, OrganisationUpdate, PageRequest,
};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Registers an organisation, unverified. When a member registers it, they become its staff.
    pub fn create_organisation(&self, new: NewOrganisation) -> Result<Organisation, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.orgs().create(actor, &new)
        })
    }

    /// One organisation (public). Throws `NotFound` when there is none with this id.
    pub fn organisation(&self, id: OrgId) -> Result<Organisation, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.orgs().get(actor, id)
        })
    }

    /// Organisations in id order, filtered, one page at a time (public). Pass the page's
    /// `nextCursor` back in `PageRequest.cursor` for the next page.
    #[uniffi::method(default(filter), default(page))]
    pub fn list_organisations(&self, filter: OrganisationFilter, page: PageRequest) -> Result<OrganisationPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.orgs().list(actor, &filter, &page)
        })
    }

    /// Changes an organisation's details (its staff or an admin). Absent fields stay; an empty
    /// string clears `city` or `website`.
    pub fn update_organisation(&self, id: OrgId, change: OrganisationUpdate) -> Result<Organisation, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.orgs().update(actor, id, &change)
        })
    }

    /// Marks an organisation verified, or withdraws the verification (admins only). The reason
    /// goes into the audit log.
    #[uniffi::method(default(reason = None))]
    pub fn verify_organisation(
        &self,
        id: OrgId,
        verified: bool,
        reason: Option<String>,
    ) -> Result<Organisation, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.orgs().verify(actor, id, verified, reason.as_deref())
        })
    }
}
