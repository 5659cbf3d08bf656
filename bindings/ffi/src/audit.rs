//! Reading the audit log through [`Platform`].

use trialog_core::{AuditFilter, AuditPage, Error, PageRequest};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Audit entries, newest first, filtered, one page at a time (admins and the operator).
    #[uniffi::method(default(filter), default(page))]
    pub fn audit_log(&self, filter: AuditFilter, page: PageRequest) -> Result<AuditPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.audit().list(actor, &filter, &page)
        })
    }
}
