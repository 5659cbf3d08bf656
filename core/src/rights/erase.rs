//! The erasure (GDPR Art. 17): every registered domain forgets the account in one transaction
//! (`crate::store::Personal::erase`), in registry order, so a domain later in the list sees
//! what earlier ones found (the forums tell moderation which content the person wrote).
//!
//! What is left is what other people need and what names nobody: posts kept as "former member"
//! (or emptied, by choice), moderation and audit entries without the person. Records deleted
//! here leave the file's pages at the next [`crate::Platform::compact`]; the person's data key
//! is destroyed in the key store (crypto-shredding, `docs/erasure.md`), so the fields sealed
//! under it cannot be read from copies made before (a backup of the file).

use crate::actor::Actor;
use crate::audit::{self, ERASED_TARGET};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::NOBODY;
use crate::model::rights::{ErasedCount, ErasureReport, PostFate};
use crate::store::{Domain, Erasure, Person, WriteTxn};

/// Erases `person` from every domain and writes the audit entry: `actor`, unless it is the
/// person themself (then the entry names nobody), did it for `reason`.
pub(crate) fn erase(
    txn: &WriteTxn,
    domains: &[Domain],
    person: Person,
    posts: PostFate,
    actor: &Actor,
    reason: &str,
    now: Timestamp,
) -> Result<ErasureReport> {
    let account = person.account;
    let mut erasure = Erasure { person, posts, now, authored: Vec::new(), content_deleted: false, done: Vec::new() };
    for domain in domains {
        if let Some(personal) = &domain.personal {
            (personal.erase)(txn, &mut erasure)?;
        }
    }
    // Crypto-shredding: the person's key goes before the transaction commits, so every copy of
    // their sealed fields (a backup, a replica) is unreadable even if the commit then fails.
    if crate::store::shred(txn, account)? {
        erasure.count("data key", 1);
    }
    let logged_actor = if *actor == Actor::account(account) { Actor::account(NOBODY) } else { actor.clone() };
    audit::append(txn, now, &logged_actor, "account.erase", ERASED_TARGET, Some(reason))?;
    let erased = erasure.done.into_iter().map(|(what, count)| ErasedCount { what: what.into(), count }).collect();
    Ok(ErasureReport { account, posts, erased })
}

/// The reason of an erasure: one line that must not name the person (it stays in the audit).
pub(crate) fn reason(person: &Person, email: Option<&str>, reason: &str) -> Result<String> {
    let reason = crate::validate::required_line("reason", reason, 500)?;
    let lower = reason.to_lowercase();
    let names = [Some(person.pseudonym.as_str()), email].into_iter().flatten();
    for name in names.filter(|n| !n.is_empty()) {
        if lower.contains(&name.to_lowercase()) {
            return Err(Error::invalid(
                "reason",
                "the reason names the person (pseudonym or e-mail); it stays in the audit log, so leave them out",
            ));
        }
    }
    Ok(reason)
}
