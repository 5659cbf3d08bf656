//! Counselling on [`Platform`]: the client's side (an app opens an enquiry on an `anonymous()`
//! handle, then proves itself with case code and secret on every call) and the counsellor's
//! side (queues, claims, reading and answering cases, notes, approvals, handover, absence).
//!
//! Content needs the platform content key (`PlatformConfig.contentKey`); without it, or with
//! the wrong one, calls throw `InvalidInput(field = "content_key")`. A wrong secret or unknown
//! case code throws `PermissionDenied` either way, and `RateLimited` after repeated failures.

use trialog_core::counsel::{
    Absence, CaseView, ClientCase, ClientSent, CloseReason, CounselOffer, CounselStats, CounsellorProfile, Enquiry,
    EnquiryId, EnquiryQueuePage, Escalation, Message, MessageId, NewEnquiry, Opened, PendingReply, PurgeReport,
};
use trialog_core::{AccountId, ContentKey, Error, OrgId, PageRequest};

use crate::guard::guard;
use crate::platform::Platform;

/// A new random platform content key (32 bytes) for `PlatformConfig.contentKey`. Keep it in
/// the device's or server's key store: without it no counselling message can be read.
#[uniffi::export]
pub fn generate_content_key() -> Result<Vec<u8>, Error> {
    guard(|| Ok(ContentKey::generate()?.to_bytes().to_vec()))
}

#[uniffi::export]
impl Platform {
    /// Opens an enquiry (no account needed). Returns the case code and the secret — show the
    /// secret once and let the person keep it — and crisis lines when the text needs them.
    /// Bad fields throw `InvalidInput`: `topic`, `language`, `message`, `postcode`.
    pub fn enquire(&self, new: NewEnquiry) -> Result<Opened, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().enquire(actor, &new)
        })
    }

    /// The counselling topics to offer in an enquiry form.
    pub fn counsel_topics(&self) -> Result<Vec<String>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().topics(actor)
        })
    }

    /// The case as its client sees it; marks the counsellor's replies read.
    pub fn client_case(&self, case_code: String, secret: String) -> Result<ClientCase, Error> {
        guard(|| self.parts().0.counsel().client_case(&case_code, &secret))
    }

    /// The client writes to the counsellor; crisis lines come back when the text needs them.
    pub fn client_reply(&self, case_code: String, secret: String, text: String) -> Result<ClientSent, Error> {
        guard(|| self.parts().0.counsel().client_reply(&case_code, &secret, &text))
    }

    /// The client closes the case.
    pub fn client_close(&self, case_code: String, secret: String) -> Result<Enquiry, Error> {
        guard(|| self.parts().0.counsel().client_close(&case_code, &secret))
    }

    /// The client reopens a case closed less than 14 days ago.
    pub fn client_reopen(&self, case_code: String, secret: String) -> Result<Enquiry, Error> {
        guard(|| self.parts().0.counsel().client_reopen(&case_code, &secret))
    }

    /// The client consents to (or declines) a proposed handover.
    pub fn client_answer_handover(&self, case_code: String, secret: String, consent: bool) -> Result<Enquiry, Error> {
        guard(|| self.parts().0.counsel().client_answer_handover(&case_code, &secret, consent))
    }

    /// A page of an organisation's team queue: urgent first, then oldest.
    #[uniffi::method(default(page = None))]
    pub fn counsel_queue(&self, org: OrgId, page: Option<PageRequest>) -> Result<EnquiryQueuePage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().queue(actor, org, &page.unwrap_or_default())
        })
    }

    /// Claims an enquiry; `Conflict` when someone else was faster or it is closed.
    pub fn claim_enquiry(&self, id: EnquiryId) -> Result<Enquiry, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().claim(actor, id)
        })
    }

    /// Assigns an enquiry to a counsellor of a matching organisation (supervisors).
    pub fn assign_enquiry(&self, id: EnquiryId, counsellor: AccountId) -> Result<Enquiry, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().assign(actor, id, counsellor)
        })
    }

    /// Assigns an enquiry to the least busy free counsellor (supervisors).
    pub fn auto_assign_enquiry(&self, id: EnquiryId) -> Result<Enquiry, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().auto_assign(actor, id)
        })
    }

    /// A case's metadata, without content.
    pub fn enquiry(&self, id: EnquiryId) -> Result<Enquiry, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().enquiry(actor, id)
        })
    }

    /// The open cases this counsellor handles (their own, and those they stand in for).
    pub fn my_cases(&self) -> Result<Vec<Enquiry>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().my_cases(actor)
        })
    }

    /// A case with its conversation and notes (audited).
    pub fn counsel_case(&self, id: EnquiryId) -> Result<CaseView, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().case(actor, id)
        })
    }

    /// Answers the client (a trainee's reply waits for a supervisor).
    pub fn counsel_reply(&self, id: EnquiryId, text: String) -> Result<Message, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().reply(actor, id, &text)
        })
    }

    /// Writes an internal note the client never sees.
    pub fn counsel_note(&self, id: EnquiryId, text: String) -> Result<Message, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().note(actor, id, &text)
        })
    }

    /// Replies waiting for a supervisor of `org`.
    pub fn pending_replies(&self, org: OrgId) -> Result<Vec<PendingReply>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().pending_replies(actor, org)
        })
    }

    /// Approves a waiting reply: it is delivered now (supervisors).
    pub fn approve_reply(&self, id: EnquiryId, message_id: MessageId) -> Result<Message, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().approve(actor, id, message_id)
        })
    }

    /// Proposes handing the case to another counsellor of its organisation.
    pub fn propose_handover(&self, id: EnquiryId, to: AccountId) -> Result<Enquiry, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().propose_handover(actor, id, to)
        })
    }

    /// Closes the case.
    pub fn close_enquiry(&self, id: EnquiryId, reason: CloseReason) -> Result<Enquiry, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().close(actor, id, reason)
        })
    }

    /// Sets (or with `null` ends) a counsellor's absence and substitute.
    pub fn set_absence(&self, account: AccountId, absence: Option<Absence>) -> Result<CounsellorProfile, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().set_absence(actor, account, absence)
        })
    }

    /// Declares an organisation's counselling offer (its supervisors, admins).
    pub fn set_counsel_offer(&self, offer: CounselOffer) -> Result<CounselOffer, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().set_offer(actor, &offer)
        })
    }

    /// Sets a counsellor's capacity, training status and what clients may prefer.
    pub fn set_counsellor_profile(&self, profile: CounsellorProfile) -> Result<CounsellorProfile, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().set_profile(actor, &profile)
        })
    }

    /// Cases whose first response is overdue (all for admins, or one organisation's).
    #[uniffi::method(default(org = None))]
    pub fn overdue_enquiries(&self, org: Option<OrgId>) -> Result<Vec<Enquiry>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().overdue(actor, org)
        })
    }

    /// The SLA sweep: breaches counted, unclaimed overdue cases overflow (admins).
    pub fn escalate_overdue(&self) -> Result<Escalation, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().escalate(actor)
        })
    }

    /// A month's counselling statistics (`2026-03`); counts below 5 are null.
    pub fn counsel_stats(&self, month: String) -> Result<CounselStats, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().stats(actor, &month)
        })
    }

    /// Purges cases closed longer ago than the retention period (admins).
    pub fn purge_enquiries(&self, dry_run: bool) -> Result<PurgeReport, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.counsel().purge(actor, dry_run)
        })
    }
}
